// Reading subscriptions: the lookups the other subscription modules share, and what the
// customer's pages show (their list and one subscription in detail).
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	ENDED_SUBSCRIPTION_STATUSES,
	serviceInstances,
	servicePlans,
	services,
	subscriptions,
	transactions,
	users,
	type Subscription
} from '../db/schema';
import { notFound } from '../errors';
import { toPlanView } from '../catalog/views';
import { isUpgrade } from './billing';
import { toSubscriptionDetail, toSubscriptionListItem } from './views';

export async function loadPlan(db: DbOrTx, planId: string) {
	const [row] = await db
		.select({ plan: servicePlans, service: services })
		.from(servicePlans)
		.innerJoin(services, eq(servicePlans.serviceId, services.id))
		.where(eq(servicePlans.id, planId));
	if (!row) throw notFound('Plan');
	return row;
}

export async function liveSubscriptionFor(db: DbOrTx, userId: string, serviceId: string) {
	const [existing] = await db
		.select()
		.from(subscriptions)
		.where(
			and(
				eq(subscriptions.userId, userId),
				eq(subscriptions.serviceId, serviceId),
				notInArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES])
			)
		);
	return existing;
}

export async function balanceOf(db: DbOrTx, userId: string) {
	const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
	if (!user) throw notFound('User');
	return user.balance;
}

export async function listSubscriptions(db: DbOrTx, userId: string) {
	const rows = await db
		.select({ subscription: subscriptions, plan: servicePlans, service: services })
		.from(subscriptions)
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(eq(subscriptions.userId, userId))
		.orderBy(desc(subscriptions.createdAt));
	const ids = rows.map((r) => r.subscription.id);
	const instances = ids.length
		? await db.select().from(serviceInstances).where(inArray(serviceInstances.subscriptionId, ids))
		: [];
	return rows.map(({ subscription, plan, service }) =>
		toSubscriptionListItem(subscription, {
			plan,
			service,
			instances: instances.filter((i) => i.subscriptionId === subscription.id)
		})
	);
}

/** Loads a subscription the user owns; another user's looks exactly like a missing one. */
export async function getOwnedSubscription(db: DbOrTx, userId: string, id: string): Promise<Subscription> {
	const [subscription] = await db
		.select()
		.from(subscriptions)
		.where(and(eq(subscriptions.id, id), eq(subscriptions.userId, userId)));
	if (!subscription) throw notFound('Subscription');
	return subscription;
}

export async function subscriptionDetail(db: DbOrTx, subscription: Subscription) {
	const [{ plan, service }, instances, payments, plans] = await Promise.all([
		loadPlan(db, subscription.planId),
		db.select().from(serviceInstances).where(eq(serviceInstances.subscriptionId, subscription.id)),
		db.select().from(transactions).where(eq(transactions.subscriptionId, subscription.id)).orderBy(desc(transactions.createdAt)),
		db
			.select()
			.from(servicePlans)
			.where(and(eq(servicePlans.serviceId, subscription.serviceId), eq(servicePlans.isActive, true)))
			.orderBy(servicePlans.planType)
	]);
	return toSubscriptionDetail(subscription, {
		plan: toPlanView(plan),
		service,
		instances,
		payments,
		upgradeOptions: plans.filter((p) => isUpgrade(plan.planType, p.planType)).map((option) => toPlanView(option))
	});
}
