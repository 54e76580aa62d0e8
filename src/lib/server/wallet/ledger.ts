// The one function that changes a balance. It runs inside the caller's DB transaction, so
// a balance moves if and only if the business change it pays for commits, and its UNIQUE
// idempotency key makes a retried or duplicated change a no-op.
import { and, eq, sql } from 'drizzle-orm';
import { AppError, badRequest, insufficientCredit, notFound } from '../errors';
import { inTransaction, type DbOrTx, type Tx } from '../db/client';
import { transactions, users, type PaymentMethod, type Transaction, type TransactionType } from '../db/schema';

export type BalanceChange = {
	userId: string;
	type: TransactionType;
	/** Signed rupiah: positive credits the wallet, negative debits it. */
	amount: number;
	/** Unique per intended change: the same key never moves money twice. */
	idempotencyKey: string;
	description: string;
	paymentMethod?: PaymentMethod;
	paymentReference?: string;
	subscriptionId?: string;
	metadata?: Record<string, unknown>;
	processedBy?: string;
	adminNotes?: string;
	/** Complete this PENDING transaction (a top-up) instead of inserting a new row. */
	pendingTransactionId?: string;
};

export type BalanceChangeResult = {
	transaction: Transaction;
	/** False when the change had already happened (idempotent replay). */
	applied: boolean;
};

/** How a change of this type moves the lifetime totals. */
export function lifetimeDeltas(type: TransactionType, amount: number) {
	return {
		topUp: type === 'TOP_UP' ? amount : 0,
		// Net spend: charges add, refunds of charges take back.
		spent: type === 'SUBSCRIPTION' || type === 'UPGRADE' || type === 'REFUND' ? -amount : 0
	};
}

export async function applyBalanceChange(db: DbOrTx, change: BalanceChange): Promise<BalanceChangeResult> {
	if (!Number.isSafeInteger(change.amount)) {
		throw badRequest('amount', 'Amounts are whole rupiah.');
	}
	return inTransaction(db, async (tx) => {
		const row = change.pendingTransactionId ? await claimPending(tx, change) : await insertClaim(tx, change);
		if (!row.claimed) return { transaction: row.transaction, applied: false };

		const deltas = lifetimeDeltas(change.type, change.amount);
		const [updated] = await tx
			.update(users)
			.set({
				creditBalance: sql`${users.creditBalance} + ${change.amount}`,
				totalTopUp: sql`${users.totalTopUp} + ${deltas.topUp}`,
				totalSpent: sql`${users.totalSpent} + ${deltas.spent}`
			})
			.where(and(eq(users.id, change.userId), sql`${users.creditBalance} + ${change.amount} >= 0`))
			.returning({ balance: users.creditBalance });

		if (!updated) {
			const [user] = await tx.select({ balance: users.creditBalance }).from(users).where(eq(users.id, change.userId));
			if (!user) throw notFound('User');
			const shortfall = -(user.balance + change.amount);
			throw insufficientCredit({ shortfall, balance: user.balance, required: -change.amount });
		}

		const [transaction] = await tx
			.update(transactions)
			.set({
				status: 'COMPLETED',
				balanceBefore: updated.balance - change.amount,
				balanceAfter: updated.balance,
				completedAt: new Date(),
				...(change.pendingTransactionId
					? {
							...(change.paymentMethod ? { paymentMethod: change.paymentMethod } : {}),
							...(change.paymentReference ? { paymentReference: change.paymentReference } : {}),
							...(change.processedBy ? { processedBy: change.processedBy } : {}),
							...(change.adminNotes ? { adminNotes: change.adminNotes } : {}),
							metadata: sql`${transactions.metadata} || ${JSON.stringify(change.metadata ?? {})}::jsonb`
						}
					: {})
			})
			.where(eq(transactions.id, row.transaction.id))
			.returning();
		return { transaction, applied: true };
	});
}

type Claim = { claimed: boolean; transaction: Transaction };

async function insertClaim(tx: Tx, change: BalanceChange): Promise<Claim> {
	// The unique key serialises duplicates: a second insert waits for the first to commit,
	// then inserts nothing.
	const [inserted] = await tx
		.insert(transactions)
		.values({
			userId: change.userId,
			type: change.type,
			status: 'PENDING',
			amount: change.amount,
			description: change.description,
			idempotencyKey: change.idempotencyKey,
			paymentMethod: change.paymentMethod,
			paymentReference: change.paymentReference,
			subscriptionId: change.subscriptionId,
			metadata: change.metadata ?? {},
			processedBy: change.processedBy,
			adminNotes: change.adminNotes
		})
		.onConflictDoNothing({ target: transactions.idempotencyKey })
		.returning();
	if (inserted) return { claimed: true, transaction: inserted };
	const [existing] = await tx.select().from(transactions).where(eq(transactions.idempotencyKey, change.idempotencyKey));
	if (existing.userId !== change.userId) {
		throw new AppError('CONFLICT', 'Idempotency key already used by another account.');
	}
	return { claimed: false, transaction: existing };
}

async function claimPending(tx: Tx, change: BalanceChange): Promise<Claim> {
	// Row lock: concurrent completions of the same pending row run one after the other,
	// and all but the first find it no longer PENDING.
	const [existing] = await tx.select().from(transactions).where(eq(transactions.id, change.pendingTransactionId!)).for('update');
	if (!existing || existing.userId !== change.userId) throw notFound('Transaction');
	if (existing.amount !== change.amount || existing.type !== change.type) {
		throw new AppError('CONFLICT', 'The pending transaction does not match this change.');
	}
	return { claimed: existing.status === 'PENDING', transaction: existing };
}
