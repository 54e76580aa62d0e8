// Receipt numbers: KW/<year>/<sequence>, one sequence per year without a gap. The money
// path does not wait for them: a number is given after the ledger row committed, by one
// serialized assigner (an advisory lock) that runs when a receipt is first asked for and
// by a sweep (jobs/receipt-numbers.ts). Under the lock it reads only committed rows and
// continues each year's sequence from the highest number given, in the same transaction
// as the rows it writes, so a rolled-back assignment leaves no hole and a charge that
// never committed never gets a number.
import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { inTransaction, type DbOrTx, type Tx } from '../db/client';
import { billingProfiles, receipts, transactions, users, type ReceiptRecipient } from '../db/schema';
import { RECEIPT_TRANSACTION_TYPES } from '$lib/statuses';

/** How many receipts one assignment numbers at most; the sweep comes back for the rest. */
const ASSIGN_BATCH = 500;

/** KW/2026/000123 */
export function receiptNumber(year: number, sequence: number): string {
	return `KW/${year}/${String(sequence).padStart(6, '0')}`;
}

/** The year (in WIB, UTC+7 without daylight saving) a payment completed in. */
export function receiptYear(completedAt: Date): number {
	return new Date(completedAt.getTime() + 7 * 60 * 60 * 1000).getUTCFullYear();
}

/** Completed top-ups and charges without a receipt, in the order they completed. */
function unnumbered(tx: Tx, limit: number) {
	return tx
		.select({
			id: transactions.id,
			userId: transactions.userId,
			completedAt: transactions.completedAt,
			accountName: users.name,
			profile: {
				kind: billingProfiles.kind,
				name: billingProfiles.name,
				address: billingProfiles.address,
				npwp: billingProfiles.npwp
			}
		})
		.from(transactions)
		.innerJoin(users, eq(users.id, transactions.userId))
		.leftJoin(billingProfiles, eq(billingProfiles.userId, transactions.userId))
		.leftJoin(receipts, eq(receipts.transactionId, transactions.id))
		.where(
			and(
				eq(transactions.status, 'COMPLETED'),
				inArray(transactions.type, [...RECEIPT_TRANSACTION_TYPES]),
				ne(transactions.amount, 0),
				isNull(receipts.id)
			)
		)
		.orderBy(asc(transactions.completedAt), asc(transactions.id))
		.limit(limit);
}

async function lastSequences(tx: Tx, years: number[]): Promise<Map<number, number>> {
	if (years.length === 0) return new Map();
	const rows = await tx
		.select({ year: receipts.year, last: sql<number>`max(${receipts.sequence})::int` })
		.from(receipts)
		.where(inArray(receipts.year, years))
		.groupBy(receipts.year);
	return new Map(rows.map((row) => [row.year, row.last]));
}

/**
 * Numbers every completed top-up and charge that has no receipt yet, in completion order,
 * up to `limit` of them. Returns how many receipts it issued.
 */
export async function assignReceiptNumbers(db: DbOrTx, limit = ASSIGN_BATCH): Promise<number> {
	return inTransaction(db, async (tx) => {
		// One assigner at a time across every process; released when this transaction ends.
		await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('minispod:receipt-numbers'))`);
		const pending = await unnumbered(tx, limit);
		if (pending.length === 0) return 0;
		// Completed rows always have their time; the year of a receipt is the WIB year of it.
		const years = pending.map((row) => receiptYear(row.completedAt!));
		const last = await lastSequences(tx, [...new Set(years)]);
		const issuedAt = new Date();
		const rows = pending.map((row, index) => {
			const year = years[index];
			const sequence = (last.get(year) ?? 0) + 1;
			last.set(year, sequence);
			const recipient: ReceiptRecipient = row.profile
				? { ...row.profile }
				: { kind: 'PERSONAL', name: row.accountName, address: null, npwp: null };
			return {
				transactionId: row.id,
				userId: row.userId,
				year,
				sequence,
				number: receiptNumber(year, sequence),
				recipient,
				issuedAt
			};
		});
		await tx.insert(receipts).values(rows);
		return rows.length;
	});
}
