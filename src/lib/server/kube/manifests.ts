// The Kubernetes objects MinisPod applies for an app instance, as pure functions of the
// service template, the plan, the instance and the cluster settings. Nothing here talks to
// a cluster; `cluster.ts` applies what these functions return. Every object is validated
// against the Kubernetes schemas in tests/unit/kube/manifests.test.ts.
//
// This file puts the parts together: names.ts (names, labels), environment.ts (secrets and
// environment), security.ts (Pod Security), namespace-objects.ts and instance-objects.ts.
import type {
	V1ConfigMap,
	V1Deployment,
	V1Ingress,
	V1LimitRange,
	V1Namespace,
	V1NetworkPolicy,
	V1PersistentVolumeClaim,
	V1ResourceQuota,
	V1Secret,
	V1Service
} from '@kubernetes/client-node';
import { resolveEnvironment } from './environment';
import type { NamespaceApp } from './inputs';
import { buildInstanceManifests, type InstanceManifestInput, type InstanceManifests } from './instance-objects';
import { appNamespace, instanceNames, publicUrl, type InstanceNames } from './names';
import { buildNamespaceManifests, type NamespaceManifests } from './namespace-objects';
import { runsRestricted } from './security';

export type KubeManifest =
	| V1Namespace
	| V1ResourceQuota
	| V1LimitRange
	| V1NetworkPolicy
	| V1Secret
	| V1ConfigMap
	| V1PersistentVolumeClaim
	| V1Deployment
	| V1Service
	| V1Ingress;

export type Manifests = NamespaceManifests &
	InstanceManifests & {
		names: InstanceNames;
		publicUrl: string;
		/** Non-secret environment as applied (for `service_instances.env_vars`). */
		environment: Record<string, string>;
		/** Every object in the order to apply it (delete in reverse). */
		objects: KubeManifest[];
	};

/**
 * Every object for one instance. `namespaceApps` are the apps its namespace holds (this
 * instance may be among them; its entry is replaced by the current plan).
 */
export function buildManifests(input: InstanceManifestInput & { namespaceApps: NamespaceApp[] }): Manifests {
	const { service, plan, instance, settings } = input;
	const apps: NamespaceApp[] = [
		...input.namespaceApps.filter((app) => app.instanceId !== instance.id),
		{ instanceId: instance.id, plan, companion: service.companionDatabase?.engine ?? null }
	];
	const names = instanceNames({ ...instance, namespace: appNamespace(instance, service) });
	const namespaceObjects = buildNamespaceManifests({
		namespace: names.namespace,
		userId: instance.userId,
		level: runsRestricted(service) ? 'restricted' : 'baseline',
		apps,
		settings
	});
	const instanceObjects = buildInstanceManifests(input);
	return {
		...namespaceObjects,
		...instanceObjects,
		names,
		publicUrl: publicUrl(instance.subdomain, settings.baseDomain),
		environment: resolveEnvironment(service, instance, settings),
		objects: [
			namespaceObjects.namespace,
			namespaceObjects.resourceQuota,
			namespaceObjects.limitRange,
			namespaceObjects.networkPolicy,
			...companionObjects(instanceObjects),
			instanceObjects.secret,
			instanceObjects.configMap,
			instanceObjects.persistentVolumeClaim,
			instanceObjects.deployment,
			instanceObjects.service,
			instanceObjects.ingress
		]
	};
}

/** The companion database's objects in the order to apply them (none without one). */
export function companionObjects(objects: InstanceManifests): KubeManifest[] {
	const { companion } = objects;
	if (!companion) return [];
	return [companion.networkPolicy, companion.secret, companion.persistentVolumeClaim, companion.deployment, companion.service];
}
