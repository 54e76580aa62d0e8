// The objects a namespace holds for all of its apps together: the namespace with its Pod
// Security labels, a quota summed over the apps' plans (with room for a rollout), container
// limits, and network isolation. Which apps a namespace holds is the database's answer
// (provisioning/namespace.ts); these functions only size the objects for them.
import type { V1LimitRange, V1Namespace, V1NetworkPolicy, V1ResourceQuota } from '@kubernetes/client-node';
import type { KubeSettings, NamespaceApp } from './inputs';
import { companionResources } from './companion';
import { EPHEMERAL_STORAGE_MB } from './instance-objects';
import { HTTP_PORT_NAME, NAMESPACE_OBJECTS, namespaceLabels } from './names';
import { cpuQuantity, memoryQuantity, storageQuantity } from './quantity';
import type { PodSecurityLevel } from './security';

export type NamespaceManifests = {
	namespace: V1Namespace;
	resourceQuota: V1ResourceQuota;
	limitRange: V1LimitRange;
	networkPolicy: V1NetworkPolicy;
};

type Labels = Record<string, string>;

export type NamespaceInput = {
	/** The namespace: the user's, or an app's own (see `appNamespace`). */
	namespace: string;
	userId: string;
	/** The Pod Security level it enforces: restricted, baseline only for an app's own namespace. */
	level: PodSecurityLevel;
	/** Every app the namespace holds, each with its current plan. */
	apps: NamespaceApp[];
	settings: Pick<KubeSettings, 'ingressNamespace' | 'clusterDns'>;
};

/** Namespace, quota, limits and network isolation for the apps of one namespace. */
export function buildNamespaceManifests(input: NamespaceInput): NamespaceManifests {
	const { namespace, userId, apps, settings, level } = input;
	if (apps.length === 0) throw new Error('A user namespace needs at least one app to size its quota');
	const labels = namespaceLabels(userId);
	return {
		namespace: buildNamespace(namespace, labels, level),
		resourceQuota: buildResourceQuota(namespace, labels, apps),
		limitRange: buildLimitRange(namespace, labels, apps),
		networkPolicy: buildNetworkPolicy(namespace, labels, settings)
	};
}

function buildNamespace(namespace: string, labels: Labels, level: PodSecurityLevel): V1Namespace {
	return {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {
			name: namespace,
			labels: {
				...labels,
				'pod-security.kubernetes.io/enforce': level,
				'pod-security.kubernetes.io/enforce-version': 'latest',
				// An app's own baseline namespace still reports what would break under restricted.
				'pod-security.kubernetes.io/warn': 'restricted',
				'pod-security.kubernetes.io/warn-version': 'latest',
				'pod-security.kubernetes.io/audit': 'restricted',
				'pod-security.kubernetes.io/audit-version': 'latest'
			}
		}
	};
}

type Sized = NamespaceApp['plan'];
const sum = (pods: Sized[], pick: (pod: Sized) => number) => pods.reduce((total, pod) => total + pick(pod), 0);
const max = (pods: Sized[], pick: (pod: Sized) => number) => Math.max(...pods.map(pick));
const min = (pods: Sized[], pick: (pod: Sized) => number) => Math.min(...pods.map(pick));

/**
 * What the namespace runs, one entry per pod with a volume: each app at its plan, and its
 * companion database at the database's share of the same plan (kube/companion.ts).
 */
export function namespaceWorkloads(apps: NamespaceApp[]): Sized[] {
	return apps.flatMap((app) => [app.plan, ...(app.companion ? [companionResources(app.companion, app.plan)] : [])]);
}

/** The volumes the namespace holds: each workload's, twice for an app with a restore open. */
function namespaceVolumes(apps: NamespaceApp[]): Sized[] {
	return apps.flatMap((app) => {
		const own = namespaceWorkloads([app]);
		return app.restoring ? [...own, ...own] : own;
	});
}

/**
 * The apps' plans summed, plus room for one pod of the largest app on top: a pod that is
 * still terminating counts against the quota until it is gone, so a restart, or a start
 * right after a stop, briefly needs a second pod's worth.
 * https://kubernetes.io/docs/concepts/policy/resource-quotas/#compute-resource-quota
 */
export function namespaceQuota(apps: NamespaceApp[]) {
	const workloads = namespaceWorkloads(apps);
	const cpu = sum(workloads, (pod) => pod.cpuMilli) + max(workloads, (pod) => pod.cpuMilli);
	const memory = sum(workloads, (pod) => pod.memoryMb) + max(workloads, (pod) => pod.memoryMb);
	const pods = workloads.length + 1;
	const volumes = namespaceVolumes(apps);
	return {
		'requests.cpu': cpuQuantity(cpu),
		'limits.cpu': cpuQuantity(cpu),
		'requests.memory': memoryQuantity(memory),
		'limits.memory': memoryQuantity(memory),
		'requests.ephemeral-storage': memoryQuantity(pods * EPHEMERAL_STORAGE_MB.request),
		'limits.ephemeral-storage': memoryQuantity(pods * EPHEMERAL_STORAGE_MB.limit),
		'requests.storage': storageQuantity(sum(volumes, (pod) => pod.storageGb)),
		persistentvolumeclaims: String(volumes.length),
		pods: String(pods),
		services: String(workloads.length),
		'services.loadbalancers': '0',
		'services.nodeports': '0'
	};
}

function buildResourceQuota(namespace: string, labels: Labels, apps: NamespaceApp[]): V1ResourceQuota {
	return {
		apiVersion: 'v1',
		kind: 'ResourceQuota',
		metadata: { name: NAMESPACE_OBJECTS.resourceQuota, namespace, labels },
		spec: { hard: namespaceQuota(apps) }
	};
}

function buildLimitRange(namespace: string, labels: Labels, apps: NamespaceApp[]): V1LimitRange {
	const workloads = namespaceWorkloads(apps);
	const smallest = {
		cpu: cpuQuantity(min(workloads, (pod) => pod.cpuMilli)),
		memory: memoryQuantity(min(workloads, (pod) => pod.memoryMb))
	};
	const ephemeral = {
		limit: memoryQuantity(EPHEMERAL_STORAGE_MB.limit),
		request: memoryQuantity(EPHEMERAL_STORAGE_MB.request)
	};
	return {
		apiVersion: 'v1',
		kind: 'LimitRange',
		metadata: { name: NAMESPACE_OBJECTS.limitRange, namespace, labels },
		spec: {
			limits: [
				{
					type: 'Container',
					max: {
						cpu: cpuQuantity(max(workloads, (pod) => pod.cpuMilli)),
						memory: memoryQuantity(max(workloads, (pod) => pod.memoryMb)),
						'ephemeral-storage': ephemeral.limit
					},
					_default: { ...smallest, 'ephemeral-storage': ephemeral.limit },
					defaultRequest: { ...smallest, 'ephemeral-storage': ephemeral.request }
				},
				{ type: 'PersistentVolumeClaim', max: { storage: storageQuantity(max(workloads, (pod) => pod.storageGb)) } }
			]
		}
	};
}

/**
 * Everything in the namespace is denied unless listed: traffic in only from the ingress
 * controller; traffic out to the cluster DNS pods only (by their labels, so nothing else in
 * their namespace), and to the public internet (apps call webhooks, send mail, fetch feeds
 * and updates) but not to private, link-local or carrier-grade NAT ranges, so an app can
 * reach neither other tenants, the cluster's internal services, nor the cloud metadata
 * endpoint. A namespaceSelector and a podSelector in one peer must both match.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
function buildNetworkPolicy(
	namespace: string,
	labels: Labels,
	settings: Pick<KubeSettings, 'ingressNamespace' | 'clusterDns'>
): V1NetworkPolicy {
	const { ingressNamespace, clusterDns } = settings;
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'NetworkPolicy',
		metadata: { name: NAMESPACE_OBJECTS.networkPolicy, namespace, labels },
		spec: {
			podSelector: {},
			policyTypes: ['Ingress', 'Egress'],
			ingress: [
				{
					_from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingressNamespace } } }],
					ports: [{ protocol: 'TCP', port: HTTP_PORT_NAME }]
				}
			],
			egress: [
				{
					to: [
						{
							namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': clusterDns.namespace } },
							podSelector: { matchLabels: clusterDns.labels }
						}
					],
					ports: [
						{ protocol: 'UDP', port: 53 },
						{ protocol: 'TCP', port: 53 }
					]
				},
				{
					to: [
						{
							ipBlock: {
								cidr: '0.0.0.0/0',
								except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10']
							}
						},
						{ ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } }
					]
				}
			]
		}
	};
}
