// Receipts and billing profiles: who may read a receipt, the number it is given when first
// asked for, and the profile it is made out to.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	billingProfiles,
	receipts,
	transactions,
	users,
	type BillingProfile,
	type Receipt,
	type Transaction
} from '../db/schema';
import { notFound } from '../errors';
import { idSchema } from '../validation';
import { hasReceipt } from '$lib/receipts';
import type { Locale } from '$lib/statuses';
import { assignReceiptNumbers } from './numbering';
import type { BillingProfileInput } from './schemas';

export type Viewer = { id: string; role: string };

/** The ledger row a receipt is for, if the viewer may see it: its owner or an administrator. */
async function receiptableTransaction(db: DbOrTx, viewer: Viewer, transactionId: string): Promise<Transaction> {
	if (!idSchema.safeParse(transactionId).success) throw notFound('Receipt');
	const owner = viewer.role === 'ADMINISTRATOR' ? undefined : eq(transactions.userId, viewer.id);
	const [row] = await db
		.select()
		.from(transactions)
		.where(and(eq(transactions.id, transactionId), owner));
	// Another customer's row is "not found", the same answer as a row that does not exist.
	if (!row || !hasReceipt(row)) throw notFound('Receipt');
	return row;
}

const findReceipt = async (db: DbOrTx, transactionId: string) =>
	(await db.select().from(receipts).where(eq(receipts.transactionId, transactionId)))[0];

/**
 * The receipt of a completed top-up or charge, numbered now if the sweep has not come to
 * it yet (the assigner numbers every earlier payment first, so the order stays the
 * completion order). With it, the transaction and the language of its owner.
 */
export async function getReceipt(
	db: DbOrTx,
	viewer: Viewer,
	transactionId: string
): Promise<{ receipt: Receipt; transaction: Transaction; locale: Locale }> {
	const transaction = await receiptableTransaction(db, viewer, transactionId);
	let receipt = await findReceipt(db, transaction.id);
	while (!receipt) {
		// Each pass numbers a batch in completion order; this one is among the next. A pass
		// that numbers nothing while this one has none would loop forever: it cannot happen
		// for a committed, receiptable row, so it is a bug worth an error.
		const issued = await assignReceiptNumbers(db);
		receipt = await findReceipt(db, transaction.id);
		if (!receipt && issued === 0) throw new Error(`Receipt of ${transaction.id} could not be numbered`);
	}
	const [owner] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, transaction.userId));
	return { receipt, transaction, locale: owner?.locale ?? 'id' };
}

export async function getBillingProfile(db: DbOrTx, userId: string): Promise<BillingProfile | null> {
	const [row] = await db.select().from(billingProfiles).where(eq(billingProfiles.userId, userId));
	return row ?? null;
}

/** Saves the profile later receipts are made out to; receipts already issued keep theirs. */
export async function saveBillingProfile(db: DbOrTx, userId: string, input: BillingProfileInput): Promise<BillingProfile> {
	const values = { kind: input.kind, name: input.name, address: input.address, npwp: input.npwp };
	const [row] = await db
		.insert(billingProfiles)
		.values({ userId, ...values })
		.onConflictDoUpdate({ target: billingProfiles.userId, set: { ...values, updatedAt: new Date() } })
		.returning();
	return row;
}
