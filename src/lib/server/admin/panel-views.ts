// What the admin panel's customer, ledger and operations procedures return, built here only, with the zod schema beside each view
// (procedures check it with `.output()`), so a column added to a table (a password hash, a
// generated secret) never reaches the admin panel by accident.
import { z } from 'zod';
import {
	INSTANCE_STATUSES,
	PAYMENT_METHODS,
	ROLES,
	SUBSCRIPTION_STATUSES,
	TRANSACTION_STATUSES,
	TRANSACTION_TYPES
} from '$lib/statuses';
import type {
	AuditLogEntry,
	Notification,
	PaymentEvent,
	Service,
	ServiceInstance,
	ServicePlan,
	Subscription,
	Transaction,
	User
} from '../db/schema';
import { instanceReasonFor, type InstanceReason } from '../instances/reasons';
import { sentenceLocale } from '../sentences';
import { flagReasonFor, type FlagReason } from '../wallet/flag-reasons';
import { endReasons, type EndReason } from '../subscriptions/end-reasons';
import { DISPLAY_STATUSES, displayStatus, ledgerDescription } from '../wallet/views';
import { notificationWords } from '../notifications/texts';
import { DETAIL_ID_KINDS, type AuditNames } from './audit-names';

// -- Customers ------------------------------------------------------------------------------

export const customerRowSchema = z.object({
	id: z.string(),
	name: z.string(),
	email: z.string(),
	role: z.enum(ROLES),
	blocked: z.boolean(),
	creditBalance: z.number(),
	liveSubscriptions: z.number(),
	/** What the customer pays per month for their live, paid subscriptions. */
	monthlySpend: z.number(),
	pastDue: z.boolean(),
	createdAt: z.date()
});

export const customerListSchema = z.object({
	items: z.array(customerRowSchema),
	total: z.number(),
	page: z.number(),
	pageSize: z.number()
});

const ledgerRowSchema = z.object({
	id: z.string(),
	type: z.enum(TRANSACTION_TYPES),
	status: z.enum(TRANSACTION_STATUSES),
	/** A cancelled or expired top-up and a rejected proof are not "Failed", here as for the customer. */
	displayStatus: z.enum(DISPLAY_STATUSES),
	amount: z.number(),
	balanceAfter: z.number().nullable(),
	description: z.string(),
	paymentMethod: z.enum(PAYMENT_METHODS).nullable(),
	orderId: z.string().nullable(),
	adminNotes: z.string().nullable(),
	createdAt: z.date(),
	completedAt: z.date().nullable()
});

const customerSubscriptionSchema = z.object({
	id: z.string(),
	status: z.enum(SUBSCRIPTION_STATUSES),
	service: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
	plan: z.object({ id: z.string(), name: z.string() }),
	monthlyPrice: z.number(),
	pendingMonthlyPrice: z.number().nullable(),
	isGrant: z.boolean(),
	autoRenew: z.boolean(),
	endDate: z.date(),
	instance: z
		.object({
			id: z.string(),
			name: z.string(),
			status: z.enum(INSTANCE_STATUSES),
			statusReason: z.string().nullable(),
			healthStatus: z.string().nullable(),
			publicUrl: z.string().nullable()
		})
		.nullable()
});

const customerNotificationSchema = z.object({
	id: z.string(),
	type: z.string(),
	title: z.string(),
	body: z.string(),
	readAt: z.date().nullable(),
	createdAt: z.date()
});

export const auditEntrySchema = z.object({
	id: z.string(),
	actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
	action: z.string(),
	entityType: z.string(),
	entityId: z.string().nullable(),
	/** The target by name, and the admin page that shows it, when the row is known. */
	target: z.object({ name: z.string(), link: z.string().nullable() }).nullable(),
	details: z.record(z.string(), z.unknown()),
	ipAddress: z.string().nullable(),
	createdAt: z.date()
});

export const customerDetailSchema = z.object({
	profile: z.object({
		id: z.string(),
		name: z.string(),
		email: z.string(),
		phone: z.string().nullable(),
		role: z.enum(ROLES),
		blocked: z.boolean(),
		createdAt: z.date(),
		activeSessions: z.number()
	}),
	wallet: z.object({ balance: z.number(), totalTopUp: z.number(), totalSpent: z.number() }),
	ledger: z.object({ items: z.array(ledgerRowSchema), total: z.number(), page: z.number(), pageSize: z.number() }),
	subscriptions: z.array(customerSubscriptionSchema),
	notifications: z.array(customerNotificationSchema),
	audit: z.array(auditEntrySchema)
});

export const customerAccountSchema = z.object({
	id: z.string(),
	name: z.string(),
	email: z.string(),
	role: z.enum(ROLES),
	blocked: z.boolean(),
	/** Sessions ended by this action. */
	sessionsEnded: z.number()
});

export type CustomerRow = z.infer<typeof customerRowSchema>;
export type CustomerList = z.infer<typeof customerListSchema>;
export type CustomerDetail = z.infer<typeof customerDetailSchema>;
export type CustomerAccount = z.infer<typeof customerAccountSchema>;
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export function toCustomerRow(user: User, live: { live: number; spend: number; pastDue: boolean }): CustomerRow {
	return {
		id: user.id,
		name: user.name,
		email: user.email,
		role: user.role,
		blocked: !user.isActive,
		creditBalance: user.creditBalance,
		liveSubscriptions: Number(live.live),
		monthlySpend: Number(live.spend),
		pastDue: Boolean(live.pastDue),
		createdAt: user.createdAt
	};
}

export function toCustomerAccount(user: User, sessionsEnded: number): CustomerAccount {
	return { id: user.id, name: user.name, email: user.email, role: user.role, blocked: !user.isActive, sessionsEnded };
}

/** A notification sent to the customer, in the administrator's language as the customer reads theirs. */
export function toCustomerNotification(notification: Notification): z.infer<typeof customerNotificationSchema> {
	const { title, body } = notificationWords(notification, sentenceLocale());
	return {
		id: notification.id,
		type: notification.type,
		title,
		body,
		readAt: notification.readAt,
		createdAt: notification.createdAt
	};
}

/** A ledger row as an administrator reads it: with their notes, never tokens or files on disk. */
export function toLedgerRow(row: Transaction) {
	return {
		id: row.id,
		type: row.type,
		status: row.status,
		displayStatus: displayStatus(row),
		amount: row.amount,
		balanceAfter: row.balanceAfter,
		description: ledgerDescription(row),
		paymentMethod: row.paymentMethod,
		orderId: row.orderId,
		adminNotes: row.adminNotes,
		createdAt: row.createdAt,
		completedAt: row.completedAt
	};
}

export function toCustomerSubscription(
	row: { subscription: Subscription; plan: ServicePlan; service: Service },
	instance: ServiceInstance | null
) {
	const { subscription, plan, service } = row;
	return {
		id: subscription.id,
		status: subscription.status,
		service: { id: service.id, name: service.name, slug: service.slug },
		plan: { id: plan.id, name: plan.name },
		monthlyPrice: subscription.monthlyPrice,
		pendingMonthlyPrice: subscription.pendingMonthlyPrice,
		isGrant: subscription.isGrant,
		autoRenew: subscription.autoRenew,
		endDate: subscription.endDate,
		instance: instance && {
			id: instance.id,
			name: instance.name,
			status: instance.status,
			statusReason: instanceReasonFor(instance.statusReasonText, instance.statusReason, sentenceLocale()),
			healthStatus: instance.healthStatus,
			publicUrl: instance.publicUrl
		}
	};
}

/**
 * An entry's details as the administrator reads them: a reason kept as a key beside its
 * English (a top-up's flag reason as flagText, see wallet/flag-reasons.ts; why MinisPod ended
 * a subscription as reasonText, see subscriptions/end-reasons.ts) in their language; entries
 * written before keys, and everything else, as stored.
 */
function auditDetails(details: Record<string, unknown>): Record<string, unknown> {
	const { flagText, reasonText, ...rest } = details;
	const stored = (name: string) => (typeof rest[name] === 'string' ? (rest[name] as string) : null);
	if (flagText) rest.flagReason = flagReasonFor(flagText as FlagReason, stored('flagReason'), sentenceLocale());
	if (reasonText) rest.reason = endReasons.readFor(reasonText as EndReason, stored('reason'), sentenceLocale());
	return flagText || reasonText ? rest : details;
}

/** The ids in an entry's details (userId, planId, …) as the names they point at, where known. */
function namedDetails(details: Record<string, unknown>, names: AuditNames): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(details).map(([field, value]) => {
			const kind = DETAIL_ID_KINDS[field];
			return [field, (kind && names(kind, value)?.name) ?? value];
		})
	);
}

export function toAuditEntry(
	entry: AuditLogEntry,
	actor: { id: string; name: string; email: string } | null,
	names: AuditNames
): AuditEntryView {
	return {
		id: entry.id,
		actor,
		action: entry.action,
		entityType: entry.entityType,
		entityId: entry.entityId,
		target: names(entry.entityType, entry.entityId),
		details: namedDetails(auditDetails(entry.details), names),
		ipAddress: entry.ipAddress,
		createdAt: entry.createdAt
	};
}

// -- Operations -----------------------------------------------------------------------------

const page = { total: z.number(), page: z.number(), pageSize: z.number() };
const person = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const operationsAppSchema = z.object({
	id: z.string(),
	name: z.string(),
	subdomain: z.string(),
	status: z.enum(INSTANCE_STATUSES),
	statusReason: z.string().nullable(),
	healthStatus: z.string().nullable(),
	lastHealthCheck: z.date().nullable(),
	publicUrl: z.string().nullable(),
	since: z.date(),
	lastError: z.string().nullable(),
	lastErrorAt: z.date().nullable(),
	user: person,
	service: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
	plan: z.object({ id: z.string(), name: z.string() }),
	link: z.string()
});
export const operationsAppListSchema = z.object({ items: z.array(operationsAppSchema), ...page });

export const webhookEventSchema = z.object({
	id: z.string(),
	orderId: z.string().nullable(),
	transactionId: z.string().nullable(),
	transactionStatus: z.string().nullable(),
	fraudStatus: z.string().nullable(),
	statusCode: z.string().nullable(),
	grossAmount: z.string().nullable(),
	signatureValid: z.boolean(),
	outcome: z.string().nullable(),
	verdict: z.string(),
	receivedAt: z.date()
});
export const webhookEventListSchema = z.object({
	items: z.array(webhookEventSchema),
	...page,
	verdicts: z.record(z.string(), z.string())
});

export const auditLogListSchema = z.object({ items: z.array(auditEntrySchema), ...page });

export const failedJobSchema = z.object({
	id: z.string(),
	queue: z.string(),
	/** The job's payload as sent (ids and options; no secret is ever put in a job). */
	data: z.unknown(),
	error: z.string(),
	retries: z.number(),
	createdOn: z.date(),
	failedOn: z.date().nullable(),
	archived: z.boolean(),
	retrySafe: z.boolean(),
	canRetry: z.boolean()
});
export const failedJobListSchema = z.object({ items: z.array(failedJobSchema), ...page, queues: z.array(z.string()) });
export const retriedJobSchema = z.object({ id: z.string(), queue: z.string(), state: z.literal('retry') });

/** An app's latest failure as the history keeps it: the English text and, on newer rows, its key. */
export type LastError = { reason: string | null; text: InstanceReason | null };

export function toOperationsApp(row: {
	instance: ServiceInstance;
	user: { id: string; name: string; email: string };
	service: { id: string; name: string; slug: string };
	plan: { id: string; name: string };
	since: Date | string;
	lastError: LastError | null;
	lastErrorAt: Date | string | null;
}) {
	const { instance } = row;
	return {
		id: instance.id,
		name: instance.name,
		subdomain: instance.subdomain,
		status: instance.status,
		statusReason: instanceReasonFor(instance.statusReasonText, instance.statusReason, sentenceLocale()),
		healthStatus: instance.healthStatus,
		lastHealthCheck: instance.lastHealthCheck,
		publicUrl: instance.publicUrl,
		/** When it entered its current status. */
		since: new Date(row.since),
		lastError: row.lastError && instanceReasonFor(row.lastError.text, row.lastError.reason, sentenceLocale()),
		lastErrorAt: row.lastErrorAt ? new Date(row.lastErrorAt) : null,
		user: row.user,
		service: row.service,
		plan: row.plan,
		/** The app page: live logs and status events (administrators may open any app). */
		link: `/instances/${instance.id}`
	};
}

export function toWebhookEvent(event: PaymentEvent, verdict: string) {
	return {
		id: event.id,
		orderId: event.orderId,
		transactionId: event.transactionId,
		transactionStatus: event.transactionStatus,
		fraudStatus: event.fraudStatus,
		statusCode: event.statusCode,
		grossAmount: event.grossAmount,
		signatureValid: event.signatureValid,
		outcome: event.outcome,
		verdict,
		receivedAt: event.receivedAt
	};
}
