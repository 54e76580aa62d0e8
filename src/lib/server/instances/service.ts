// App instances: who may see and control them, what their pages show, and the control
// actions a customer asks for (status changes themselves go through state.ts).
import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { serviceInstances, servicePlans, services, subscriptions, type ServiceInstance } from '../db/schema';
import { invalidState, notFound } from '../errors';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import type { SessionUser } from '../auth/sessions';
import { planAsSold } from '../catalog/plan-terms';
import { availableActions, checkAction, retryCharge, type InstanceAction } from './transitions';
import { updateInstance } from './state';
import { toInstanceDetail, toInstanceListItem } from './views';
import { instanceReason, statusReason } from './reasons';

export type Actor = Pick<SessionUser, 'id' | 'role'>;

/** Loads an instance its owner or an administrator may act on; anyone else gets NOT_FOUND. */
export async function getInstanceFor(db: DbOrTx, actor: Actor, id: string): Promise<ServiceInstance> {
	const [instance] = await db.select().from(serviceInstances).where(eq(serviceInstances.id, id));
	if (!instance || (instance.userId !== actor.id && actor.role !== 'ADMINISTRATOR')) throw notFound('App');
	return instance;
}

/** What the instance page shows: the app, its plan's resources and the actions allowed now. */
export async function instanceView(db: DbOrTx, instance: ServiceInstance) {
	const [row] = await db
		.select({ subscription: subscriptions, plan: servicePlans, service: services })
		.from(subscriptions)
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(eq(subscriptions.id, instance.subscriptionId));
	return toInstanceDetail(
		instance,
		{ ...row, plan: planAsSold(row.plan, row.subscription), retryCharge: retryCharge(row.subscription, row.plan) },
		availableActions(instance, row.subscription)
	);
}

export async function listInstances(db: DbOrTx, userId: string) {
	const rows = await db
		.select({
			instance: serviceInstances,
			service: services,
			plan: servicePlans,
			subscription: {
				status: subscriptions.status,
				cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
				endDate: subscriptions.endDate
			}
		})
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.where(eq(serviceInstances.userId, userId))
		.orderBy(desc(serviceInstances.createdAt));
	return rows.map(({ instance, service, plan, subscription }) => toInstanceListItem(instance, service, plan, subscription));
}

const actionVerbs = { stop: 'stop', start: 'start', restart: 'restart', repair: 'repair' } as const;

/** Stop, start, restart or repair: moves the instance to the in-between status and enqueues the work. */
export async function requestAction(
	runtime: Runtime,
	actor: Actor,
	instanceId: string,
	action: Exclude<InstanceAction, 'retry'>
) {
	return runtime.db.transaction(async (tx) => {
		await getInstanceFor(tx, actor, instanceId);
		const [instance] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId)).for('update');
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, instance.subscriptionId));
		const check = checkAction(action, instance, subscription);
		if (!check.allowed) throw invalidState(check.reason);
		const updated = await updateInstance(tx, instance.id, {
			status: check.via,
			...statusReason(action === 'repair' ? instanceReason('repairing', {}) : null)
		});
		await enqueue(runtime.boss, 'instance-action', { instanceId, action: actionVerbs[action] }, { tx, singletonKey: instanceId });
		return updated;
	});
}

/** The instance of a subscription that controls act on: its newest one. */
export async function currentInstanceOf(db: DbOrTx, subscriptionId: string) {
	const [instance] = await db
		.select()
		.from(serviceInstances)
		.where(eq(serviceInstances.subscriptionId, subscriptionId))
		.orderBy(desc(serviceInstances.createdAt))
		.limit(1);
	if (!instance) throw notFound('App');
	return instance;
}
