// The one function that changes a balance. It runs inside the caller's DB transaction, so
// a balance moves if and only if the business change it pays for commits, and its UNIQUE
// idempotency key makes a retried or duplicated change a no-op. It takes one change, or a
// batch of them (the renewal sweep charges hundreds in one transaction): a batch moves each
// customer's balance with one guarded statement and writes its ledger rows as one chain.
import { eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { AppError, badRequest, insufficientCredit, notFound } from '../errors';
import { inTransaction, type DbOrTx, type Tx } from '../db/client';
import { transactions, users, type PaymentMethod, type Transaction, type TransactionType } from '../db/schema';
import type { LedgerText } from './ledger-texts';

export type BalanceChange = {
	userId: string;
	type: TransactionType;
	/** Signed rupiah: positive credits the wallet, negative debits it. */
	amount: number;
	/** Unique per intended change: the same key never moves money twice. */
	idempotencyKey: string;
	description: string;
	/** The description in both languages (the English `description` stays for old readers). */
	text?: LedgerText;
	/**
	 * When the change completes, from the runtime's clock (the billing clock): receipts are
	 * numbered per WIB year of it, so the test clock moves them across a year too.
	 */
	at: Date;
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

/**
 * Applies one balance change, or a batch of them in order. The customers' rows are locked
 * first, so changes to one balance are serialised and a replayed key (already in the
 * ledger) is seen for what it is: it changes nothing and comes back with `applied: false`.
 * A change that would take a balance below zero is refused with INSUFFICIENT_CREDIT (and
 * the caller's transaction rolls back); each ledger row records the balance before and
 * after it, and all rows of a batch are written with one statement.
 */
export async function applyBalanceChange(db: DbOrTx, change: BalanceChange): Promise<BalanceChangeResult>;
export async function applyBalanceChange(db: DbOrTx, changes: BalanceChange[]): Promise<BalanceChangeResult[]>;
export async function applyBalanceChange(
	db: DbOrTx,
	input: BalanceChange | BalanceChange[]
): Promise<BalanceChangeResult | BalanceChangeResult[]> {
	const changes = Array.isArray(input) ? input : [input];
	if (changes.some((change) => !Number.isSafeInteger(change.amount))) {
		throw badRequest('amount', 'Amounts are whole rupiah.');
	}
	if (Array.isArray(input) && changes.some((change) => change.pendingTransactionId)) {
		throw new Error('A pending transaction is completed on its own, not in a batch');
	}
	if (new Set(changes.map((change) => change.idempotencyKey)).size !== changes.length) {
		throw new Error('A batch of balance changes repeats an idempotency key');
	}
	if (changes.length === 0) return [];
	const results = await inTransaction(db, (tx) =>
		changes[0].pendingTransactionId ? completePending(tx, changes[0]).then((result) => [result]) : applyNew(tx, changes)
	);
	return Array.isArray(input) ? results : results[0];
}

/**
 * Locks the customers' rows (in id order, so concurrent batches cannot deadlock) with the
 * lock an UPDATE takes anyway (FOR NO KEY UPDATE: rows referring to the customer can still
 * be written meanwhile) and reads their balances.
 */
async function lockBalances(tx: Tx, userIds: string[]) {
	const rows = await tx
		.select({ id: users.id, balance: users.creditBalance })
		.from(users)
		.where(inArray(users.id, userIds))
		.orderBy(users.id)
		.for('no key update');
	if (rows.length !== userIds.length) throw notFound('User');
	return new Map(rows.map((row) => [row.id, row.balance]));
}

/** Keys of these changes already in the ledger: replays, which change nothing. */
async function replayedRows(tx: Tx, changes: BalanceChange[]) {
	const rows = await tx
		.select()
		.from(transactions)
		.where(
			inArray(
				transactions.idempotencyKey,
				changes.map((change) => change.idempotencyKey)
			)
		);
	for (const row of rows) {
		const change = changes.find((candidate) => candidate.idempotencyKey === row.idempotencyKey)!;
		if (row.userId !== change.userId) throw new AppError('CONFLICT', 'Idempotency key already used by another account.');
	}
	return new Map(rows.map((row) => [row.idempotencyKey, row]));
}

/** Each new change's place in its customer's chain, from the locked balance on. */
function chain(changes: BalanceChange[], balances: Map<string, number>) {
	const running = new Map(balances);
	return changes.map((change) => {
		const before = running.get(change.userId)!;
		const after = before + change.amount;
		if (after < 0) throw insufficientCredit({ shortfall: -after, balance: before, required: -change.amount });
		running.set(change.userId, after);
		return { change, before, after };
	});
}

async function applyNew(tx: Tx, changes: BalanceChange[]): Promise<BalanceChangeResult[]> {
	const balances = await lockBalances(tx, [...new Set(changes.map((change) => change.userId))].sort());
	const replayed = await replayedRows(tx, changes);
	const links = chain(
		changes.filter((change) => !replayed.has(change.idempotencyKey)),
		balances
	);
	const written = links.length ? await writeLinks(tx, links) : [];
	// Every key was checked under the customers' locks: another writer of the same key would
	// have had to hold them too, so nothing can have slipped in between (throwing rolls back
	// the balances moved by the same statement).
	if (written.length !== links.length) throw new AppError('CONFLICT', 'Idempotency key already used by another account.');
	const byKey = new Map(written.map((row) => [row.idempotencyKey, row]));
	return changes.map((change) => {
		const row = byKey.get(change.idempotencyKey);
		return row ? { transaction: row, applied: true } : { transaction: replayed.get(change.idempotencyKey)!, applied: false };
	});
}

type Link = { change: BalanceChange; before: number; after: number };

/** Each customer's net change in a batch: balance and lifetime totals. */
function perUserTotals(links: Link[]) {
	const perUser = new Map<string, { amount: number; topUp: number; spent: number }>();
	for (const { change } of links) {
		const deltas = lifetimeDeltas(change.type, change.amount);
		const total = perUser.get(change.userId) ?? { amount: 0, topUp: 0, spent: 0 };
		perUser.set(change.userId, {
			amount: total.amount + change.amount,
			topUp: total.topUp + deltas.topUp,
			spent: total.spent + deltas.spent
		});
	}
	return perUser;
}

/**
 * The guarded UPDATE of the customers' balances and lifetime totals (never below zero), as
 * SQL for a statement that returns the ids it moved.
 */
function moveBalancesSql(links: Link[]) {
	const perUser = perUserTotals(links);
	const ids = [...perUser.keys()];
	const column = (key: 'amount' | 'topUp' | 'spent') => sql.param(ids.map((id) => perUser.get(id)![key]));
	return {
		count: ids.length,
		statement: sql`UPDATE ${users} SET credit_balance = ${users.creditBalance} + d.amount,
			total_top_up = ${users.totalTopUp} + d.top_up, total_spent = ${users.totalSpent} + d.spent
		FROM unnest(${sql.param(ids)}::uuid[], ${column('amount')}::bigint[], ${column('topUp')}::bigint[], ${column('spent')}::bigint[])
			AS d(id, amount, top_up, spent)
		WHERE ${users.id} = d.id AND ${users.creditBalance} + d.amount >= 0
		RETURNING ${users.id}`
	};
}

/** Every column of the ledger under its property name, so a raw row maps like a drizzle select. */
const transactionColumns = Object.entries(getTableColumns(transactions));
const returningTransaction = sql.join(
	transactionColumns.map(([key, column]) => sql`${column} AS ${sql.identifier(key)}`),
	sql`, `
);

function toTransaction(raw: Record<string, unknown>): Transaction {
	return Object.fromEntries(
		transactionColumns.map(([key, column]) => [key, raw[key] === null ? null : column.mapFromDriverValue(raw[key])])
	) as Transaction;
}

/**
 * Writes the completed ledger rows of a batch and moves the balances in one statement (one
 * round trip while the customers' rows are locked): arrays through unnest keep hundreds of
 * rows as cheap to parse as one. A key already present inserts nothing; a balance the guard
 * refuses moves nothing, and the caller's checks then roll the whole change back.
 */
async function writeLinks(tx: Tx, links: Link[]) {
	const column = <T>(pick: (link: Link) => T) => sql.param(links.map(pick));
	const move = moveBalancesSql(links);
	const result = await tx.execute<Record<string, unknown> & { moved: number }>(sql`
		WITH moved AS (${move.statement}),
		inserted AS (
			INSERT INTO ${transactions} (user_id, type, status, amount, balance_before, balance_after, completed_at, description, text,
				idempotency_key, payment_method, payment_reference, subscription_id, metadata, processed_by, admin_notes)
			SELECT v.user_id, v.type, 'COMPLETED', v.amount, v.before, v.after, v.completed_at, v.description, v.text,
				v.idempotency_key, v.payment_method, v.payment_reference, v.subscription_id, v.metadata, v.processed_by, v.admin_notes
			FROM unnest(
				${column((l) => l.change.userId)}::uuid[], ${column((l) => l.change.type)}::transaction_type[],
				${column((l) => l.change.amount)}::bigint[], ${column((l) => l.before)}::bigint[], ${column((l) => l.after)}::bigint[],
				${column((l) => l.change.description)}::text[], ${column((l) => l.change.idempotencyKey)}::text[],
				${column((l) => l.change.paymentMethod ?? null)}::payment_method[], ${column((l) => l.change.paymentReference ?? null)}::text[],
				${column((l) => l.change.subscriptionId ?? null)}::uuid[], ${column((l) => JSON.stringify(l.change.metadata ?? {}))}::jsonb[],
				${column((l) => l.change.processedBy ?? null)}::uuid[], ${column((l) => l.change.adminNotes ?? null)}::text[],
				${column((l) => l.change.at.toISOString())}::timestamptz[], ${column((l) => (l.change.text ? JSON.stringify(l.change.text) : null))}::jsonb[]
			) AS v(user_id, type, amount, before, after, description, idempotency_key, payment_method, payment_reference,
				subscription_id, metadata, processed_by, admin_notes, completed_at, text)
			ON CONFLICT (idempotency_key) DO NOTHING
			RETURNING ${returningTransaction})
		SELECT inserted.*, (SELECT count(*) FROM moved)::int AS moved FROM inserted`);
	// The rows are locked and the chain was checked: a refusal here means the books are wrong.
	if (result.rows.length > 0 && result.rows[0].moved !== move.count) throw new Error('A balance moved while it was locked');
	return result.rows.map(toTransaction);
}

/** The balances and lifetime totals of every customer in the batch, in one guarded statement. */
async function moveBalances(tx: Tx, links: Link[]) {
	const move = moveBalancesSql(links);
	const updated = await tx.execute(move.statement);
	// The rows are locked and the chain was checked: a refusal here means the books are wrong.
	if (updated.rows.length !== move.count) throw new Error('A balance moved while it was locked');
}

/** Completes a PENDING row (a top-up): locked first, so a second completion finds it done. */
async function completePending(tx: Tx, change: BalanceChange): Promise<BalanceChangeResult> {
	const [existing] = await tx.select().from(transactions).where(eq(transactions.id, change.pendingTransactionId!)).for('update');
	if (!existing || existing.userId !== change.userId) throw notFound('Transaction');
	if (existing.amount !== change.amount || existing.type !== change.type) {
		throw new AppError('CONFLICT', 'The pending transaction does not match this change.');
	}
	if (existing.status !== 'PENDING') return { transaction: existing, applied: false };
	const balances = await lockBalances(tx, [change.userId]);
	const [link] = chain([change], balances);
	await moveBalances(tx, [link]);
	const [completed] = await tx
		.update(transactions)
		.set({
			status: 'COMPLETED',
			balanceBefore: link.before,
			balanceAfter: link.after,
			completedAt: change.at,
			...(change.paymentMethod ? { paymentMethod: change.paymentMethod } : {}),
			...(change.paymentReference ? { paymentReference: change.paymentReference } : {}),
			...(change.processedBy ? { processedBy: change.processedBy } : {}),
			...(change.adminNotes ? { adminNotes: change.adminNotes } : {}),
			metadata: sql`${transactions.metadata} || ${JSON.stringify(change.metadata ?? {})}::jsonb`
		})
		.where(eq(transactions.id, existing.id))
		.returning();
	return { transaction: completed, applied: true };
}
