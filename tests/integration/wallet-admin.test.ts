// Administrators and wallets: audited credits and debits that never go below zero, finding
// customers, and working through flagged payments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { auditLog, notifications, transactions, type User } from '../../src/lib/server/db/schema';
import { callerFor, createUser, reloadUser } from '../support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectMoneyInvariants } from '../support/invariants';
import { expectError } from '../support/errors';
import { inLocale } from '../../src/lib/server/i18n';

let runtime: WalletTestRuntime;
let admin: User;
beforeAll(async () => {
	runtime = await startWalletRuntime();
	admin = await createUser(runtime, { role: 'ADMINISTRATOR', email: `ops-${randomUUID().slice(0, 6)}@minispod.test` });
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

const auditsFor = (userId: string) => runtime.db.select().from(auditLog).where(eq(auditLog.entityId, userId));

describe('admin.wallet.adjust', () => {
	it('credits a customer with a reason, audited and announced, outside the top-up totals', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, admin);
		const credited = await api.admin.wallet.adjust({
			userId: user.id,
			direction: 'credit',
			amount: 75_000,
			reason: 'Goodwill after an outage'
		});
		expect(credited).toMatchObject({
			type: 'ADMIN_ADJUSTMENT',
			status: 'COMPLETED',
			amount: 75_000,
			balanceAfter: 75_000,
			paymentMethod: 'ADMIN_MANUAL',
			replayed: false
		});
		expect(await reloadUser(runtime, user.id)).toMatchObject({ creditBalance: 75_000, totalTopUp: 0, totalSpent: 0 });
		const [entry] = await auditsFor(user.id);
		expect(entry).toMatchObject({
			actorId: admin.id,
			action: 'wallet.adjustment.credit',
			entityType: 'user',
			details: { transactionId: credited.id, amount: 75_000, reason: 'Goodwill after an outage' }
		});
		// The log names the transaction itself (then whose it is), not only the customer.
		const [logged] = (await api.admin.operations.audit({ entityId: user.id })).items;
		expect(logged.details.transactionId).toBe(`#${credited.id.slice(0, 8)} · Rp 75.000 · ${user.name} (${user.email})`);
		const [notice] = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'WALLET_ADJUSTED')));
		expect(notice.body).toContain('Goodwill after an outage');
	});

	it('refuses a debit below zero and changes nothing', async () => {
		const user = await createUser(runtime, { credit: 40_000 });
		const api = await callerFor(runtime, admin);
		const error = await expectError(
			api.admin.wallet.adjust({ userId: user.id, direction: 'debit', amount: 40_001, reason: 'Reverse a duplicate credit' }),
			'PAYMENT_REQUIRED'
		);
		expect(error.message).toBe('amount: This debit would take the balance below zero; the customer has Rp 40.000.');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(40_000);
		expect(await auditsFor(user.id)).toEqual([]);
		expect(
			(await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id))).map((row) => row.amount)
		).toEqual([40_000]);

		const exact = await api.admin.wallet.adjust({
			userId: user.id,
			direction: 'debit',
			amount: 40_000,
			reason: 'Reverse a duplicate credit'
		});
		expect(exact).toMatchObject({ amount: -40_000, balanceAfter: 0 });
	});

	it('lets exactly as many concurrent debits through as the balance covers', async () => {
		const user = await createUser(runtime, { credit: 100_000 });
		const api = await callerFor(runtime, admin);
		const results = await Promise.allSettled(
			Array.from({ length: 5 }, () =>
				api.admin.wallet.adjust({ userId: user.id, direction: 'debit', amount: 30_000, reason: 'Concurrent debit' })
			)
		);
		expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(10_000);
		expect(await auditsFor(user.id)).toHaveLength(3);
	});

	it('does a resubmitted form once', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, admin);
		const request = {
			userId: user.id,
			direction: 'credit' as const,
			amount: 5_000,
			reason: 'Referral bonus',
			requestId: randomUUID()
		};
		const [first, second] = [await api.admin.wallet.adjust(request), await api.admin.wallet.adjust(request)];
		expect(first.replayed).toBe(false);
		expect(second).toMatchObject({ id: first.id, replayed: true });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(5_000);
		expect(await auditsFor(user.id)).toHaveLength(1);
	});

	it('names the field of bad input, and refuses unknown customers', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, admin);
		const base = { userId: user.id, direction: 'credit' as const, amount: 1_000, reason: 'Because' };
		expect((await expectError(api.admin.wallet.adjust({ ...base, reason: 'ok' }), 'BAD_REQUEST')).message).toMatch(
			/^reason: Give a reason/
		);
		expect((await expectError(api.admin.wallet.adjust({ ...base, amount: 0 }), 'BAD_REQUEST')).message).toMatch(/^amount:/);
		expect((await expectError(api.admin.wallet.adjust({ ...base, amount: 1.5 }), 'BAD_REQUEST')).message).toMatch(
			/^amount: Use whole rupiah/
		);
		expect((await expectError(api.admin.wallet.adjust({ ...base, direction: 'gift' as never }), 'BAD_REQUEST')).message).toMatch(
			/^direction:/
		);
		await expectError(api.admin.wallet.adjust({ ...base, userId: randomUUID() }), 'NOT_FOUND');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});

	it('is for administrators only', async () => {
		const customer = await createUser(runtime, { credit: 10_000 });
		const input = { userId: customer.id, direction: 'credit' as const, amount: 1_000_000, reason: 'Giving myself money' };
		await expectError((await callerFor(runtime, customer)).admin.wallet.adjust(input), 'FORBIDDEN');
		await expectError((await callerFor(runtime, null)).admin.wallet.adjust(input), 'UNAUTHORIZED');
		await expectError((await callerFor(runtime, customer)).admin.users({ q: 'user' }), 'FORBIDDEN');
		expect((await reloadUser(runtime, customer.id)).creditBalance).toBe(10_000);
	});
});

describe('finding customers', () => {
	it('searches by e-mail or name', async () => {
		const user = await createUser(runtime, { name: 'Rahmat Hidayat', email: `rahmat-${randomUUID().slice(0, 6)}@warung.test` });
		const api = await callerFor(runtime, admin);
		expect((await api.admin.users({ q: 'warung.test' })).map((found) => found.id)).toEqual([user.id]);
		expect((await api.admin.users({ q: 'hidayat' }))[0]).toMatchObject({ email: user.email, creditBalance: 0 });
		expect(await api.admin.users({ q: '%_%' })).toEqual([]);
		expect((await expectError(api.admin.users({ q: 'r' }), 'BAD_REQUEST')).message).toMatch(/^q:/);
	});

	it('lists recent adjustments with their reasons', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, admin);
		await api.admin.wallet.adjust({ userId: user.id, direction: 'credit', amount: 2_500, reason: 'Listed adjustment' });
		const [latest] = await api.admin.wallet.recentAdjustments();
		expect(latest).toMatchObject({ amount: 2_500, reason: 'Listed adjustment', user: { email: user.email } });
	});
});

describe('flagged payments', () => {
	it('lists refunded top-ups for an administrator, who resolves them without touching the balance', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await (
			await callerFor(runtime, user)
		).wallet.topUp({ amount: 60_000, method: 'E_WALLET', wallet: 'shopeepay' });
		await runtime.simulator.settle(orderId);
		await runtime.simulator.refund(orderId, { amount: 20_000 });
		const api = await callerFor(runtime, admin);

		const flagged = (await api.admin.wallet.flagged()).find((item) => item.id === transactionId);
		expect(flagged).toMatchObject({
			status: 'COMPLETED',
			user: { email: user.email },
			flagReason: expect.stringContaining('partial refund'),
			// What the gateway took back, for the administrator's debit by hand.
			reversals: [{ kind: 'partial_refund', amount: 20_000, at: expect.any(String) }],
			flagResolvedAt: null
		});
		expect((await (await callerFor(runtime, user)).wallet.transaction({ id: transactionId })).underReview).toBe(true);
		// An Indonesian administrator reads why in Indonesian.
		const inIndonesian = await inLocale('id', 'http://127.0.0.1', () => api.admin.wallet.flagged());
		expect(inIndonesian.find((item) => item.id === transactionId)?.flagReason).toBe(
			'Gateway melaporkan bahwa sebagian dana top-up yang sudah dikreditkan ini dikembalikan (refund sebagian).'
		);

		expect((await expectError(api.admin.wallet.resolveFlag({ id: transactionId, note: '' }), 'BAD_REQUEST')).message).toMatch(
			/^note:/
		);
		const resolved = await api.admin.wallet.resolveFlag({ id: transactionId, note: 'Debited Rp 20.000 by hand' });
		expect(resolved.underReview).toBe(false);
		expect((await api.admin.wallet.flagged()).some((item) => item.id === transactionId)).toBe(false);
		expect((await api.admin.wallet.flagged({ includeResolved: true })).find((item) => item.id === transactionId)).toMatchObject({
			adminNotes: 'Debited Rp 20.000 by hand'
		});
		await expectError(api.admin.wallet.resolveFlag({ id: transactionId, note: 'Again' }), 'CONFLICT');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(60_000);
		const [entry] = await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, transactionId));
		const english = 'The gateway reports a partial refund of this credited top-up.';
		// The row keeps the English, for rows read before keys and the log, with the reason's key beside it.
		expect(entry).toMatchObject({
			action: 'wallet.flag.resolve',
			actorId: admin.id,
			details: {
				flagReason: english,
				flagText: { key: 'reversed', params: { status: 'partial_refund' } },
				note: 'Debited Rp 20.000 by hand'
			}
		});
		// The audit log reads it in the administrator's language.
		const auditIn = async (locale: 'id' | 'en') =>
			(await inLocale(locale, 'http://127.0.0.1', () => api.admin.operations.audit({ entityId: transactionId }))).items[0]
				.details;
		// The customer's id reads as the customer (admin/audit-names.ts).
		expect(await auditIn('id')).toEqual({
			userId: `${user.name} (${user.email})`,
			flagReason: 'Gateway melaporkan bahwa sebagian dana top-up yang sudah dikreditkan ini dikembalikan (refund sebagian).',
			note: 'Debited Rp 20.000 by hand'
		});
		expect((await auditIn('en')).flagReason).toBe(english);
	});

	it('shows every refund and chargeback the gateway reported, with its amount; a late payment has none', async () => {
		const user = await createUser(runtime);
		const customer = await callerFor(runtime, user);
		const { orderId, transactionId } = await customer.wallet.topUp({ amount: 80_000, method: 'E_WALLET', wallet: 'gopay' });
		await runtime.simulator.settle(orderId);
		await runtime.simulator.refund(orderId);
		await runtime.simulator.chargeback(orderId, { amount: 30_000 });
		const late = await customer.wallet.topUp({ amount: 45_000, method: 'E_WALLET', wallet: 'gopay' });
		await customer.wallet.cancelTopUp({ id: late.transactionId });
		await runtime.simulator.settle(late.orderId);

		const flagged = await (await callerFor(runtime, admin)).admin.wallet.flagged();
		expect(flagged.find((item) => item.id === transactionId)).toMatchObject({
			flagReason: 'The gateway reports a partial chargeback of this credited top-up.',
			reversals: [
				{ kind: 'refund', amount: 80_000 },
				{ kind: 'partial_chargeback', amount: 30_000 }
			]
		});
		expect(flagged.find((item) => item.id === late.transactionId)).toMatchObject({
			flagReason: expect.stringContaining('paid after'),
			reversals: []
		});
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(80_000);
	});

	it('keeps the admin overview working', async () => {
		const overview = await (await callerFor(runtime, admin)).admin.overview();
		expect(overview.creditHeld).toBeGreaterThan(0);
	});
});
