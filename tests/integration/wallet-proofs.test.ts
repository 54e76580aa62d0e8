// Manual bank transfers: a customer uploads a proof, an administrator approves (once) or
// rejects it with a reason; the file stays private to its owner and administrators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { auditLog, notifications, transactions, type User } from '../../src/lib/server/db/schema';
import { appRouter } from '../../src/lib/server/router';
import { readTransferProof } from '../../src/lib/server/wallet/proofs';
import { callerFor, createUser, reloadUser } from '../support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectMoneyInvariants } from '../support/invariants';
import { expectError } from '../support/errors';

let runtime: WalletTestRuntime;
let admin: User;
beforeAll(async () => {
	runtime = await startWalletRuntime({ env: { MINISPOD_PROOF_MAX_BYTES: '4096' } });
	admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200)]);

function proofForm(fields: { amount?: string; file?: File | null; note?: string }) {
	const form = new FormData();
	if (fields.amount !== undefined) form.set('amount', fields.amount);
	if (fields.file) form.set('file', fields.file);
	if (fields.note !== undefined) form.set('note', fields.note);
	return form;
}

const storedProofs = async () => readdir(path.join(runtime.config.uploadsDir, 'proofs')).catch(() => [] as string[]);

async function uploadAs(user: User, amount = 250_000, file = new File([PNG], 'bukti transfer.png', { type: 'image/png' })) {
	return (await callerFor(runtime, user)).wallet.uploadProof(proofForm({ amount: String(amount), file, note: 'BCA, 12 March' }));
}

describe('wallet.uploadProof', () => {
	it('stores the file privately and waits for an administrator, crediting nothing yet', async () => {
		const user = await createUser(runtime);
		const proof = await uploadAs(user);
		expect(proof).toMatchObject({
			type: 'TOP_UP',
			status: 'PENDING',
			amount: 250_000,
			paymentMethod: 'MANUAL_TRANSFER',
			hasProof: true,
			note: 'BCA, 12 March',
			proof: { fileName: 'bukti transfer.png', mimeType: 'image/png', size: PNG.length }
		});
		const [row] = await runtime.db.select().from(transactions).where(eq(transactions.id, proof.id));
		expect(row.paymentProof).toMatch(/^proofs\/[0-9a-f]{32}\.png$/);
		const file = path.join(runtime.config.uploadsDir, row.paymentProof!);
		expect(await readFile(file)).toEqual(PNG);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);

		const pending = await (await callerFor(runtime, admin)).admin.wallet.pendingProofs();
		expect(pending.find((item) => item.id === proof.id)).toMatchObject({ user: { email: user.email }, amount: 250_000 });
	});

	it('accepts a PDF sent as multipart form data over the tRPC HTTP endpoint', async () => {
		const user = await createUser(runtime);
		const context = {
			runtime,
			user: {
				id: user.id,
				name: user.name,
				email: user.email,
				role: user.role,
				isActive: true,
				emailVerifiedAt: new Date(),
				locale: null
			},
			session: {
				id: 'test',
				userId: user.id,
				expiresAt: new Date(Date.now() + 60_000),
				createdAt: new Date(),
				userAgent: null,
				ipAddress: null
			}
		};
		const response = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request('http://127.0.0.1/api/trpc/wallet.uploadProof', {
				method: 'POST',
				body: proofForm({ amount: '40000', file: new File([PDF], 'slip.pdf', { type: 'application/pdf' }) })
			}),
			router: appRouter,
			createContext: () => context
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { result: { data: { json: { status: string; proof: { mimeType: string } } } } };
		expect(body.result.data.json).toMatchObject({ status: 'PENDING', proof: { mimeType: 'application/pdf' } });
	});

	it('refuses a bad upload naming the field, and keeps nothing', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const before = await storedProofs();
		const png = new File([PNG], 'ok.png');
		const cases: [FormData, RegExp][] = [
			[proofForm({ amount: '9000', file: png }), /^amount: The smallest top-up is Rp 10\.000/],
			[proofForm({ amount: 'lots', file: png }), /^amount:/],
			[proofForm({ amount: '50,000', file: png }), /^amount: Write thousands with dots: 50\.000$/],
			[proofForm({ amount: '50000' }), /^file: Choose a file/],
			[
				proofForm({ amount: '50000', file: new File([Buffer.from('just text, renamed')], 'fake.png', { type: 'image/png' }) }),
				/^file: Upload a PNG, JPEG or WebP image, or a PDF/
			],
			[
				proofForm({ amount: '50000', file: new File([Buffer.concat([PNG, randomBytes(5000)])], 'big.png') }),
				/^file: The file is larger than/
			],
			[proofForm({ amount: '50000', file: png, note: 'x'.repeat(501) }), /^note:/]
		];
		for (const [form, message] of cases) {
			expect((await expectError(api.wallet.uploadProof(form), 'BAD_REQUEST')).message).toMatch(message);
		}
		await expectError(api.wallet.uploadProof({ amount: 50_000 } as never), 'BAD_REQUEST');
		expect(await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id))).toEqual([]);
		expect(await storedProofs()).toEqual(before);
	});

	it('is refused, keeping nothing, where no account to transfer to is configured', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const before = await storedProofs();
		const accounts = runtime.config.wallet.transferAccounts;
		runtime.config.wallet.transferAccounts = [];
		try {
			const refused = await expectError(uploadAs(user), 'FORBIDDEN');
			expect(refused.message).toBe('Manual bank transfers are not offered. Top up with an online payment instead.');
		} finally {
			runtime.config.wallet.transferAccounts = accounts;
		}
		expect(await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id))).toEqual([]);
		expect(await storedProofs()).toEqual(before);
		// The same upload goes through once an account is configured.
		expect(accounts.length).toBeGreaterThan(0);
		expect((await api.wallet.uploadProof(proofForm({ amount: '50000', file: new File([PNG], 'ok.png') }))).status).toBe(
			'PENDING'
		);
	});

	it('serves the file to its owner and administrators only', async () => {
		const owner = await createUser(runtime);
		const stranger = await createUser(runtime);
		const proof = await uploadAs(owner);
		expect((await readTransferProof(runtime, owner, proof.id)).bytes).toEqual(PNG);
		expect(await readTransferProof(runtime, admin, proof.id)).toMatchObject({
			mimeType: 'image/png',
			fileName: 'bukti transfer.png'
		});
		await expect(readTransferProof(runtime, stranger, proof.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(readTransferProof(runtime, admin, 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expectError((await callerFor(runtime, stranger)).wallet.transaction({ id: proof.id }), 'NOT_FOUND');
	});
});

describe('approving and rejecting proofs', () => {
	it('credits once when two administrators approve the same proof at the same moment', async () => {
		const user = await createUser(runtime);
		const proof = await uploadAs(user, 180_000);
		const second = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const results = await Promise.allSettled([
			(await callerFor(runtime, admin)).admin.wallet.approveProof({ id: proof.id }),
			(await callerFor(runtime, second)).admin.wallet.approveProof({ id: proof.id })
		]);
		const fulfilled = results.filter((result) => result.status === 'fulfilled');
		const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
		expect(fulfilled).toHaveLength(1);
		expect(rejected).toHaveLength(1);
		expect(rejected[0].reason).toMatchObject({ code: 'CONFLICT', message: 'This transfer proof was already approved.' });

		expect(await reloadUser(runtime, user.id)).toMatchObject({ creditBalance: 180_000, totalTopUp: 180_000 });
		const [row] = await runtime.db.select().from(transactions).where(eq(transactions.id, proof.id));
		expect(row).toMatchObject({ status: 'COMPLETED', paymentMethod: 'ADMIN_MANUAL', balanceAfter: 180_000 });
		expect([admin.id, second.id]).toContain(row.processedBy);
		const audits = await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, proof.id));
		expect(audits.map((entry) => entry.action)).toEqual(['wallet.proof.approve']);
		const notices = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'TRANSFER_PROOF_APPROVED')));
		expect(notices).toHaveLength(1);
		await expectMoneyInvariants(runtime.db);
	});

	it('rejects with a mandatory reason the customer gets to read, and credits nothing', async () => {
		const user = await createUser(runtime);
		const proof = await uploadAs(user, 90_000);
		const adminApi = await callerFor(runtime, admin);
		expect((await expectError(adminApi.admin.wallet.rejectProof({ id: proof.id, reason: ' ' }), 'BAD_REQUEST')).message).toMatch(
			/^reason:/
		);
		const rejected = await adminApi.admin.wallet.rejectProof({ id: proof.id, reason: 'No transfer with this amount arrived.' });
		expect(rejected).toMatchObject({
			status: 'FAILED',
			displayStatus: 'REJECTED',
			rejectionReason: 'No transfer with this amount arrived.'
		});
		expect(await (await callerFor(runtime, user)).wallet.transaction({ id: proof.id })).toMatchObject({
			status: 'FAILED',
			rejectionReason: 'No transfer with this amount arrived.'
		});
		await expectError(adminApi.admin.wallet.approveProof({ id: proof.id }), 'CONFLICT');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		const [notice] = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'TRANSFER_PROOF_REJECTED')));
		expect(notice.body).toContain('No transfer with this amount arrived.');
		const [entry] = await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, proof.id));
		expect(entry).toMatchObject({ action: 'wallet.proof.reject', actorId: admin.id });
	});

	it('is for administrators only, and only for transfer proofs', async () => {
		const user = await createUser(runtime);
		const proof = await uploadAs(user);
		const customerApi = await callerFor(runtime, user);
		await expectError(customerApi.admin.wallet.approveProof({ id: proof.id }), 'FORBIDDEN');
		await expectError(customerApi.admin.wallet.pendingProofs(), 'FORBIDDEN');
		const topUp = await customerApi.wallet.topUp({ amount: 20_000, method: 'QRIS' });
		await expectError((await callerFor(runtime, admin)).admin.wallet.approveProof({ id: topUp.transactionId }), 'NOT_FOUND');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});
});
