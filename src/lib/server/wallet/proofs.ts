// Manual bank transfers: the customer uploads a proof (image or PDF) for an amount, which
// waits as a PENDING top-up until an administrator approves it (crediting it once) or
// rejects it with a reason. Proof files live under the uploads directory with random names
// and are only ever read back for their owner or an administrator.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import type { Tx } from '../db/client';
import { transactions, users, type Transaction } from '../db/schema';
import { badRequest, forbidden, invalidState, notFound } from '../errors';
import { audit, auditPart } from '../audit/service';
import { notify, notifyParts } from '../notifications/service';
import { asRupiah } from '../notifications/texts';
import { applyBalanceChange } from './ledger';
import { afterCreditPart } from './credits';
import { inOneStatement } from '../db/statement';
import { toTransactionDetail } from './views';
import { findTransactionFor } from './history';
import { lockBalanceHeadroom } from './topups';
import type { WalletMetadata } from './metadata';
import { formatNumber, formatRupiah } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { say, type Sentence } from '../sentences';
import { requireVerifiedEmail } from '../auth/account';
import { ledgerText } from './ledger-texts';

export type ProofType = { mimeType: 'image/png' | 'image/jpeg' | 'image/webp' | 'application/pdf'; extension: string };

/** The file's real type from its first bytes; null for anything that is not an accepted proof. */
export function detectProofType(bytes: Uint8Array): ProofType | null {
	const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
	if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { mimeType: 'image/png', extension: 'png' };
	if (starts(0xff, 0xd8, 0xff)) return { mimeType: 'image/jpeg', extension: 'jpg' };
	const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
	if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP')
		return { mimeType: 'image/webp', extension: 'webp' };
	if (ascii(0, 5) === '%PDF-') return { mimeType: 'application/pdf', extension: 'pdf' };
	return null;
}

/** A file name safe to show and to send back in Content-Disposition. */
export function safeFileName(name: string, extension: string): string {
	const base = path
		.basename(name || 'proof')
		.replace(/\.[^.]*$/, '')
		.replace(/[^\w\- ]+/g, '')
		.trim()
		.slice(0, 80);
	return `${base || 'proof'}.${extension}`;
}

export type ProofUpload = {
	amount: number;
	file: { name: string; bytes: Uint8Array };
	note?: string;
};

export async function submitTransferProof(runtime: Runtime, userId: string, upload: ProofUpload) {
	const { config, db, log } = runtime;
	// Without an account to pay into (MINISPOD_TRANSFER_ACCOUNTS) there is no manual transfer
	// to prove; the pages offer none either.
	if (config.wallet.transferAccounts.length === 0) throw forbidden(say(m.txt9_transfer_unavailable));
	await requireVerifiedEmail(db, userId);
	const { bytes } = upload.file;
	if (bytes.length === 0) throw badRequest('file', say(m.srv2_proof_choose_file));
	if (bytes.length > config.wallet.proofMaxBytes) {
		const megabytes = config.wallet.proofMaxBytes / 2 ** 20;
		const tooLarge: Sentence = (locale) => m.transfer_too_large({ size: formatNumber(megabytes, locale) }, { locale });
		throw badRequest('file', tooLarge, { maxBytes: config.wallet.proofMaxBytes });
	}
	const type = detectProofType(bytes);
	if (!type) throw badRequest('file', say(m.srv2_proof_type));
	if (upload.amount > config.wallet.maxTopUp) {
		throw badRequest('amount', say(m.srv_topup_max, { amount: formatRupiah(config.wallet.maxTopUp) }));
	}

	const storedName = `proofs/${randomBytes(16).toString('hex')}.${type.extension}`;
	const target = path.join(config.uploadsDir, storedName);
	await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
	await writeFile(target, bytes, { flag: 'wx', mode: 0o600 });
	try {
		const id = randomBytes(16).toString('hex');
		const metadata: WalletMetadata = {
			proof: {
				fileName: safeFileName(upload.file.name, type.extension),
				mimeType: type.mimeType,
				size: bytes.length,
				sha256: createHash('sha256').update(bytes).digest('hex')
			},
			...(upload.note ? { note: upload.note } : {})
		};
		const row = await db.transaction(async (tx) => {
			await lockBalanceHeadroom(tx, userId, upload.amount, config.wallet.maxBalance);
			const [inserted] = await tx
				.insert(transactions)
				.values({
					userId,
					type: 'TOP_UP',
					status: 'PENDING',
					amount: upload.amount,
					paymentMethod: 'MANUAL_TRANSFER',
					paymentProof: storedName,
					description: 'Top-up by manual bank transfer',
					text: ledgerText('transfer_proof', {}),
					idempotencyKey: `proof:${id}`,
					metadata
				})
				.returning();
			return inserted;
		});
		log.info({ transactionId: row.id, amount: upload.amount }, 'transfer proof uploaded');
		return toTransactionDetail(row);
	} catch (error) {
		await unlink(target).catch(() => undefined);
		throw error;
	}
}

/** The proof file of a transaction, for its owner or an administrator; others get NOT_FOUND. */
export async function readTransferProof(runtime: Runtime, viewer: { id: string; role: string }, transactionId: string) {
	const row = await findTransactionFor(runtime.db, viewer, transactionId);
	if (!row.paymentProof) throw notFound('Proof');
	const root = path.resolve(runtime.config.uploadsDir);
	const file = path.resolve(root, row.paymentProof);
	if (!file.startsWith(root + path.sep)) throw notFound('Proof');
	const proof = (row.metadata as WalletMetadata).proof;
	const bytes = await readFile(file).catch(() => {
		throw notFound('Proof file');
	});
	const type = detectProofType(bytes);
	return {
		bytes,
		mimeType: type?.mimeType ?? 'application/octet-stream',
		fileName: proof?.fileName ?? path.basename(file)
	};
}

const isProof = (row: Transaction) => row.type === 'TOP_UP' && row.paymentProof !== null && row.orderId === null;

async function lockProof(tx: Tx, transactionId: string) {
	const [row] = await tx.select().from(transactions).where(eq(transactions.id, transactionId)).for('update');
	if (!row || !isProof(row)) throw notFound('Transfer proof');
	if (row.status !== 'PENDING') {
		throw invalidState(row.status === 'COMPLETED' ? say(m.srv2_proof_already_approved) : say(m.srv2_proof_already_rejected), {
			status: row.status
		});
	}
	return row;
}

export type AdminAction = { adminId: string; ipAddress?: string | null };

/** Credits a manual transfer once; a second approval (even a concurrent one) is refused. */
export async function approveTransferProof(runtime: Runtime, action: AdminAction, transactionId: string) {
	return runtime.db.transaction(async (tx) => {
		const row = await lockProof(tx, transactionId);
		const at = runtime.clock.now();
		const { transaction, applied } = await applyBalanceChange(tx, {
			userId: row.userId,
			type: 'TOP_UP',
			amount: row.amount,
			idempotencyKey: row.idempotencyKey,
			description: row.description,
			pendingTransactionId: row.id,
			at,
			paymentMethod: 'ADMIN_MANUAL',
			processedBy: action.adminId,
			metadata: { approvedAt: new Date().toISOString() }
		});
		if (!applied) throw invalidState(say(m.srv2_proof_already_approved));
		// The renewal retry, the audit row and the notice with its mail: one round trip (db/statement.ts).
		await inOneStatement(tx, [
			afterCreditPart(row.userId, at),
			auditPart({
				actorId: action.adminId,
				action: 'wallet.proof.approve',
				entityType: 'transaction',
				entityId: row.id,
				details: { userId: row.userId, amount: row.amount },
				ipAddress: action.ipAddress
			}),
			...notifyParts([
				{
					userId: row.userId,
					type: 'TRANSFER_PROOF_APPROVED',
					text: { key: 'proof_approved', params: { amount: asRupiah(row.amount) } },
					link: `/wallet/transactions/${row.id}`
				}
			])
		]);
		return toTransactionDetail(transaction);
	});
}

export async function rejectTransferProof(runtime: Runtime, action: AdminAction, transactionId: string, reason: string) {
	return runtime.db.transaction(async (tx) => {
		const row = await lockProof(tx, transactionId);
		const [rejected] = await tx
			.update(transactions)
			.set({
				status: 'FAILED',
				processedBy: action.adminId,
				adminNotes: reason,
				metadata: { ...(row.metadata as WalletMetadata), rejectionReason: reason } satisfies WalletMetadata
			})
			.where(eq(transactions.id, row.id))
			.returning();
		await audit(tx, {
			actorId: action.adminId,
			action: 'wallet.proof.reject',
			entityType: 'transaction',
			entityId: row.id,
			details: { userId: row.userId, amount: row.amount, reason },
			ipAddress: action.ipAddress
		});
		await notify(tx, {
			userId: row.userId,
			type: 'TRANSFER_PROOF_REJECTED',
			text: { key: 'proof_rejected', params: { amount: asRupiah(row.amount), reason } },
			link: `/wallet/transactions/${row.id}`
		});
		return toTransactionDetail(rejected);
	});
}

export async function listPendingProofs(runtime: Runtime) {
	const rows = await runtime.db
		.select({ transaction: transactions, user: { id: users.id, name: users.name, email: users.email } })
		.from(transactions)
		.innerJoin(users, eq(users.id, transactions.userId))
		.where(
			and(
				eq(transactions.type, 'TOP_UP'),
				eq(transactions.status, 'PENDING'),
				isNotNull(transactions.paymentProof),
				isNull(transactions.orderId)
			)
		)
		.orderBy(asc(transactions.createdAt));
	return rows.map(({ transaction, user }) => ({ ...toTransactionDetail(transaction), user }));
}
