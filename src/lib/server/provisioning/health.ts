// The periodic look at running apps: pod, readiness and failures as the cluster reports them.
import { and, eq, inArray } from 'drizzle-orm';
import { serviceInstances, subscriptions, type ServiceInstance } from '../db/schema';
import { podFailureReason } from '../kube/rollout';
import { instanceNames } from '../kube/names';
import type { Runtime } from '../runtime';
import { updateInstance } from '../instances/state';

/**
 * Refreshes the pod, health and last check of running apps; marks an app whose pod is
 * failing as ERROR with the cluster's reason, and a recovered one RUNNING again.
 */
export async function refreshInstanceHealth(runtime: Runtime) {
	const watched = await runtime.db
		.select({ instance: serviceInstances })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.where(
			and(inArray(serviceInstances.status, ['RUNNING', 'ERROR']), inArray(subscriptions.status, ['ACTIVE', 'PENDING_UPGRADE']))
		);
	let checked = 0;
	for (const { instance } of watched) {
		if (await refreshOne(runtime, instance)) checked += 1;
	}
	return { checked };
}

async function refreshOne(runtime: Runtime, instance: ServiceInstance): Promise<boolean> {
	const names = instanceNames(instance);
	const deployment = await runtime.cluster.getDeployment(names.namespace, names.deployment).catch(() => undefined);
	// An app that failed provisioning has nothing on the cluster to check.
	if (!deployment) return false;
	const [pod] = await runtime.cluster.deploymentPods(deployment);
	const failure = pod ? podFailureReason(pod) : undefined;
	const ready = pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
	const observed = { lastHealthCheck: new Date(), podName: pod?.metadata?.name ?? null };
	const patch = ready
		? {
				status: 'RUNNING' as const,
				statusReason: instance.status === 'ERROR' ? null : instance.statusReason,
				healthStatus: 'healthy'
			}
		: failure
			? { status: 'ERROR' as const, statusReason: failure.message, healthStatus: 'failing' }
			: { healthStatus: 'starting' };
	await updateInstance(runtime.db, instance.id, { ...patch, ...observed }, [instance.status]);
	return true;
}
