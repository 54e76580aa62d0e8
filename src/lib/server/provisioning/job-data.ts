// What a provisioning job reads from the database: the instance with its subscription,
// plan and service, and the instance's generated secrets (made once, kept for every later
// attempt). Which apps share a namespace is namespace.ts's question.
import { eq } from 'drizzle-orm';
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
import { templateSecrets } from '../kube/companion';
import { openSecrets, sealSecrets } from '../secrets/instance-secrets';

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
	if (!row) return undefined;
	// In memory the secrets are plain: they go only into the app's Kubernetes Secret.
	const instance = { ...row.instance, generatedSecrets: openSecrets(row.instance.id, row.instance.generatedSecrets) };
	return { ...row, instance, plan: planAsSold(row.plan, row.subscription) };
}

/** Generates the instance's missing secrets once and keeps them for every later attempt. */
export async function secretsFor(db: DbOrTx, loaded: LoadedInstance) {
	const { secrets, generated } = ensureGeneratedSecrets(templateSecrets(loaded.service), loaded.instance.generatedSecrets);
	if (generated.length > 0) {
		await db
			.update(serviceInstances)
			.set({ generatedSecrets: sealSecrets(loaded.instance.id, secrets) })
			.where(eq(serviceInstances.id, loaded.instance.id));
	}
	return secrets;
}
