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
	type ServiceInstance,
	type Subscription
} from '../db/schema';
import { notFound } from '../errors';
import { toPlanView } from '../catalog/service';
import { isUpgrade } from './billing';

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
	return rows.map(({ subscription, plan, service }) => ({
		...subscription,
		plan: { id: plan.id, name: plan.name, planType: plan.planType },
		service: { id: service.id, slug: service.slug, name: service.name, icon: service.icon },
		instance: latestInstance(instances.filter((i) => i.subscriptionId === subscription.id))
	}));
}

function latestInstance(instances: ServiceInstance[]) {
	const latest = instances.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
	if (!latest) return null;
	const { generatedSecrets: _secrets, ...visible } = latest;
	return visible;
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
	return {
		...subscription,
		plan: toPlanView(plan),
		service: { id: service.id, slug: service.slug, name: service.name, icon: service.icon },
		instance: latestInstance(instances),
		transactions: payments.map((t) => ({
			id: t.id,
			type: t.type,
			status: t.status,
			amount: t.amount,
			description: t.description,
			createdAt: t.createdAt
		})),
		upgradeOptions: plans.filter((p) => isUpgrade(plan.planType, p.planType)).map(toPlanView)
	};
}
