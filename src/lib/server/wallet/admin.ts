// What administrators do with wallets: credit or debit a customer with a reason (audited,
// never below zero), and work through payments flagged by the gateway
// (refunds, chargebacks, late payments, amount mismatches).
import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import { transactions, users } from '../db/schema';
import { AppError, badRequest, insufficientCredit, invalidState, notFound } from '../errors';
import { audit, auditPart } from '../audit/service';
import { notifyParts } from '../notifications/service';
import { asRupiah } from '../notifications/texts';
import { applyBalanceChange } from './ledger';
import { afterCreditPart } from './credits';
import { toFlaggedPayment, toTransactionDetail } from './views';
import type { AdminAction } from './proofs';
import { formatRupiah } from '$lib/format';
import { ledgerText } from './ledger-texts';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';
import { meta } from './metadata';

export type Adjustment = {
	userId: string;
	direction: 'credit' | 'debit';
	/** Positive whole rupiah; the direction gives the sign. */
	amount: number;
	reason: string;
	/** Makes a resubmitted form a no-op; one is generated when absent. */
	requestId?: string;
	/** Credit past the balance cap (MINISPOD_BALANCE_MAX) on purpose; audited. */
	override?: boolean;
};

export async function adjustBalance(runtime: Runtime, action: AdminAction, adjustment: Adjustment) {
	const signed = adjustment.direction === 'credit' ? adjustment.amount : -adjustment.amount;
	const { maxBalance } = runtime.config.wallet;
	const at = runtime.clock.now();
	// The ledger's guarded UPDATE is the only lock on the customer's row; it checks the cap too.
	// The renewal retry, the audit row, the notification, its mail and the mail's job are what
	// the change pays for: written by the same statement as the change, and not at all for a
	// replayed form, which changes nothing and is not audited twice.
	let result;
	try {
		result = await applyBalanceChange(
			runtime.db,
			{
				userId: adjustment.userId,
				type: 'ADMIN_ADJUSTMENT',
				amount: signed,
				idempotencyKey: `admin-adjustment:${adjustment.requestId ?? randomUUID()}`,
				description: adjustment.direction === 'credit' ? 'Credit from MinisPod' : 'Debit by MinisPod',
				text: ledgerText(adjustment.direction === 'credit' ? 'admin_credit' : 'admin_debit', {}),
				at,
				paymentMethod: 'ADMIN_MANUAL',
				processedBy: action.adminId,
				adminNotes: adjustment.reason,
				metadata: { reason: adjustment.reason },
				...(adjustment.override ? {} : { maxBalance })
			},
			(transactionId) => [
				...(signed > 0 ? [afterCreditPart(adjustment.userId, at)] : []),
				auditPart({
					actorId: action.adminId,
					action: `wallet.adjustment.${adjustment.direction}`,
					entityType: 'user',
					entityId: adjustment.userId,
					details: {
						transactionId,
						amount: signed,
						reason: adjustment.reason,
						...(adjustment.override ? { override: true } : {})
					},
					ipAddress: action.ipAddress
				}),
				...notifyParts([
					{
						userId: adjustment.userId,
						type: 'WALLET_ADJUSTED',
						text: {
							key: adjustment.direction === 'credit' ? 'wallet_credited' : 'wallet_debited',
							params: { amount: asRupiah(adjustment.amount), reason: adjustment.reason }
						},
						link: `/wallet/transactions/${transactionId}`
					}
				])
			]
		);
	} catch (error) {
		throw inAdminWords(error);
	}
	return { ...toTransactionDetail(result.transaction), replayed: !result.applied };
}

/** The ledger's refusals, worded for the administrator's form. */
function inAdminWords(error: unknown) {
	if (!(error instanceof AppError)) return error;
	if (error.code === 'NOT_FOUND') return notFound('Customer');
	const balance = Number(error.details.balance ?? 0);
	if (error.code === 'INSUFFICIENT_CREDIT') {
		return insufficientCredit(
			{ shortfall: Number(error.details.shortfall ?? 0), balance, required: Number(error.details.required ?? 0) },
			{ field: 'amount', message: say(m.srv2_debit_below_zero, { balance: formatRupiah(balance) }) }
		);
	}
	if (error.code === 'BAD_REQUEST' && error.details.maxBalance !== undefined) {
		const maxBalance = Number(error.details.maxBalance);
		return badRequest(
			'amount',
			say(m.srv2_credit_past_cap_admin, { max: formatRupiah(maxBalance), balance: formatRupiah(balance) }),
			{ maxBalance, balance }
		);
	}
	return error;
}

export async function recentAdjustments(runtime: Runtime, limit = 20) {
	const rows = await runtime.db
		.select({ transaction: transactions, user: { id: users.id, name: users.name, email: users.email } })
		.from(transactions)
		.innerJoin(users, eq(users.id, transactions.userId))
		.where(eq(transactions.type, 'ADMIN_ADJUSTMENT'))
		.orderBy(desc(transactions.createdAt))
		.limit(limit);
	return rows.map(({ transaction, user }) => ({ ...toTransactionDetail(transaction), reason: transaction.adminNotes, user }));
}

export async function listFlaggedPayments(runtime: Runtime, options: { includeResolved?: boolean } = {}) {
	const rows = await runtime.db
		.select({ transaction: transactions, user: { id: users.id, name: users.name, email: users.email } })
		.from(transactions)
		.innerJoin(users, eq(users.id, transactions.userId))
		.where(and(isNotNull(transactions.flaggedAt), options.includeResolved ? undefined : isNull(transactions.flagResolvedAt)))
		.orderBy(desc(transactions.flaggedAt))
		.limit(200);
	return rows.map(({ transaction, user }) => toFlaggedPayment(transaction, user));
}

/** Marks a flag as dealt with; the balance is not touched (adjust it separately if needed). */
export async function resolveFlag(runtime: Runtime, action: AdminAction, transactionId: string, note: string) {
	return runtime.db.transaction(async (tx) => {
		const [row] = await tx.select().from(transactions).where(eq(transactions.id, transactionId)).for('update');
		if (!row || !row.flaggedAt) throw notFound('Flagged payment');
		if (row.flagResolvedAt) throw invalidState(say(m.srv2_flag_resolved));
		const [resolved] = await tx
			.update(transactions)
			.set({
				flagResolvedAt: new Date(),
				processedBy: action.adminId,
				adminNotes: row.adminNotes ? `${row.adminNotes}\n${note}` : note
			})
			.where(eq(transactions.id, row.id))
			.returning();
		await audit(tx, {
			actorId: action.adminId,
			action: 'wallet.flag.resolve',
			entityType: 'transaction',
			entityId: row.id,
			// The reason's key beside its English, so the audit log reads it in the administrator's language.
			details: { userId: row.userId, flagReason: row.flagReason, flagText: meta(row).flagText, note },
			ipAddress: action.ipAddress
		});
		return toTransactionDetail(resolved);
	});
}
