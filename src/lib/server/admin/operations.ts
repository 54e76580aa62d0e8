// What is broken, at a glance: every app with its status, health and last error; every
// payment notification with MinisPod's verdict; and the audit log, filterable.
import { and, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { auditLog, paymentEvents, serviceInstances, servicePlans, services, subscriptions, users } from '../db/schema';
import { likePattern } from '../catalog/service';
import { auditNames } from './audit-names';
import type { AppsInput, AuditLogInput, WebhookLogInput } from './schemas';
import { toAuditEntry, toOperationsApp, toWebhookEvent, type LastError } from './panel-views';

const PAGE_SIZE = 50;
const offset = (page: number) => (page - 1) * PAGE_SIZE;

/** When the app entered its current status (its creation if the history has no entry for it). */
const since = sql<Date>`coalesce(
	(SELECT max(e.created_at) FROM instance_events e WHERE e.instance_id = ${serviceInstances.id} AND e.status = ${serviceInstances.status}),
	${serviceInstances.createdAt}
)`;
/** The reason of the app's latest failure, even after it recovered. */
const lastError = sql<LastError | null>`(
	SELECT json_build_object('reason', e.reason, 'text', e.reason_text) FROM instance_events e
	WHERE e.instance_id = ${serviceInstances.id} AND e.status = 'ERROR'
	ORDER BY e.created_at DESC LIMIT 1
)`;
const lastErrorAt = sql<Date | null>`(
	SELECT max(e.created_at) FROM instance_events e WHERE e.instance_id = ${serviceInstances.id} AND e.status = 'ERROR'
)`;

function appConditions(input: AppsInput): SQL | undefined {
	const conditions: (SQL | undefined)[] = [];
	if (input.status) conditions.push(eq(serviceInstances.status, input.status));
	if (input.filter === 'error') conditions.push(eq(serviceInstances.status, 'ERROR'));
	if (input.filter === 'unhealthy') {
		conditions.push(
			sql`${serviceInstances.status} IN ('RUNNING', 'ERROR') AND ${serviceInstances.healthStatus} IS DISTINCT FROM 'healthy'`
		);
	}
	if (input.filter === 'stuck') {
		conditions.push(
			sql`${serviceInstances.status} IN ('PENDING', 'PROVISIONING') AND ${since} < now() - make_interval(mins => ${input.minutes})`
		);
	}
	if (input.q) {
		const pattern = likePattern(input.q);
		conditions.push(
			or(
				ilike(serviceInstances.name, pattern),
				ilike(serviceInstances.subdomain, pattern),
				ilike(users.email, pattern),
				ilike(services.name, pattern)
			)
		);
	}
	return and(...conditions);
}

export async function listApps(db: DbOrTx, input: AppsInput) {
	const where = appConditions(input);
	const base = () =>
		db
			.select({
				instance: serviceInstances,
				user: { id: users.id, name: users.name, email: users.email },
				service: { id: services.id, name: services.name, slug: services.slug },
				plan: { id: servicePlans.id, name: servicePlans.name },
				since,
				lastError,
				lastErrorAt
			})
			.from(serviceInstances)
			.innerJoin(subscriptions, eq(subscriptions.id, serviceInstances.subscriptionId))
			.innerJoin(users, eq(users.id, serviceInstances.userId))
			.innerJoin(services, eq(services.id, subscriptions.serviceId))
			.innerJoin(servicePlans, eq(servicePlans.id, subscriptions.planId));
	const [rows, [total]] = await Promise.all([
		base()
			.where(where)
			.orderBy(desc(serviceInstances.createdAt), desc(serviceInstances.id))
			.limit(PAGE_SIZE)
			.offset(offset(input.page)),
		// Only a search needs the customer and the service to count.
		input.q
			? db
					.select({ value: count() })
					.from(serviceInstances)
					.innerJoin(subscriptions, eq(subscriptions.id, serviceInstances.subscriptionId))
					.innerJoin(users, eq(users.id, serviceInstances.userId))
					.innerJoin(services, eq(services.id, subscriptions.serviceId))
					.where(where)
			: db.select({ value: count() }).from(serviceInstances).where(where)
	]);
	return { items: rows.map(toOperationsApp), total: total.value, page: input.page, pageSize: PAGE_SIZE };
}

/** MinisPod's verdict on a payment notification, in the operator's words. */
export const WEBHOOK_VERDICTS: Record<string, string> = {
	credited: 'applied',
	pending: 'applied (payment pending)',
	failed: 'applied (payment failed)',
	flagged: 'flagged for review',
	ignored_duplicate: 'duplicate',
	ignored_stale: 'stale',
	ignored_unknown_status: 'unknown status',
	rejected_signature: 'forged',
	amount_mismatch: 'amount mismatch',
	unknown_order: 'unknown order',
	malformed: 'malformed',
	status_unavailable: 'gateway unreachable (retried)'
};

export async function listWebhookEvents(db: DbOrTx, input: WebhookLogInput) {
	const conditions: (SQL | undefined)[] = [];
	if (input.outcome) conditions.push(eq(paymentEvents.outcome, input.outcome));
	if (input.orderId) conditions.push(ilike(paymentEvents.orderId, likePattern(input.orderId)));
	const where = and(...conditions);
	const [rows, [total]] = await Promise.all([
		db
			.select()
			.from(paymentEvents)
			.where(where)
			.orderBy(desc(paymentEvents.receivedAt), desc(paymentEvents.id))
			.limit(PAGE_SIZE)
			.offset(offset(input.page)),
		db.select({ value: count() }).from(paymentEvents).where(where)
	]);
	return {
		items: rows.map((row) => toWebhookEvent(row, WEBHOOK_VERDICTS[row.outcome ?? ''] ?? row.outcome ?? 'not processed')),
		total: total.value,
		page: input.page,
		pageSize: PAGE_SIZE,
		verdicts: WEBHOOK_VERDICTS
	};
}

const WIB = '+07:00';

export async function listAuditLog(db: DbOrTx, input: AuditLogInput) {
	const conditions: (SQL | undefined)[] = [];
	if (input.actor) {
		const pattern = likePattern(input.actor);
		conditions.push(or(ilike(users.email, pattern), ilike(users.name, pattern)));
	}
	// A prefix search on the action uses the (action, created_at) index.
	if (input.action) conditions.push(ilike(auditLog.action, `${input.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
	if (input.entityType) conditions.push(eq(auditLog.entityType, input.entityType));
	if (input.entityId) conditions.push(eq(auditLog.entityId, input.entityId));
	if (input.from) conditions.push(gte(auditLog.createdAt, new Date(`${input.from}T00:00:00${WIB}`)));
	if (input.to) {
		const end = new Date(`${input.to}T00:00:00${WIB}`);
		end.setUTCDate(end.getUTCDate() + 1);
		conditions.push(lt(auditLog.createdAt, end));
	}
	const where = and(...conditions);
	const actor = { id: users.id, name: users.name, email: users.email };
	const [rows, [total]] = await Promise.all([
		db
			.select({ entry: auditLog, actor })
			.from(auditLog)
			.leftJoin(users, eq(users.id, auditLog.actorId))
			.where(where)
			.orderBy(desc(auditLog.createdAt), desc(auditLog.id))
			.limit(PAGE_SIZE)
			.offset(offset(input.page)),
		db.select({ value: count() }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId)).where(where)
	]);
	const names = await auditNames(
		db,
		rows.map((row) => row.entry)
	);
	return {
		items: rows.map((row) => toAuditEntry(row.entry, row.actor?.id ? row.actor : null, names)),
		total: total.value,
		page: input.page,
		pageSize: PAGE_SIZE
	};
}
