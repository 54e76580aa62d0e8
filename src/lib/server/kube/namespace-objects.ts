// The objects one user's namespace holds for all of the user's apps together: the namespace
// with its Pod Security labels, a quota summed over the apps' plans, container limits, and
// network isolation.
import type { V1LimitRange, V1Namespace, V1NetworkPolicy, V1ResourceQuota } from '@kubernetes/client-node';
import type { KubeSettings, NamespaceApp } from './inputs';
import { HTTP_PORT_NAME, NAMESPACE_OBJECTS, namespaceForUser, namespaceLabels } from './names';
import { cpuQuantity, memoryQuantity, storageQuantity } from './quantity';
import { namespaceSecurityLevel, type PodSecurityLevel } from './security';

export type NamespaceManifests = {
	namespace: V1Namespace;
	resourceQuota: V1ResourceQuota;
	limitRange: V1LimitRange;
	networkPolicy: V1NetworkPolicy;
};

type Labels = Record<string, string>;

/** Namespace, quota, limits and network isolation for every app of one user. */
export function buildNamespaceManifests(input: {
	userId: string;
	apps: NamespaceApp[];
	settings: Pick<KubeSettings, 'ingressNamespace'>;
}): NamespaceManifests {
	const { userId, apps, settings } = input;
	if (apps.length === 0) throw new Error('A user namespace needs at least one app to size its quota');
	const namespace = namespaceForUser(userId);
	const labels = namespaceLabels(userId);
	const level = namespaceSecurityLevel(apps.map((app) => app.podSecurityLevel));
	return {
		namespace: buildNamespace(namespace, labels, level),
		resourceQuota: buildResourceQuota(namespace, labels, apps),
		limitRange: buildLimitRange(namespace, labels, apps),
		networkPolicy: buildNetworkPolicy(namespace, labels, settings.ingressNamespace)
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
				// Baseline namespaces still report what would break under restricted.
				'pod-security.kubernetes.io/warn': 'restricted',
				'pod-security.kubernetes.io/warn-version': 'latest',
				'pod-security.kubernetes.io/audit': 'restricted',
				'pod-security.kubernetes.io/audit-version': 'latest'
			}
		}
	};
}

const sum = (apps: NamespaceApp[], pick: (app: NamespaceApp) => number) => apps.reduce((total, app) => total + pick(app), 0);
const max = (apps: NamespaceApp[], pick: (app: NamespaceApp) => number) => Math.max(...apps.map(pick));
const min = (apps: NamespaceApp[], pick: (app: NamespaceApp) => number) => Math.min(...apps.map(pick));

function buildResourceQuota(namespace: string, labels: Labels, apps: NamespaceApp[]): V1ResourceQuota {
	const cpu = sum(apps, (app) => app.plan.cpuMilli);
	const memory = sum(apps, (app) => app.plan.memoryMb);
	return {
		apiVersion: 'v1',
		kind: 'ResourceQuota',
		metadata: { name: NAMESPACE_OBJECTS.resourceQuota, namespace, labels },
		spec: {
			hard: {
				'requests.cpu': cpuQuantity(cpu),
				'limits.cpu': cpuQuantity(cpu),
				'requests.memory': memoryQuantity(memory),
				'limits.memory': memoryQuantity(memory),
				'requests.storage': storageQuantity(sum(apps, (app) => app.plan.storageGb)),
				persistentvolumeclaims: String(apps.length),
				// A replacement pod may exist while the old one terminates.
				pods: String(apps.length * 2),
				services: String(apps.length),
				'services.loadbalancers': '0',
				'services.nodeports': '0'
			}
		}
	};
}

function buildLimitRange(namespace: string, labels: Labels, apps: NamespaceApp[]): V1LimitRange {
	const smallest = {
		cpu: cpuQuantity(min(apps, (app) => app.plan.cpuMilli)),
		memory: memoryQuantity(min(apps, (app) => app.plan.memoryMb))
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
						cpu: cpuQuantity(max(apps, (app) => app.plan.cpuMilli)),
						memory: memoryQuantity(max(apps, (app) => app.plan.memoryMb))
					},
					_default: { ...smallest },
					defaultRequest: { ...smallest }
				},
				{ type: 'PersistentVolumeClaim', max: { storage: storageQuantity(max(apps, (app) => app.plan.storageGb)) } }
			]
		}
	};
}

/**
 * Everything in the namespace is denied unless listed: traffic in only from the ingress
 * controller; traffic out to cluster DNS, and to the public internet (apps call webhooks,
 * send mail, fetch feeds and updates) but not to private, link-local or carrier-grade NAT
 * ranges, so an app can reach neither other tenants, the cluster's internal services, nor
 * the cloud metadata endpoint.
 */
function buildNetworkPolicy(namespace: string, labels: Labels, ingressNamespace: string): V1NetworkPolicy {
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
					to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
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
