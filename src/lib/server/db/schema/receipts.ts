// Receipts (kwitansi) and the billing profile they are made out to.
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import { BILLING_PROFILE_KINDS } from '../../../statuses';
import { createdAt, updatedAt } from './columns';
import { users } from './accounts';
import { transactions } from './billing';

export const billingProfileKindEnum = pgEnum('billing_profile_kind', BILLING_PROFILE_KINDS);

/** Who a customer's receipts are made out to; without one, the account's name. */
export const billingProfiles = pgTable('billing_profiles', {
	userId: uuid()
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	kind: billingProfileKindEnum().notNull().default('PERSONAL'),
	name: text().notNull(),
	address: text().notNull(),
	/** Nomor Pokok Wajib Pajak, digits only (15, or 16 since the NIK-based format); optional. */
	npwp: text(),
	createdAt: createdAt(),
	updatedAt: updatedAt()
});

export type ReceiptRecipient = {
	kind: (typeof BILLING_PROFILE_KINDS)[number];
	name: string;
	address: string | null;
	npwp: string | null;
};

/**
 * A receipt for one completed top-up or charge. Rows are written only by the serialized
 * assigner (receipts/numbering.ts), after the ledger row committed, so the numbers of a
 * year run 1, 2, 3, ... without a gap.
 */
export const receipts = pgTable(
	'receipts',
	{
		id: uuid().primaryKey().defaultRandom(),
		transactionId: uuid()
			.notNull()
			.references(() => transactions.id, { onDelete: 'restrict' }),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		/** The year (WIB) the payment completed in; numbering restarts every year. */
		year: integer().notNull(),
		sequence: integer().notNull(),
		/** KW/<year>/<sequence, six digits>. */
		number: text().notNull(),
		/** The billing profile as it was when the receipt was issued. */
		recipient: jsonb().$type<ReceiptRecipient>().notNull(),
		issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('receipts_transaction_unique').on(t.transactionId),
		uniqueIndex('receipts_year_sequence_unique').on(t.year, t.sequence),
		uniqueIndex('receipts_number_unique').on(t.number),
		check('receipts_sequence_positive', sql`${t.sequence} > 0`)
	]
);
