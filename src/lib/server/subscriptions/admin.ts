// Administrator views of subscriptions and plan slots.
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { SLOT_HOLDING_STATUSES, servicePlans, services, subscriptions, users, type SubscriptionStatus } from '../db/schema';
import { availableSlots, likePattern } from '../catalog/service';

export type SubscriptionFilter = {
	status?: SubscriptionStatus;
	serviceId?: string;
	planId?: string;
	/** Customer name or e-mail. */
	q?: string;
	page: number;
	pageSize: number;
};

export async function listAllSubscriptions(db: Db, filter: SubscriptionFilter) {
	const conditions: (SQL | undefined)[] = [];
	if (filter.status) conditions.push(eq(subscriptions.status, filter.status));
	if (filter.serviceId) conditions.push(eq(subscriptions.serviceId, filter.serviceId));
	if (filter.planId) conditions.push(eq(subscriptions.planId, filter.planId));
	if (filter.q) conditions.push(or(ilike(users.email, likePattern(filter.q)), ilike(users.name, likePattern(filter.q))));
	const where = and(...conditions);

	const [rows, [total]] = await Promise.all([
		db
			.select({
				subscription: subscriptions,
				user: { id: users.id, name: users.name, email: users.email },
				plan: { id: servicePlans.id, name: servicePlans.name, planType: servicePlans.planType },
				service: { id: services.id, name: services.name, slug: services.slug }
			})
			.from(subscriptions)
			.innerJoin(users, eq(subscriptions.userId, users.id))
			.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
			.innerJoin(services, eq(subscriptions.serviceId, services.id))
			.where(where)
			.orderBy(desc(subscriptions.createdAt))
			.limit(filter.pageSize)
			.offset((filter.page - 1) * filter.pageSize),
		db.select({ value: count() }).from(subscriptions).innerJoin(users, eq(subscriptions.userId, users.id)).where(where)
	]);
	return {
		items: rows.map(({ subscription, ...rest }) => ({ ...subscription, ...rest })),
		total: total.value,
		page: filter.page,
		pageSize: filter.pageSize
	};
}

/** Total, used and available slots per plan, grouped by service. */
export async function quotaOverview(db: Db) {
	const rows = await db
		.select({
			plan: servicePlans,
			service: { id: services.id, name: services.name, slug: services.slug },
			live: sql<number>`(SELECT count(*)::int FROM ${subscriptions} WHERE ${subscriptions.planId} = ${servicePlans.id} AND ${subscriptions.status} IN (${sql.join(
				SLOT_HOLDING_STATUSES.map((s) => sql`${s}`),
				sql`, `
			)}))`
		})
		.from(servicePlans)
		.innerJoin(services, eq(servicePlans.serviceId, services.id))
		.orderBy(asc(services.sortOrder), asc(services.name), asc(servicePlans.planType));

	const byService = new Map<
		string,
		{ service: (typeof rows)[number]['service']; total: number; used: number; available: number; plans: unknown[] }
	>();
	for (const { plan, service, live } of rows) {
		const entry = byService.get(service.id) ?? { service, total: 0, used: 0, available: 0, plans: [] };
		const available = availableSlots(plan);
		entry.total += plan.totalQuota;
		entry.used += plan.usedQuota;
		entry.available += available;
		entry.plans.push({
			id: plan.id,
			name: plan.name,
			planType: plan.planType,
			isActive: plan.isActive,
			totalQuota: plan.totalQuota,
			usedQuota: plan.usedQuota,
			available,
			liveSubscriptions: live,
			utilization: plan.totalQuota === 0 ? 1 : plan.usedQuota / plan.totalQuota
		});
		byService.set(service.id, entry);
	}
	return [...byService.values()] as {
		service: { id: string; name: string; slug: string };
		total: number;
		used: number;
		available: number;
		plans: {
			id: string;
			name: string;
			planType: string;
			isActive: boolean;
			totalQuota: number;
			usedQuota: number;
			available: number;
			liveSubscriptions: number;
			utilization: number;
		}[];
	}[];
}
