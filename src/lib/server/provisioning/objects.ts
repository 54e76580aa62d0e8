// The cluster objects of one app: built from its plan, applied step by step (each step
// recorded on the instance for the customer to watch), and removed again.
import type { ServiceInstance, ServicePlan } from '../db/schema';
import { buildManifests, type KubeManifest, type Manifests } from '../kube/manifests';
import { instanceNames } from '../kube/names';
import { buildNamespaceManifests } from '../kube/namespace-objects';
import type { Runtime } from '../runtime';
import { recordStep } from '../instances/state';
import { otherApps, secretsFor, type LoadedInstance } from './job-data';

/** The step each kind of object belongs to, as shown to the customer. */
const STEP_OF_KIND: Record<string, string> = {
	Namespace: 'namespace',
	ResourceQuota: 'quota',
	LimitRange: 'quota',
	NetworkPolicy: 'network-policy',
	Secret: 'secret',
	ConfigMap: 'config',
	PersistentVolumeClaim: 'volume',
	Deployment: 'deployment',
	Service: 'service',
	Ingress: 'ingress'
};
export const PROVISIONING_STEPS = [...new Set(Object.values(STEP_OF_KIND)), 'rollout'];

export async function manifestsFor(
	runtime: Runtime,
	loaded: LoadedInstance,
	plan: ServicePlan,
	options: { stopped?: boolean } = {}
) {
	return buildManifests({
		service: loaded.service,
		plan,
		instance: loaded.instance,
		settings: runtime.config.kube,
		secrets: await secretsFor(runtime.db, loaded),
		stopped: options.stopped,
		userApps: await otherApps(runtime.db, loaded.instance)
	});
}

/**
 * Applies the objects one step at a time, in PROVISIONING_STEPS order, recording each
 * step. Stops (returning false) as soon as `stillWanted` says the work was abandoned.
 */
export async function applyInSteps(
	runtime: Runtime,
	instanceId: string,
	manifests: Manifests,
	stillWanted: () => Promise<boolean>
): Promise<boolean> {
	for (const step of PROVISIONING_STEPS.filter((s) => s !== 'rollout')) {
		if (!(await stillWanted())) return false;
		const objects = manifests.objects.filter((object) => STEP_OF_KIND[object.kind ?? ''] === step);
		await recordStep(runtime.db, instanceId, step, 'running');
		for (const object of objects) await runtime.cluster.apply<KubeManifest>(object);
		await recordStep(runtime.db, instanceId, step, 'done');
	}
	return true;
}

/**
 * Deletes the instance's objects; the namespace too when the user has no other app in it,
 * else the namespace quota is resized for the apps that remain.
 */
export async function removeInstanceObjects(runtime: Runtime, instance: ServiceInstance) {
	const { cluster } = runtime;
	const names = instanceNames(instance);
	const namespace = names.namespace;
	await cluster.delete('Ingress', namespace, names.ingress);
	await cluster.delete('Service', namespace, names.service);
	await cluster.delete('Deployment', namespace, names.deployment);
	await cluster.delete('PersistentVolumeClaim', namespace, names.persistentVolumeClaim);
	await cluster.delete('ConfigMap', namespace, names.configMap);
	await cluster.delete('Secret', namespace, names.secret);
	const remaining = await otherApps(runtime.db, instance);
	if (remaining.length === 0) {
		await cluster.delete('Namespace', undefined, namespace);
		return;
	}
	const shared = buildNamespaceManifests({ userId: instance.userId, apps: remaining, settings: runtime.config.kube });
	for (const object of [shared.namespace, shared.resourceQuota, shared.limitRange]) await cluster.apply<KubeManifest>(object);
}

/** How long a rollout may take and how long a pod failure must last to count. */
export function rolloutLimits(runtime: Runtime) {
	return {
		timeoutMs: runtime.config.kube.provisionTimeoutSeconds * 1000,
		failureGraceMs: runtime.config.kube.podFailureGraceSeconds * 1000,
		pollMs: 500
	};
}
