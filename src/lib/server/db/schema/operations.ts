// Operations: analytics snapshots, notifications, the audit log, notices sent once, the
// billing clock and the e-mail outbox.
import { sql } from 'drizzle-orm';
import {
	bigint,
	boolean,
	check,
	date,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import { MAIL_STATUSES } from '../../../statuses';
import type { NotificationText } from '../../notifications/texts';
import { createdAt, updatedAt } from './columns';
import { users } from './accounts';
import { servicePlans } from './catalog';

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
		/** What it says as a message key and parameters, rendered in each reader's language; null on rows from before. */
		text: jsonb().$type<NotificationText>(),
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
