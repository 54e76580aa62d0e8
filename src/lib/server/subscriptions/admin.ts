// The administrator's tools: every subscription with filters, plan slots, bonus grants,
// extensions, suspension and its lifting, and a plan's total slots.
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	SLOT_HOLDING_STATUSES,
	serviceInstances,
	servicePlans,
	services,
	subscriptions,
	users,
	type InstanceStatus,
	type SubscriptionStatus
} from '../db/schema';
import { availableSlots, likePattern } from '../catalog/service';
import { toPlanView } from '../catalog/views';
import { customerAlreadySubscribed, invalidState, notFound, quotaBelowUsed } from '../errors';
import { notify } from '../notifications/service';
import { asDate } from '../notifications/texts';
import { audit } from '../audit/service';
import { publish } from '../events';
import { offerFreeSlots } from '../waitlist/service';
import type { Runtime } from '../runtime';
import { liveSubscriptionFor, loadPlan } from './queries';
import { isLive } from './status';
import { createSubscription } from './subscribe';
import { reactivateLocked, suspendLocked } from './suspension';
import { toAdminSubscriptionItem, type QuotaOverview } from './views';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

export type SubscriptionFilter = {
	status?: SubscriptionStatus;
	serviceId?: string;
	planId?: string;
	/** Customer name or e-mail. */
	q?: string;
	page: number;
	pageSize: number;
};

export async function listAllSubscriptions(db: DbOrTx, filter: SubscriptionFilter) {
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
				service: { id: services.id, name: services.name, slug: services.slug },
				// The newest app's status: the page follows work under way (a termination's backup).
				instanceStatus: sql<InstanceStatus | null>`(SELECT ${serviceInstances.status} FROM ${serviceInstances}
					WHERE ${serviceInstances.subscriptionId} = ${subscriptions.id} ORDER BY ${serviceInstances.createdAt} DESC LIMIT 1)`
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
		items: rows.map(({ subscription, ...related }) => toAdminSubscriptionItem(subscription, related)),
		total: total.value,
		page: filter.page,
		pageSize: filter.pageSize
	};
}

/** Total, used and available slots per plan, grouped by service. */
export async function quotaOverview(db: DbOrTx): Promise<QuotaOverview> {
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

	const byService = new Map<string, QuotaOverview[number]>();
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
			monthlyPrice: plan.monthlyPrice,
			totalQuota: plan.totalQuota,
			usedQuota: plan.usedQuota,
			available,
			liveSubscriptions: live,
			utilization: plan.totalQuota === 0 ? 1 : plan.usedQuota / plan.totalQuota
		});
		byService.set(service.id, entry);
	}
	return [...byService.values()];
}

export async function grantSubscription(
	runtime: Runtime,
	admin: { id: string },
	input: { userId: string; planId: string; months: number; name?: string }
) {
	const { plan, service } = await loadPlan(runtime.db, input.planId);
	if (!plan.isActive) throw notFound('Plan');
	const [user] = await runtime.db.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
	if (!user) throw notFound('User');
	const existing = await liveSubscriptionFor(runtime.db, input.userId, service.id);
	if (existing) throw customerAlreadySubscribed(existing.id, service.name);
	return runtime.db.transaction(async (tx) => {
		const created = await createSubscription(runtime, tx, {
			userId: input.userId,
			plan,
			service,
			name: input.name,
			grant: { by: admin.id, months: input.months }
		});
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.grant',
			entityType: 'subscription',
			entityId: created.subscription.id,
			details: { userId: input.userId, planId: plan.id, months: input.months }
		});
		return { subscriptionId: created.subscription.id, instanceId: created.instance.id };
	});
}

export async function extendSubscription(db: DbOrTx, admin: { id: string }, input: { id: string; days: number; reason: string }) {
	return db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.id)).for('update');
		if (!subscription) throw notFound('Subscription');
		if (!isLive(subscription.status)) throw invalidState(say(m.srv2_extend_ended));
		if (subscription.status === 'PAST_DUE') {
			throw invalidState(say(m.srv2_extend_past_due));
		}
		// The billing cycle moves with the extension: later renewals fall on the new day.
		const shift = input.days * 86_400_000;
		const endDate = new Date(subscription.endDate.getTime() + shift);
		const billingAnchor = new Date(subscription.billingAnchor.getTime() + shift);
		const [updated] = await tx
			.update(subscriptions)
			.set({ endDate, billingAnchor })
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.extend',
			entityType: 'subscription',
			entityId: subscription.id,
			details: { days: input.days, reason: input.reason, from: subscription.endDate.toISOString(), to: endDate.toISOString() }
		});
		await notify(tx, {
			userId: subscription.userId,
			type: 'SUBSCRIPTION_EXTENDED',
			text: { key: 'extended', params: { days: input.days, end: asDate(endDate) } },
			link: `/subscriptions/${subscription.id}`
		});
		return updated;
	});
}

/** Suspends: the app is scaled to zero and the slot released (data kept). */
export async function suspendSubscription(runtime: Runtime, admin: { id: string }, input: { id: string; reason: string }) {
	return runtime.db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.id)).for('update');
		if (!subscription) throw notFound('Subscription');
		const updated = await suspendLocked(runtime, tx, subscription, {
			reason: 'ADMINISTRATOR',
			now: runtime.clock.now(),
			note: input.reason
		});
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.suspend',
			entityType: 'subscription',
			entityId: subscription.id,
			details: { reason: input.reason }
		});
		await notify(tx, {
			userId: subscription.userId,
			type: 'SUBSCRIPTION_SUSPENDED',
			text: { key: 'suspended_by_staff', params: { reason: input.reason } },
			link: `/subscriptions/${subscription.id}`
		});
		return updated;
	});
}

/**
 * Reactivates a suspended subscription without charge: takes a slot again (if one is free)
 * and starts the app; a period that ended meanwhile is replaced by a fresh free one.
 */
export async function unsuspendSubscription(runtime: Runtime, admin: { id: string }, input: { id: string }) {
	return runtime.db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.id)).for('update');
		if (!subscription) throw notFound('Subscription');
		const { subscription: updated } = await reactivateLocked(runtime, tx, subscription, {
			now: runtime.clock.now(),
			charge: false
		});
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.unsuspend',
			entityType: 'subscription',
			entityId: subscription.id,
			details: { suspendedFor: subscription.suspendedFor, endDate: updated.endDate.toISOString() }
		});
		return updated;
	});
}

export async function setPlanQuota(db: DbOrTx, admin: { id: string }, input: { planId: string; totalQuota: number }) {
	return db.transaction(async (tx) => {
		const [plan] = await tx.select().from(servicePlans).where(eq(servicePlans.id, input.planId)).for('update');
		if (!plan) throw notFound('Plan');
		if (input.totalQuota < plan.usedQuota) {
			throw quotaBelowUsed(plan.usedQuota);
		}
		const [updated] = await tx
			.update(servicePlans)
			.set({ totalQuota: input.totalQuota })
			.where(eq(servicePlans.id, plan.id))
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'plan.set_quota',
			entityType: 'service_plan',
			entityId: plan.id,
			details: { from: plan.totalQuota, to: input.totalQuota }
		});
		await publish(tx, { type: 'catalog' });
		const offered = input.totalQuota > plan.totalQuota ? await offerFreeSlots(tx, plan.id) : 0;
		return { plan: toPlanView(updated), offered };
	});
}
