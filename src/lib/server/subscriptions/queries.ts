// Reading subscriptions: the lookups the other subscription modules share, and what the
// customer's pages show (their list and one subscription in detail).
import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import { prepared, type DbOrTx } from '../db/client';
import {
	ENDED_SUBSCRIPTION_STATUSES,
	serviceInstances,
	servicePlans,
	services,
	subscriptions,
	transactions,
	users,
	type ServiceInstance,
	type Subscription
} from '../db/schema';
import { notFound } from '../errors';
import { toPlanView } from '../catalog/views';
import { isUpgrade, terminationRefundFrom } from './billing';
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

type AppRef = Pick<ServiceInstance, 'id' | 'name' | 'status'>;

/**
 * The customer's subscriptions, newest first, with what the list shows of each plan and
 * service and the newest app of each (the one controls act on), in one prepared read.
 */
const subscriptionList = (db: DbOrTx) =>
	db
		.select({
			subscription: subscriptions,
			plan: { id: servicePlans.id, name: servicePlans.name, planType: servicePlans.planType },
			service: { id: services.id, slug: services.slug, name: services.name, icon: services.icon },
			instance: sql<AppRef | null>`(SELECT json_build_object('id', i.id, 'name', i.name, 'status', i.status)
				FROM ${serviceInstances} i WHERE i.subscription_id = ${subscriptions.id} ORDER BY i.created_at DESC LIMIT 1)`
		})
		.from(subscriptions)
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(eq(subscriptions.userId, sql.placeholder('userId')))
		.orderBy(desc(subscriptions.createdAt))
		.prepare('subscription_list');

/** What "My subscriptions" shows: one prepared read of only the columns the list uses. */
export async function listSubscriptions(db: DbOrTx, userId: string) {
	const rows = await prepared(db, 'subscription_list', subscriptionList).execute({ userId });
	return rows.map(({ subscription, plan, service, instance }) =>
		toSubscriptionListItem(subscription, { plan, service, instance })
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

export async function subscriptionDetail(db: DbOrTx, subscription: Subscription, now: Date) {
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
		upgradeOptions: plans.filter((p) => isUpgrade(plan.planType, p.planType)).map((option) => toPlanView(option)),
		// As the customer's own termination decides it (router.ts): an active period's only.
		refundIfEndedNow: subscription.status === 'ACTIVE' ? terminationRefundFrom(subscription, payments, now) : 0
	});
}
