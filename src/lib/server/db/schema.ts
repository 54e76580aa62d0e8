// The whole MinisPod product model. Later capabilities extend these tables rather than
// reshape them. Money is integer rupiah in `bigint` columns (read as JS numbers: every
// amount MinisPod handles is far below 2^53).
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	date,
	foreignKey,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads this file without the app's aliases.
import {
	INSTANCE_STATUSES,
	MAIL_STATUSES,
	PAYMENT_METHODS,
	PLAN_TYPES,
	ROLES,
	SUBSCRIPTION_STATUSES,
	SUSPENSION_REASONS,
	TRANSACTION_STATUSES,
	TRANSACTION_TYPES,
	WAITLIST_STATUSES
} from '../../statuses';

export { ENDED_SUBSCRIPTION_STATUSES, SLOT_HOLDING_STATUSES } from '../../statuses';

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const updatedAt = () =>
	timestamp({ withTimezone: true })
		.notNull()
		.defaultNow()
		.$onUpdate(() => new Date());
const money = () => bigint({ mode: 'number' });

// ---------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------

export const roleEnum = pgEnum('role', ROLES);

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
		totalTopUp: money().notNull().default(0),
		totalSpent: money().notNull().default(0),
		/** Mails that are not essential (receipts, notices); reminders of money owed always go out. */
		optionalMails: boolean().notNull().default(true),
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

// ---------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------

export const serviceCategories = pgTable('service_categories', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull().unique(),
	slug: text().notNull().unique(),
	description: text(),
	icon: text(),
	sortOrder: integer().notNull().default(0),
	/** A hidden category and its services are left out of the catalog. */
	isVisible: boolean().notNull().default(true),
	createdAt: createdAt(),
	updatedAt: updatedAt()
});

/**
 * One environment variable of a service template. Exactly one source applies:
 * a literal `value`, a `secret` generated once per instance, or a value `derived`
 * from the instance (its public URL, host name, ...).
 */
export type EnvTemplateEntry = {
	name: string;
	description?: string;
	value?: string;
	secret?: { length: number; encoding?: 'hex' | 'base64url' | 'alphanumeric' };
	derived?: 'PUBLIC_URL' | 'PUBLIC_HOST' | 'INSTANCE_NAME' | 'DATA_DIR';
};

export const services = pgTable(
	'services',
	{
		id: uuid().primaryKey().defaultRandom(),
		name: text().notNull(),
		slug: text().notNull().unique(),
		description: text().notNull(),
		longDescription: text(),
		icon: text(),
		version: text().notNull(),
		dockerImage: text().notNull(),
		defaultPort: integer().notNull(),
		healthCheckPath: text().notNull().default('/'),
		/** Where the app keeps its data; the plan's volume is mounted here. */
		dataMountPath: text().notNull().default('/data'),
		/**
		 * Pod Security level the image can run under. Customer namespaces enforce
		 * "restricted"; a template that cannot ("baseline") runs in a namespace of its own.
		 */
		podSecurityLevel: text().notNull().default('restricted'),
		/** UID/GID the image runs as (used for securityContext and volume ownership). */
		runAsUser: integer(),
		/** The app runs with a read-only root filesystem (its writable paths get emptyDirs). */
		readOnlyRootFilesystem: boolean().notNull().default(false),
		/** Paths the app writes outside its data volume (temp files, caches): an emptyDir each. */
		writablePaths: text()
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		categoryId: uuid()
			.notNull()
			.references(() => serviceCategories.id),
		envTemplate: jsonb().$type<EnvTemplateEntry[]>().notNull().default([]),
		/** What to do after the app first starts (make the first account, ...), one step each, shown on the instance page. */
		firstRunSteps: text()
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		tags: text()
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		websiteUrl: text(),
		isActive: boolean().notNull().default(true),
		isPublic: boolean().notNull().default(true),
		isFeatured: boolean().notNull().default(false),
		sortOrder: integer().notNull().default(0),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		index('services_category_idx').on(t.categoryId),
		check('services_default_port_range', sql`${t.defaultPort} BETWEEN 1 AND 65535`),
		check('services_pod_security_level', sql`${t.podSecurityLevel} IN ('restricted', 'baseline')`)
	]
);

/** Tiers in upgrade order: a subscription may only move to a later one. */
export const planTypeEnum = pgEnum('plan_type', PLAN_TYPES);

export const servicePlans = pgTable(
	'service_plans',
	{
		id: uuid().primaryKey().defaultRandom(),
		serviceId: uuid()
			.notNull()
			.references(() => services.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		planType: planTypeEnum().notNull(),
		description: text(),
		monthlyPrice: money().notNull(),
		cpuMilli: integer().notNull(),
		memoryMb: integer().notNull(),
		storageGb: integer().notNull(),
		bandwidthGb: integer().notNull().default(0),
		/** Slots the servers can hold for this plan. */
		totalQuota: integer().notNull(),
		/** Slots held by live subscriptions. */
		usedQuota: integer().notNull().default(0),
		features: jsonb().$type<string[]>().notNull().default([]),
		isActive: boolean().notNull().default(true),
		isPopular: boolean().notNull().default(false),
		sortOrder: integer().notNull().default(0),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('service_plans_service_type_unique').on(t.serviceId, t.planType),
		// Target of the subscriptions' (service, plan) foreign key.
		unique('service_plans_service_id_unique').on(t.serviceId, t.id),
		check('service_plans_price_non_negative', sql`${t.monthlyPrice} >= 0`),
		check('service_plans_quota_bounds', sql`${t.usedQuota} >= 0 AND ${t.usedQuota} <= ${t.totalQuota}`),
		check('service_plans_resources_positive', sql`${t.cpuMilli} > 0 AND ${t.memoryMb} > 0 AND ${t.storageGb} > 0`)
	]
);

// ---------------------------------------------------------------------------
// Subscriptions and billing
// ---------------------------------------------------------------------------

export const subscriptionStatusEnum = pgEnum('subscription_status', SUBSCRIPTION_STATUSES);

export const suspensionReasonEnum = pgEnum('suspension_reason', SUSPENSION_REASONS);

export type SoldResources = { planId: string; cpuMilli: number; memoryMb: number; storageGb: number };

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
		 * The resources this subscription was sold, kept when an administrator later changes
		 * its plan's resources (those apply to new subscriptions and upgrades). Applies only
		 * while the subscription is on `planId`; null means the plan's current resources.
		 */
		soldResources: jsonb().$type<SoldResources>(),
		lastChargeAmount: money(),
		previousPlanId: uuid().references(() => servicePlans.id),
		upgradeDate: timestamp({ withTimezone: true }),
		autoRenew: boolean().notNull().default(true),
		cancelAtPeriodEnd: boolean().notNull().default(false),
		cancelledAt: timestamp({ withTimezone: true }),
		cancelReason: text(),
		/** While PAST_DUE: when the app is suspended unless the renewal is paid. */
		gracePeriodEnd: timestamp({ withTimezone: true }),
		suspendedAt: timestamp({ withTimezone: true }),
		/** Why it is SUSPENDED; a NON_PAYMENT suspension ends in deletion after the retention days. */
		suspendedFor: suspensionReasonEnum(),
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

// ---------------------------------------------------------------------------
// Instances on the cluster
// ---------------------------------------------------------------------------

export const instanceStatusEnum = pgEnum('instance_status', INSTANCE_STATUSES);

export type ProvisioningStep = {
	step: string;
	status: 'pending' | 'running' | 'done' | 'failed';
	at: string;
	message?: string;
};

export const serviceInstances = pgTable(
	'service_instances',
	{
		id: uuid().primaryKey().defaultRandom(),
		subscriptionId: uuid()
			.notNull()
			.references(() => subscriptions.id, { onDelete: 'cascade' }),
		/** Denormalised owner, so ownership checks need no join. */
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		subdomain: text().notNull().unique(),
		namespace: text().notNull(),
		podName: text(),
		serviceName: text(),
		ingressName: text(),
		deploymentName: text(),
		status: instanceStatusEnum().notNull().default('PENDING'),
		/** Human reason for the current status (why it is in ERROR, ...). */
		statusReason: text(),
		provisioningSteps: jsonb().$type<ProvisioningStep[]>().notNull().default([]),
		healthStatus: text(),
		lastHealthCheck: timestamp({ withTimezone: true }),
		/** Non-secret environment as last applied. */
		envVars: jsonb().$type<Record<string, string>>(),
		/** Secrets generated once for this instance and kept across retries and upgrades. */
		generatedSecrets: jsonb().$type<Record<string, string>>(),
		sslEnabled: boolean().notNull().default(false),
		publicUrl: text(),
		adminUrl: text(),
		/**
		 * Latest CPU and memory use from the cluster's metrics API. Checked (`usageAt`) without
		 * numbers: the cluster has no metrics API.
		 */
		cpuUsageMilli: integer(),
		memoryUsageMb: integer(),
		usageAt: timestamp({ withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		lastStarted: timestamp({ withTimezone: true }),
		lastStopped: timestamp({ withTimezone: true })
	},
	(t) => [
		index('service_instances_subscription_idx').on(t.subscriptionId),
		index('service_instances_user_idx').on(t.userId),
		index('service_instances_status_idx').on(t.status),
		// The operations view: every app, newest first.
		index('service_instances_created_idx').on(t.createdAt)
	]
);

/** One minute's CPU and memory use of an instance, kept for a day (the usage chart). */
export const instanceUsageSamples = pgTable(
	'instance_usage_samples',
	{
		instanceId: uuid()
			.notNull()
			.references(() => serviceInstances.id, { onDelete: 'cascade' }),
		/** The minute the sample belongs to. */
		sampledAt: timestamp({ withTimezone: true }).notNull(),
		cpuMilli: integer().notNull(),
		memoryMb: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.instanceId, t.sampledAt] }), index('instance_usage_samples_sampled_idx').on(t.sampledAt)]
);

/**
 * Every status an instance entered, with the one it left: the history the operations view
 * and analytics read (provisioning attempts and their time to RUNNING, control actions).
 */
export const instanceEvents = pgTable(
	'instance_events',
	{
		id: uuid().primaryKey().defaultRandom(),
		instanceId: uuid()
			.notNull()
			.references(() => serviceInstances.id, { onDelete: 'cascade' }),
		/** The instance's service (it never changes), so usage per service needs no joins. */
		serviceId: uuid()
			.notNull()
			.references(() => services.id),
		status: instanceStatusEnum().notNull(),
		previousStatus: instanceStatusEnum(),
		/** When the instance entered the status it left (how long it stayed there). */
		previousSince: timestamp({ withTimezone: true }),
		reason: text(),
		createdAt: createdAt()
	},
	(t) => [
		index('instance_events_instance_idx').on(t.instanceId, t.createdAt),
		index('instance_events_status_created_idx').on(t.status, t.createdAt)
	]
);

// ---------------------------------------------------------------------------
// Analytics
// ---------------------------------------------------------------------------

/** Each plan's slots at the end of a day (WIB), written by the daily `slot-snapshot` job. */
export const planSlotSnapshots = pgTable(
	'plan_slot_snapshots',
	{
		day: date({ mode: 'string' }).notNull(),
		planId: uuid()
			.notNull()
			.references(() => servicePlans.id, { onDelete: 'cascade' }),
		totalQuota: integer().notNull(),
		usedQuota: integer().notNull(),
		createdAt: createdAt()
	},
	(t) => [primaryKey({ columns: [t.day, t.planId] })]
);

// ---------------------------------------------------------------------------
// Notifications and audit
// ---------------------------------------------------------------------------

export const notifications = pgTable(
	'notifications',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		type: text().notNull(),
		title: text().notNull(),
		body: text().notNull(),
		link: text(),
		metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		readAt: timestamp({ withTimezone: true }),
		createdAt: createdAt()
	},
	(t) => [index('notifications_user_idx').on(t.userId, t.createdAt)]
);

export const auditLog = pgTable(
	'audit_log',
	{
		id: uuid().primaryKey().defaultRandom(),
		actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
		action: text().notNull(),
		entityType: text().notNull(),
		entityId: text(),
		details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		ipAddress: text(),
		createdAt: createdAt()
	},
	(t) => [
		index('audit_log_entity_idx').on(t.entityType, t.entityId),
		index('audit_log_created_idx').on(t.createdAt),
		// The audit log by actor, and by action prefix (`user.` finds every account action).
		index('audit_log_actor_idx').on(t.actorId, t.createdAt),
		index('audit_log_action_idx').using('btree', t.action.op('text_pattern_ops'), t.createdAt)
	]
);

/**
 * Notices sent at most once: a renewal notice per period, a low-credit warning per
 * shortfall, a grace reminder per day, a deletion warning per suspension. The unique key
 * is claimed in the transaction that sends the notice, so concurrent sweeps send one.
 */
export const sentNotices = pgTable(
	'sent_notices',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** `<kind>:<what it is about>`, e.g. `renewal-notice:<subscription>:<period end>`. */
		key: text().notNull(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('sent_notices_key_unique').on(t.key), index('sent_notices_user_idx').on(t.userId)]
);

/**
 * MinisPod's clock for billing (periods, renewals, grace, suspension, deletion): real time
 * plus an offset that only the test clock moves. One row, shared by web and worker processes.
 */
export const billingClock = pgTable(
	'billing_clock',
	{
		id: integer().primaryKey().default(1),
		offsetMs: bigint({ mode: 'number' }).notNull().default(0),
		updatedAt: updatedAt()
	},
	(t) => [check('billing_clock_single_row', sql`${t.id} = 1`), check('billing_clock_forward', sql`${t.offsetMs} >= 0`)]
);

export const mailStatusEnum = pgEnum('mail_status', MAIL_STATUSES);

/**
 * Every e-mail MinisPod sends, written in the transaction of the event that causes it and
 * delivered by the `mail-send` job; without SMTP_URL it stays here (KEPT) for the Outbox page.
 */
export const mailOutbox = pgTable(
	'mail_outbox',
	{
		id: uuid().primaryKey().defaultRandom(),
		userId: uuid().references(() => users.id, { onDelete: 'set null' }),
		to: text().notNull(),
		/** Which template renders it (mail/templates.ts). */
		kind: text().notNull(),
		data: jsonb().$type<Record<string, unknown>>().notNull(),
		/** Reminders of money owed: sent even to customers who turned optional mails off. */
		essential: boolean().notNull().default(false),
		status: mailStatusEnum().notNull().default('QUEUED'),
		/** As rendered when delivered (or kept). */
		subject: text(),
		text: text(),
		html: text(),
		attempts: integer().notNull().default(0),
		lastError: text(),
		createdAt: createdAt(),
		deliveredAt: timestamp({ withTimezone: true })
	},
	(t) => [index('mail_outbox_created_idx').on(t.createdAt.desc()), index('mail_outbox_user_idx').on(t.userId)]
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ServiceCategory = typeof serviceCategories.$inferSelect;
export type Service = typeof services.$inferSelect;
export type ServicePlan = typeof servicePlans.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Transaction = typeof transactions.$inferSelect;
export type ServiceInstance = typeof serviceInstances.$inferSelect;
export type InstanceUsageSample = typeof instanceUsageSamples.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type MailOutboxRow = typeof mailOutbox.$inferSelect;
export type InstanceEvent = typeof instanceEvents.$inferSelect;
export type AuditLogEntry = typeof auditLog.$inferSelect;
export type PaymentEvent = typeof paymentEvents.$inferSelect;
export type PlanType = (typeof planTypeEnum.enumValues)[number];
export type InstanceStatus = (typeof instanceStatusEnum.enumValues)[number];
export type SubscriptionStatus = (typeof subscriptionStatusEnum.enumValues)[number];
export type SuspensionReason = (typeof suspensionReasonEnum.enumValues)[number];
export type TransactionType = (typeof transactionTypeEnum.enumValues)[number];
export type TransactionStatus = (typeof transactionStatusEnum.enumValues)[number];
export type PaymentMethod = (typeof paymentMethodEnum.enumValues)[number];
