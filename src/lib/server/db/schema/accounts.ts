// Accounts: people, their sessions, the devices they logged in from, and rate-limit counters.
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import { ACCOUNT_TOKEN_PURPOSES, LOCALES, ROLES } from '../../../statuses';
import { createdAt, updatedAt, money } from './columns';

export const roleEnum = pgEnum('role', ROLES);
export const accountTokenPurposeEnum = pgEnum('account_token_purpose', ACCOUNT_TOKEN_PURPOSES);
export const localeEnum = pgEnum('locale', LOCALES);

export const users = pgTable(
	'users',
	{
		id: uuid().primaryKey().defaultRandom(),
		name: text().notNull(),
		/** Stored lower-cased; unique. */
		email: text().notNull(),
		phone: text(),
		role: roleEnum().notNull().default('USER'),
		passwordHash: text().notNull(),
		isActive: boolean().notNull().default(true),
		creditBalance: money().notNull().default(0),
		/**
		 * Counts the moves of creditBalance (the ledger's guarded update bumps it): of two reads
		 * of the balance, the one with the higher version is the newer, whichever arrived last
		 * (the header's balance, read with a page and again by the live notice stream).
		 */
		balanceVersion: bigint({ mode: 'number' }).notNull().default(0),
		totalTopUp: money().notNull().default(0),
		totalSpent: money().notNull().default(0),
		/** Mails that are not essential (receipts, notices); reminders of money owed always go out. */
		optionalMails: boolean().notNull().default(true),
		/** When the owner opened the verification link; a top-up needs it. */
		emailVerifiedAt: timestamp({ withTimezone: true }),
		/** The language the account chose (pages, mails, notifications); null: not chosen yet. */
		locale: localeEnum(),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('users_email_unique').on(t.email),
		// The admin customer list (newest first) and customer growth by day.
		index('users_created_idx').on(t.createdAt),
		index('users_role_created_idx').on(t.role, t.createdAt),
		check('users_credit_balance_non_negative', sql`${t.creditBalance} >= 0`),
		check('users_total_top_up_non_negative', sql`${t.totalTopUp} >= 0`)
	]
);

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the session token, hex encoded; the token itself is never stored. */
		id: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		createdAt: createdAt(),
		userAgent: text(),
		ipAddress: text()
	},
	(t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)]
);

/**
 * Browsers an account has logged in from, by the SHA-256 of a long-lived device cookie: the
 * right password from one of them lifts a login lock that strangers' failures caused.
 */
export const knownDevices = pgTable(
	'known_devices',
	{
		tokenHash: text().notNull(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.tokenHash, t.userId] }), index('known_devices_user_idx').on(t.userId)]
);

/**
 * The counters of rate-limiter-flexible's PostgreSQL store (rate-limit.ts), shared by every
 * process. Its columns and their order are the library's: it inserts `(key, points, expire)`
 * positionally; `expire` is milliseconds since the epoch.
 */
export const rateLimits = pgTable(
	'rate_limits',
	{
		key: text().primaryKey(),
		points: integer().notNull().default(0),
		expire: bigint({ mode: 'number' })
	},
	(t) => [index('rate_limits_expire_idx').on(t.expire)]
);

/**
 * Links mailed to an account (password reset, e-mail verification, e-mail change): only the
 * SHA-256 of the link's token is kept, so a copy of the database opens no account. A token
 * is used once (`usedAt`) and only until `expiresAt`.
 */
export const accountTokens = pgTable(
	'account_tokens',
	{
		tokenHash: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		purpose: accountTokenPurposeEnum().notNull(),
		/** The address an e-mail change moves to; the address a verification is for. */
		email: text().notNull(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		usedAt: timestamp({ withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('account_tokens_user_idx').on(t.userId, t.purpose), index('account_tokens_expires_idx').on(t.expiresAt)]
);
