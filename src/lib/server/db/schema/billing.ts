// Subscriptions and billing: subscriptions, the waitlist, the ledger and payment notifications.
import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	foreignKey,
	index,
	jsonb,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import {
	PAYMENT_METHODS,
	SUBSCRIPTION_STATUSES,
	type BackupSchedule,
	SUSPENSION_REASONS,
	TRANSACTION_STATUSES,
	TRANSACTION_TYPES,
	WAITLIST_STATUSES
} from '../../../statuses';
import { createdAt, updatedAt, money } from './columns';
import { users } from './accounts';
import { servicePlans, services } from './catalog';
import type { LedgerText } from '../../wallet/ledger-texts';
import type { EndReason } from '../../subscriptions/end-reasons';

export const subscriptionStatusEnum = pgEnum('subscription_status', SUBSCRIPTION_STATUSES);

export const suspensionReasonEnum = pgEnum('suspension_reason', SUSPENSION_REASONS);

/** What a plan sold a subscriber: its resources, custom domains and backups at purchase or upgrade. */
export type SoldTerms = {
	planId: string;
	cpuMilli: number;
	memoryMb: number;
	storageGb: number;
	customDomainsAllowed: number;
	backupSchedule: BackupSchedule;
	backupRetention: number;
};

export const subscriptions = pgTable(
	'subscriptions',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		serviceId: uuid()
			.notNull()
			.references(() => services.id),
		planId: uuid()
			.notNull()
			.references(() => servicePlans.id),
		name: text(),
		status: subscriptionStatusEnum().notNull().default('ACTIVE'),
		startDate: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/**
		 * The moment whose day of the month and time of day (in WIB) every period ends on:
		 * the start, moved by an administrator's extension, renewed on reactivation.
		 */
		billingAnchor: timestamp({ withTimezone: true }).notNull().defaultNow(),
		currentPeriodStart: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/** End of the paid period; the renewal is due then. */
		endDate: timestamp({ withTimezone: true }).notNull(),
		lastBilled: timestamp({ withTimezone: true }),
		/** Monthly price cached at purchase or upgrade; renewals charge it. */
		monthlyPrice: money().notNull(),
		/**
		 * A plan price change waiting for this subscription's next renewal: the renewal of a
		 * period starting at or after `pendingPriceFrom` charges `pendingMonthlyPrice`, makes
		 * it the `monthlyPrice` and clears both. An upgrade clears them (the new plan's price
		 * applies at once).
		 */
		pendingMonthlyPrice: money(),
		pendingPriceFrom: timestamp({ withTimezone: true }),
		/**
		 * What this subscription was sold (resources, custom domains, backups), kept when an
		 * administrator later changes its plan's (those apply to new subscriptions and upgrades).
		 * Applies only while the subscription is on `planId`; null means the plan's current terms.
		 */
		// The column's name is from when it kept only resources: renaming it would break the
		// release before during a rolling upgrade (migrations only add within a release).
		soldTerms: jsonb('sold_resources').$type<SoldTerms>(),
		lastChargeAmount: money(),
		previousPlanId: uuid().references(() => servicePlans.id),
		upgradeDate: timestamp({ withTimezone: true }),
		autoRenew: boolean().notNull().default(true),
		cancelAtPeriodEnd: boolean().notNull().default(false),
		cancelledAt: timestamp({ withTimezone: true }),
		/** Why it ended or will end, in English (rows from before cancel_reason_text show it as it is). */
		cancelReason: text(),
		/** MinisPod's reason as a message key, read in each viewer's language (null for an administrator's own words). */
		cancelReasonText: jsonb().$type<EndReason>(),
		/** While PAST_DUE: when the app is suspended unless the renewal is paid. */
		gracePeriodEnd: timestamp({ withTimezone: true }),
		suspendedAt: timestamp({ withTimezone: true }),
		/** Why it is SUSPENDED; a NON_PAYMENT suspension ends in deletion after the retention days. */
		suspendedFor: suspensionReasonEnum(),
		/** The administrator's reason for a suspension, shown to the customer while it lasts. */
		suspensionNote: text(),
		/** A bonus subscription granted by an administrator, never charged. */
		isGrant: boolean().notNull().default(false),
		grantedBy: uuid().references(() => users.id),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		// One live subscription per user and service; ended ones do not block a new one.
		uniqueIndex('subscriptions_one_live_per_service')
			.on(t.userId, t.serviceId)
			.where(sql`${t.status} NOT IN ('CANCELLED', 'EXPIRED')`),
		// A subscription's service is its plan's service.
		foreignKey({
			name: 'subscriptions_service_plan_fk',
			columns: [t.serviceId, t.planId],
			foreignColumns: [servicePlans.serviceId, servicePlans.id]
		}),
		index('subscriptions_user_idx').on(t.userId),
		index('subscriptions_plan_idx').on(t.planId),
		index('subscriptions_end_date_idx').on(t.endDate),
		// The billing sweeps: due renewals (ACTIVE by end date); grace periods and suspensions
		// are few and found through the status.
		index('subscriptions_status_end_date_idx').on(t.status, t.endDate),
		// The admin list: by status, newest first (and all, newest first).
		index('subscriptions_status_created_idx').on(t.status, t.createdAt.desc()),
		index('subscriptions_created_idx').on(t.createdAt.desc()),
		// Analytics: subscriptions started in a period.
		index('subscriptions_start_idx').on(t.startDate),
		check('subscriptions_price_non_negative', sql`${t.monthlyPrice} >= 0`)
	]
);

export const waitlistStatusEnum = pgEnum('waitlist_status', WAITLIST_STATUSES);

export const waitlistEntries = pgTable(
	'waitlist_entries',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		planId: uuid()
			.notNull()
			.references(() => servicePlans.id, { onDelete: 'cascade' }),
		status: waitlistStatusEnum().notNull().default('WAITING'),
		notifiedAt: timestamp({ withTimezone: true }),
		/** When a NOTIFIED entry's offer lapses. */
		offerExpiresAt: timestamp({ withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('waitlist_one_open_entry')
			.on(t.userId, t.planId)
			.where(sql`${t.status} IN ('WAITING', 'NOTIFIED')`),
		index('waitlist_plan_idx').on(t.planId, t.createdAt),
		// Lapsing offers: NOTIFIED entries by expiry.
		index('waitlist_status_expiry_idx').on(t.status, t.offerExpiresAt)
	]
);

export const transactionTypeEnum = pgEnum('transaction_type', TRANSACTION_TYPES);

export const transactionStatusEnum = pgEnum('transaction_status', TRANSACTION_STATUSES);

export const paymentMethodEnum = pgEnum('payment_method', PAYMENT_METHODS);

export const transactions = pgTable(
	'transactions',
	{
		id: uuid().primaryKey().defaultRandom(),
		/** The ledger outlives nothing: an account with ledger rows cannot be deleted. */
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'restrict' }),
		type: transactionTypeEnum().notNull(),
		status: transactionStatusEnum().notNull().default('PENDING'),
		/** Signed: credits are positive, debits negative. */
		amount: money().notNull(),
		/** Set when the transaction completes and moves the balance. */
		balanceBefore: money(),
		balanceAfter: money(),
		paymentMethod: paymentMethodEnum(),
		/** Gateway order id (`TXMP-…`) for top-ups. */
		orderId: text(),
		paymentReference: text(),
		/** Path of an uploaded transfer proof, relative to the uploads directory. */
		paymentProof: text(),
		subscriptionId: uuid().references(() => subscriptions.id),
		description: text().notNull(),
		/** The description as a message key and parameters, for each reader's language (wallet/ledger-texts.ts). */
		text: jsonb().$type<LedgerText>(),
		metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		/** Makes every balance change happen at most once. */
		idempotencyKey: text().notNull(),
		/** Set when a payment needs an administrator's attention (refund, chargeback). */
		flaggedAt: timestamp({ withTimezone: true }),
		flagReason: text(),
		flagResolvedAt: timestamp({ withTimezone: true }),
		processedBy: uuid().references(() => users.id),
		adminNotes: text(),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		completedAt: timestamp({ withTimezone: true })
	},
	(t) => [
		uniqueIndex('transactions_idempotency_key_unique').on(t.idempotencyKey),
		uniqueIndex('transactions_order_id_unique').on(t.orderId),
		index('transactions_user_created_idx').on(t.userId, t.createdAt),
		// Flagged payments waiting for an administrator, newest first.
		index('transactions_flagged_idx')
			.on(t.flaggedAt.desc())
			.where(sql`${t.flaggedAt} IS NOT NULL`),
		// Recent administrator adjustments.
		index('transactions_type_created_idx').on(t.type, t.createdAt.desc()),
		// Pending top-ups and proofs: the refresh sweep, the proof queue and the balance cap.
		index('transactions_pending_top_ups_idx')
			.on(t.userId, t.createdAt)
			.where(sql`${t.type} = 'TOP_UP' AND ${t.status} = 'PENDING'`),
		index('transactions_subscription_idx').on(t.subscriptionId),
		// Analytics: money that moved in a period, by type.
		index('transactions_completed_idx')
			.on(t.type, t.completedAt)
			.where(sql`${t.status} = 'COMPLETED'`),
		// Analytics: a subscription's first charge (new recurring revenue).
		index('transactions_subscription_charges_idx')
			.on(t.subscriptionId, t.createdAt)
			.where(sql`${t.type} = 'SUBSCRIPTION' AND ${t.status} = 'COMPLETED'`),
		check('transactions_order_id_length', sql`char_length(${t.orderId}) <= 50`),
		check(
			'transactions_completed_has_balances',
			sql`${t.status} <> 'COMPLETED' OR (${t.balanceBefore} IS NOT NULL AND ${t.balanceAfter} IS NOT NULL AND ${t.balanceAfter} = ${t.balanceBefore} + ${t.amount})`
		)
	]
);

/** Every gateway notification, stored raw before anything acts on it. */
export const paymentEvents = pgTable(
	'payment_events',
	{
		id: uuid().primaryKey().defaultRandom(),
		provider: text().notNull().default('midtrans'),
		orderId: text(),
		transactionId: uuid().references(() => transactions.id),
		transactionStatus: text(),
		fraudStatus: text(),
		statusCode: text(),
		grossAmount: text(),
		signatureValid: boolean().notNull(),
		/** What MinisPod did with it: credited, ignored_stale, rejected_signature, ... */
		outcome: text(),
		payload: jsonb().$type<Record<string, unknown>>().notNull(),
		receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('payment_events_order_idx').on(t.orderId, t.receivedAt),
		// The webhook log: newest first, or by verdict.
		index('payment_events_received_idx').on(t.receivedAt),
		index('payment_events_outcome_idx').on(t.outcome, t.receivedAt)
	]
);
