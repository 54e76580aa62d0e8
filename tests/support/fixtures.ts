// Lookups shared by integration tests: plans by app and tier, queued jobs, rows.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { servicePlans, services, subscriptions, serviceInstances, type PlanType } from '../../src/lib/server/db/schema';
import type { QueueName } from '../../src/lib/server/queue';

export async function planOf(db: Db, serviceSlug: string, planType: PlanType) {
	const [row] = await db
		.select({ plan: servicePlans })
		.from(servicePlans)
		.innerJoin(services, eq(servicePlans.serviceId, services.id))
		.where(and(eq(services.slug, serviceSlug), eq(servicePlans.planType, planType)));
	if (!row) throw new Error(`No ${planType} plan for ${serviceSlug}`);
	return row.plan;
}

export async function reloadPlan(db: Db, id: string) {
	const [plan] = await db.select().from(servicePlans).where(eq(servicePlans.id, id));
	return plan;
}

export async function reloadSubscription(db: Db, id: string) {
	const [subscription] = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
	return subscription;
}

export async function instanceOf(db: Db, subscriptionId: string) {
	const [instance] = await db.select().from(serviceInstances).where(eq(serviceInstances.subscriptionId, subscriptionId));
	return instance;
}

/** Jobs queued for a queue (any state), oldest first. */
export async function queuedJobs<T = Record<string, unknown>>(db: Db, name: QueueName) {
	const result = await db.execute<{ id: string; data: T; state: string }>(
		sql`SELECT id, data, state FROM pgboss.job WHERE name = ${name} ORDER BY created_on`
	);
	return result.rows;
}

/** Settles every promise; returns fulfilled values and rejection reasons. */
export async function settle<T>(promises: Promise<T>[]) {
	const results = await Promise.allSettled(promises);
	return {
		fulfilled: results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value),
		rejected: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code?: string })
	};
}

export const DAY_MS = 86_400_000;
