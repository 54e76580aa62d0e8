// The customer's wallet: balance, limits and the history of their ledger rows.
import { and, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import { prepared, type DbOrTx } from '../db/client';
import { transactions, users, type Transaction, type TransactionStatus, type TransactionType } from '../db/schema';
import { notFound } from '../errors';
import { idSchema } from '../validation';
import { toTransactionView, type TransactionListRow } from './views';

/** The balance, lifetime totals and pending top-ups in one prepared round trip. */
const walletQuery = (db: DbOrTx) =>
	db
		.select({
			balance: users.creditBalance,
			balanceVersion: users.balanceVersion,
			totalTopUp: users.totalTopUp,
			totalSpent: users.totalSpent,
			// By the placeholder, not by users.id: in a one-table select drizzle writes a column
			// without its table, and inside this subquery "id" would be the transaction's.
			pendingTopUps: sql<number>`(SELECT count(*) FROM ${transactions} WHERE ${transactions.userId} = ${sql.placeholder('userId')}
				AND ${transactions.type} = 'TOP_UP' AND ${transactions.status} = 'PENDING')::int`
		})
		.from(users)
		.where(eq(users.id, sql.placeholder('userId')))
		.prepare('wallet_balance');

export async function getWallet(runtime: Runtime, userId: string) {
	const [account] = await prepared(runtime.db, 'wallet_balance', walletQuery).execute({ userId });
	if (!account) throw notFound('Account');
	const { minTopUp, maxTopUp, maxBalance } = runtime.config.wallet;
	return { ...account, limits: { minTopUp, maxTopUp, maxBalance } };
}

export type TransactionFilter = {
	type?: TransactionType;
	status?: TransactionStatus;
	/** `YYYY-MM-DD`, Jakarta time, inclusive. */
	from?: string;
	to?: string;
	page?: number;
	pageSize?: number;
};

/**
 * What the history shows of a row (views.ts, toTransactionView) rather than the whole row: no
 * keys, references or notes to read and map, and the metadata (a gateway's payload, for a
 * top-up) only of a failed row, whose kind of failure it tells. Parsing and mapping columns
 * was about a quarter of a twenty-row page's profile (issue 16).
 */
const listColumns = {
	id: transactions.id,
	type: transactions.type,
	status: transactions.status,
	amount: transactions.amount,
	balanceBefore: transactions.balanceBefore,
	balanceAfter: transactions.balanceAfter,
	description: transactions.description,
	text: transactions.text,
	metadata: sql<Transaction['metadata']>`CASE WHEN ${transactions.status} = 'FAILED' THEN ${transactions.metadata} ELSE '{}' END`,
	paymentMethod: transactions.paymentMethod,
	orderId: transactions.orderId,
	paymentProof: transactions.paymentProof,
	flaggedAt: transactions.flaggedAt,
	flagResolvedAt: transactions.flagResolvedAt,
	createdAt: transactions.createdAt,
	completedAt: transactions.completedAt
} satisfies Record<keyof TransactionListRow, unknown>;

/**
 * When a row took effect: a top-up or a transfer proof changes the balance when it completes,
 * which may be hours or days after it began; a row not completed sits where it began. The
 * history is ordered and filtered by it, so its balance column reads top to bottom.
 */
export const effectiveAt = sql<Date>`coalesce(${transactions.completedAt}, ${transactions.createdAt})`;

/**
 * A page and the count of every row its filter matches, in one statement: `count(*) OVER ()`
 * is taken over the rows before LIMIT and OFFSET (PostgreSQL, "Window Function Processing":
 * window functions run after WHERE and before ORDER BY's LIMIT,
 * https://www.postgresql.org/docs/current/queries-table-expressions.html#QUERIES-WINDOW). A second
 * round trip for the count was a third of the page's database work on the web process
 * (issue 16). A page past the end has no row to carry the count, and counts apart.
 */
const pageColumns = { ...listColumns, total: sql<number>`count(*) OVER ()`.mapWith(Number) };

const historyPage = (db: DbOrTx) =>
	db
		.select(pageColumns)
		.from(transactions)
		.where(eq(transactions.userId, sql.placeholder('userId')))
		.orderBy(desc(effectiveAt), desc(transactions.createdAt), desc(transactions.id))
		.limit(sql.placeholder('limit'))
		.offset(sql.placeholder('offset'))
		.prepare('wallet_history');

export async function listTransactions(db: DbOrTx, userId: string, filter: TransactionFilter = {}) {
	const page = filter.page ?? 1;
	const pageSize = filter.pageSize ?? 20;
	const offset = (page - 1) * pageSize;
	const conditions: SQL[] = [eq(transactions.userId, userId)];
	if (filter.type) conditions.push(eq(transactions.type, filter.type));
	if (filter.status) conditions.push(eq(transactions.status, filter.status));
	if (filter.from) conditions.push(gte(effectiveAt, new Date(`${filter.from}T00:00:00+07:00`)));
	if (filter.to) conditions.push(lte(effectiveAt, new Date(`${filter.to}T23:59:59.999+07:00`)));
	// The unfiltered history (the wallet page's first view) runs a prepared statement.
	const rows =
		conditions.length === 1
			? await prepared(db, 'wallet_history', historyPage).execute({ userId, limit: pageSize, offset })
			: await db
					.select(pageColumns)
					.from(transactions)
					.where(and(...conditions))
					.orderBy(desc(effectiveAt), desc(transactions.createdAt), desc(transactions.id))
					.limit(pageSize)
					.offset(offset);
	let total = rows[0]?.total ?? 0;
	if (rows.length === 0 && offset > 0) {
		const [counted] = await db
			.select({ value: count() })
			.from(transactions)
			.where(and(...conditions));
		total = counted.value;
	}
	return {
		items: rows.map(toTransactionView),
		total,
		page,
		pageSize,
		pageCount: Math.max(1, Math.ceil(total / pageSize))
	};
}

/** The user's own transaction; another user's is reported as missing, not forbidden. */
export async function findOwnedTransaction(db: DbOrTx, userId: string, id: string): Promise<Transaction> {
	// An id that is not even a UUID names nothing (rather than a database error).
	if (!idSchema.safeParse(id).success) throw notFound('Transaction');
	const [row] = await db
		.select()
		.from(transactions)
		.where(and(eq(transactions.id, id), eq(transactions.userId, userId)));
	if (!row) throw notFound('Transaction');
	return row;
}

/** A transaction its owner or an administrator may see; anyone else gets NOT_FOUND. */
export async function findTransactionFor(db: DbOrTx, viewer: { id: string; role: string }, id: string): Promise<Transaction> {
	if (viewer.role !== 'ADMINISTRATOR') return findOwnedTransaction(db, viewer.id, id);
	if (!idSchema.safeParse(id).success) throw notFound('Transaction');
	const [row] = await db.select().from(transactions).where(eq(transactions.id, id));
	if (!row) throw notFound('Transaction');
	return row;
}
