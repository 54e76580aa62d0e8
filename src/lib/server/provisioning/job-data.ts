// What a provisioning job reads from the database: the instance with its subscription,
// plan and service, the customer's other apps that share the namespace, and the
// instance's generated secrets (made once, kept for every later attempt).
import { and, eq, ne, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	serviceInstances,
	servicePlans,
	services,
	subscriptions,
	type Service,
	type ServiceInstance,
	type ServicePlan,
	type Subscription
} from '../db/schema';
import { planAsSold } from '../catalog/plan-terms';
import { ensureGeneratedSecrets } from '../kube/environment';
import type { NamespaceApp } from '../kube/inputs';

export type LoadedInstance = { instance: ServiceInstance; subscription: Subscription; plan: ServicePlan; service: Service };

/** The instance with its subscription, service and plan (with the resources it was sold). */
export async function loadInstance(db: DbOrTx, instanceId: string): Promise<LoadedInstance | undefined> {
	const [row] = await db
		.select({ instance: serviceInstances, subscription: subscriptions, plan: servicePlans, service: services })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(eq(serviceInstances.id, instanceId));
	return row && { ...row, plan: planAsSold(row.plan, row.subscription) };
}

/** The user's other apps that share the namespace (for quota and security level). */
export async function otherApps(db: DbOrTx, instance: ServiceInstance): Promise<NamespaceApp[]> {
	const rows = await db
		.select({
			id: serviceInstances.id,
			level: services.podSecurityLevel,
			plan: servicePlans,
			subscription: { planId: subscriptions.planId, soldResources: subscriptions.soldResources }
		})
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(
			and(
				eq(serviceInstances.userId, instance.userId),
				ne(serviceInstances.id, instance.id),
				notInArray(serviceInstances.status, ['TERMINATED', 'TERMINATING', 'ERROR', 'PENDING'])
			)
		);
	return rows.map((row) => ({ instanceId: row.id, podSecurityLevel: row.level, plan: planAsSold(row.plan, row.subscription) }));
}

/** Generates the instance's missing secrets once and keeps them for every later attempt. */
export async function secretsFor(db: DbOrTx, loaded: LoadedInstance) {
	const { secrets, generated } = ensureGeneratedSecrets(loaded.service.envTemplate, loaded.instance.generatedSecrets);
	if (generated.length > 0) {
		await db.update(serviceInstances).set({ generatedSecrets: secrets }).where(eq(serviceInstances.id, loaded.instance.id));
	}
	return secrets;
}
