// The Kubernetes objects MinisPod applies for an app instance, as pure functions of the
// service template, the plan, the instance and the cluster settings. Nothing here talks to
// a cluster; `cluster.ts` applies what these functions return. Every object is validated
// against the Kubernetes schemas in tests/unit/kube/manifests.test.ts.
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import type {
	V1ConfigMap,
	V1Container,
	V1Deployment,
	V1Ingress,
	V1LimitRange,
	V1Namespace,
	V1NetworkPolicy,
	V1PersistentVolumeClaim,
	V1PodSecurityContext,
	V1Probe,
	V1ResourceQuota,
	V1Secret,
	V1SecurityContext,
	V1Service
} from '@kubernetes/client-node';
import type { Config } from '../config';
import type { EnvTemplateEntry, Service, ServiceInstance, ServicePlan } from '../db/schema';

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/** What of a service template the manifests use. */
export type ManifestService = Pick<
	Service,
	| 'slug'
	| 'version'
	| 'dockerImage'
	| 'defaultPort'
	| 'healthCheckPath'
	| 'dataMountPath'
	| 'podSecurityLevel'
	| 'runAsUser'
	| 'envTemplate'
>;

/** What of a plan the manifests use. */
export type ManifestPlan = Pick<ServicePlan, 'id' | 'cpuMilli' | 'memoryMb' | 'storageGb'>;

/** What of an instance the manifests use. */
export type ManifestInstance = Pick<ServiceInstance, 'id' | 'userId' | 'name' | 'subdomain'>;

/** Cluster settings from configuration (`config.kube`). */
export type KubeSettings = Pick<
	Config['kube'],
	'baseDomain' | 'ingressClass' | 'ingressNamespace' | 'clusterIssuer' | 'storageClass'
>;

/** One app of a user that shares the user's namespace (for the quota and security level). */
export type NamespaceApp = {
	instanceId: string;
	podSecurityLevel: string;
	plan: Pick<ServicePlan, 'cpuMilli' | 'memoryMb' | 'storageGb'>;
};

export type PodSecurityLevel = 'restricted' | 'baseline';

// ---------------------------------------------------------------------------
// Names and labels
// ---------------------------------------------------------------------------

export const APP_CONTAINER = 'app';
export const HTTP_PORT_NAME = 'http';
export const SERVICE_PORT = 80;

export const LABEL = {
	managedBy: 'app.kubernetes.io/managed-by',
	name: 'app.kubernetes.io/name',
	instance: 'app.kubernetes.io/instance',
	version: 'app.kubernetes.io/version',
	component: 'app.kubernetes.io/component',
	userId: 'minispod.io/user-id',
	instanceId: 'minispod.io/instance-id'
} as const;

export const MANAGED_BY = 'minispod';

export const ANNOTATION = {
	/** Changing it on the pod template rolls the pods (what `kubectl rollout restart` does). */
	restartedAt: 'kubectl.kubernetes.io/restartedAt',
	/** Hash of the environment, so a changed ConfigMap or Secret rolls the pods too. */
	configHash: 'minispod.io/config-hash',
	planId: 'minispod.io/plan-id',
	clusterIssuer: 'cert-manager.io/cluster-issuer'
} as const;

/** Names of the namespace-wide objects (one each per user namespace). */
export const NAMESPACE_OBJECTS = {
	resourceQuota: 'minispod-quota',
	limitRange: 'minispod-limits',
	networkPolicy: 'minispod-isolation'
} as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** A DNS-1123 label: at most 63 lowercase letters, digits and dashes, alphanumeric at both ends. */
export function isDnsLabel(value: string): boolean {
	return value.length <= 63 && DNS_LABEL.test(value);
}

/** A DNS-1035 label (what Service names must be): a DNS-1123 label starting with a letter. */
export function isDns1035Label(value: string): boolean {
	return value.length <= 63 && DNS_1035_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
	return value.length <= 253 && DNS_SUBDOMAIN.test(value) && value.split('.').every((label) => label.length <= 63);
}

export function isLabelValue(value: string): boolean {
	return value.length <= 63 && LABEL_VALUE.test(value);
}

/** The namespace that holds every app of one user. */
export function namespaceForUser(userId: string): string {
	const name = `user-${userId.toLowerCase()}`;
	if (!isDnsLabel(name)) throw new Error(`User id ${JSON.stringify(userId)} does not make a valid namespace name`);
	return name;
}

// Room for the pod name suffixes the cluster adds (`-<template hash>-<5 chars>`) within 63.
const MAX_BASE_NAME = 40;

/**
 * The base name of an instance's objects, stable for the instance: its subdomain when that
 * is already a short DNS-1035 label, otherwise a shortened form with a hash of the subdomain.
 */
export function instanceBaseName(subdomain: string): string {
	if (!isDnsLabel(subdomain)) {
		throw new Error(`Subdomain ${JSON.stringify(subdomain)} is not a valid DNS label`);
	}
	let name = /^[a-z]/.test(subdomain) ? subdomain : `app-${subdomain}`;
	if (name.length > MAX_BASE_NAME) {
		const hash = createHash('sha256').update(subdomain).digest('hex').slice(0, 6);
		name = `${name.slice(0, MAX_BASE_NAME - 7).replace(/-+$/, '')}-${hash}`;
	}
	return name;
}

export type InstanceNames = {
	namespace: string;
	base: string;
	deployment: string;
	service: string;
	ingress: string;
	secret: string;
	configMap: string;
	persistentVolumeClaim: string;
	tlsSecret: string;
};

export function instanceNames(instance: Pick<ManifestInstance, 'userId' | 'subdomain'>): InstanceNames {
	const base = instanceBaseName(instance.subdomain);
	return {
		namespace: namespaceForUser(instance.userId),
		base,
		deployment: base,
		service: base,
		ingress: base,
		secret: `${base}-secrets`,
		configMap: `${base}-config`,
		persistentVolumeClaim: `${base}-data`,
		tlsSecret: `${base}-tls`
	};
}

export function publicHost(subdomain: string, baseDomain: string): string {
	return `${subdomain}.${baseDomain}`;
}

export function publicUrl(subdomain: string, baseDomain: string): string {
	return `https://${publicHost(subdomain, baseDomain)}`;
}

function labelValue(value: string): string {
	const cleaned = value
		.replace(/[^A-Za-z0-9_.-]/g, '-')
		.slice(0, 63)
		.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
	return cleaned;
}

function namespaceLabels(userId: string): Record<string, string> {
	return { [LABEL.managedBy]: MANAGED_BY, [LABEL.userId]: userId };
}

/** Labels that select an instance's pods; part of the immutable Deployment selector. */
export function instanceSelector(instance: Pick<ManifestInstance, 'id' | 'subdomain'>): Record<string, string> {
	return { [LABEL.instance]: instanceBaseName(instance.subdomain), [LABEL.instanceId]: instance.id };
}

function instanceLabels(service: ManifestService, instance: ManifestInstance): Record<string, string> {
	const labels: Record<string, string> = {
		[LABEL.managedBy]: MANAGED_BY,
		[LABEL.name]: labelValue(service.slug),
		...instanceSelector(instance),
		[LABEL.userId]: instance.userId
	};
	const version = labelValue(service.version);
	if (version) labels[LABEL.version] = version;
	return labels;
}

// ---------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------

export const cpuQuantity = (milli: number) => `${milli}m`;
export const memoryQuantity = (mb: number) => `${mb}Mi`;
export const storageQuantity = (gb: number) => `${gb}Gi`;

/**
 * Requests equal limits: the customer pays for the plan's capacity, so it is reserved
 * (Guaranteed QoS) rather than overcommitted.
 */
export function planResources(plan: Pick<ServicePlan, 'cpuMilli' | 'memoryMb'>) {
	const amounts = { cpu: cpuQuantity(plan.cpuMilli), memory: memoryQuantity(plan.memoryMb) };
	return { requests: { ...amounts }, limits: { ...amounts } };
}

// ---------------------------------------------------------------------------
// Secrets and environment
// ---------------------------------------------------------------------------

type SecretSpec = NonNullable<EnvTemplateEntry['secret']>;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A crypto-random string of exactly `length` characters in the template's encoding. */
export function generateSecretValue(spec: SecretSpec, randomBytes: (size: number) => Buffer = cryptoRandomBytes): string {
	const { length } = spec;
	if (!Number.isInteger(length) || length < 1) throw new Error(`Secret length must be a positive integer, got ${length}`);
	switch (spec.encoding ?? 'alphanumeric') {
		case 'hex':
			return randomBytes(Math.ceil(length / 2))
				.toString('hex')
				.slice(0, length);
		case 'base64url':
			return randomBytes(Math.ceil((length * 3) / 4))
				.toString('base64url')
				.slice(0, length);
		case 'alphanumeric': {
			// Rejection sampling keeps every character equally likely (248 = 4 * 62).
			let out = '';
			while (out.length < length) {
				for (const byte of randomBytes(length)) {
					if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
				}
			}
			return out;
		}
	}
}

/**
 * The complete secret map for an instance: every existing value kept as it is (secrets are
 * generated once and survive retries, upgrades and template edits), and only the template's
 * missing secrets generated. `generated` lists the new names, so the caller knows to save.
 */
export function ensureGeneratedSecrets(
	envTemplate: EnvTemplateEntry[],
	existing: Record<string, string> | null | undefined,
	randomBytes: (size: number) => Buffer = cryptoRandomBytes
): { secrets: Record<string, string>; generated: string[] } {
	const secrets: Record<string, string> = { ...(existing ?? {}) };
	const generated: string[] = [];
	for (const entry of envTemplate) {
		if (!entry.secret || secrets[entry.name] !== undefined) continue;
		secrets[entry.name] = generateSecretValue(entry.secret, randomBytes);
		generated.push(entry.name);
	}
	return { secrets, generated };
}

/** The non-secret environment: literal values and values derived from the instance. */
export function resolveEnvironment(
	service: Pick<ManifestService, 'envTemplate' | 'dataMountPath'>,
	instance: Pick<ManifestInstance, 'name' | 'subdomain'>,
	settings: Pick<KubeSettings, 'baseDomain'>
): Record<string, string> {
	const derived: Record<NonNullable<EnvTemplateEntry['derived']>, string> = {
		PUBLIC_URL: publicUrl(instance.subdomain, settings.baseDomain),
		PUBLIC_HOST: publicHost(instance.subdomain, settings.baseDomain),
		INSTANCE_NAME: instance.name,
		DATA_DIR: service.dataMountPath
	};
	const env: Record<string, string> = {};
	for (const entry of service.envTemplate) {
		if (entry.secret) continue;
		if (entry.derived) env[entry.name] = derived[entry.derived];
		else if (entry.value !== undefined) env[entry.name] = entry.value;
	}
	return env;
}

function secretData(envTemplate: EnvTemplateEntry[], secrets: Record<string, string>): Record<string, string> {
	const data: Record<string, string> = {};
	for (const entry of envTemplate) {
		if (!entry.secret) continue;
		const value = secrets[entry.name];
		if (value === undefined) {
			throw new Error(`Secret ${entry.name} has not been generated; call ensureGeneratedSecrets first`);
		}
		data[entry.name] = value;
	}
	return data;
}

function configHash(env: Record<string, string>, secrets: Record<string, string>): string {
	const sorted = (record: Record<string, string>) => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
	return createHash('sha256')
		.update(JSON.stringify([sorted(env), sorted(secrets)]))
		.digest('hex')
		.slice(0, 16);
}

// ---------------------------------------------------------------------------
// Pod security
// ---------------------------------------------------------------------------

export function toPodSecurityLevel(level: string): PodSecurityLevel {
	if (level === 'restricted' || level === 'baseline') return level;
	throw new Error(`Unsupported Pod Security level ${JSON.stringify(level)} (restricted or baseline)`);
}

/** The namespace enforces the least restrictive level any of the user's apps needs. */
export function namespaceSecurityLevel(levels: string[]): PodSecurityLevel {
	return levels.map(toPodSecurityLevel).includes('baseline') ? 'baseline' : 'restricted';
}

function podSecurityContext(service: ManifestService): V1PodSecurityContext {
	const seccompProfile = { type: 'RuntimeDefault' };
	if (toPodSecurityLevel(service.podSecurityLevel) === 'baseline') {
		// Images that start as root (and drop to their own user in the entrypoint).
		return { seccompProfile };
	}
	const uid = service.runAsUser ?? undefined;
	return {
		runAsNonRoot: true,
		...(uid !== undefined ? { runAsUser: uid, runAsGroup: uid, fsGroup: uid, fsGroupChangePolicy: 'OnRootMismatch' } : {}),
		seccompProfile
	};
}

function containerSecurityContext(service: ManifestService): V1SecurityContext {
	if (toPodSecurityLevel(service.podSecurityLevel) === 'baseline') {
		// Root entrypoints need their default capabilities (chown, setuid to drop privileges);
		// raw sockets are the one default capability apps never need.
		return { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['NET_RAW'] } };
	}
	return {
		allowPrivilegeEscalation: false,
		privileged: false,
		runAsNonRoot: true,
		capabilities: { drop: ['ALL'] },
		seccompProfile: { type: 'RuntimeDefault' }
	};
}

// ---------------------------------------------------------------------------
// Namespace-wide objects
// ---------------------------------------------------------------------------

export type NamespaceManifests = {
	namespace: V1Namespace;
	resourceQuota: V1ResourceQuota;
	limitRange: V1LimitRange;
	networkPolicy: V1NetworkPolicy;
};

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

	const sum = (pick: (app: NamespaceApp) => number) => apps.reduce((total, app) => total + pick(app), 0);
	const max = (pick: (app: NamespaceApp) => number) => Math.max(...apps.map(pick));
	const min = (pick: (app: NamespaceApp) => number) => Math.min(...apps.map(pick));
	const cpu = sum((app) => app.plan.cpuMilli);
	const memory = sum((app) => app.plan.memoryMb);

	return {
		namespace: {
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
		},
		resourceQuota: {
			apiVersion: 'v1',
			kind: 'ResourceQuota',
			metadata: { name: NAMESPACE_OBJECTS.resourceQuota, namespace, labels },
			spec: {
				hard: {
					'requests.cpu': cpuQuantity(cpu),
					'limits.cpu': cpuQuantity(cpu),
					'requests.memory': memoryQuantity(memory),
					'limits.memory': memoryQuantity(memory),
					'requests.storage': storageQuantity(sum((app) => app.plan.storageGb)),
					persistentvolumeclaims: String(apps.length),
					// A replacement pod may exist while the old one terminates.
					pods: String(apps.length * 2),
					services: String(apps.length),
					'services.loadbalancers': '0',
					'services.nodeports': '0'
				}
			}
		},
		limitRange: {
			apiVersion: 'v1',
			kind: 'LimitRange',
			metadata: { name: NAMESPACE_OBJECTS.limitRange, namespace, labels },
			spec: {
				limits: [
					{
						type: 'Container',
						max: { cpu: cpuQuantity(max((app) => app.plan.cpuMilli)), memory: memoryQuantity(max((app) => app.plan.memoryMb)) },
						_default: {
							cpu: cpuQuantity(min((app) => app.plan.cpuMilli)),
							memory: memoryQuantity(min((app) => app.plan.memoryMb))
						},
						defaultRequest: {
							cpu: cpuQuantity(min((app) => app.plan.cpuMilli)),
							memory: memoryQuantity(min((app) => app.plan.memoryMb))
						}
					},
					{ type: 'PersistentVolumeClaim', max: { storage: storageQuantity(max((app) => app.plan.storageGb)) } }
				]
			}
		},
		networkPolicy: buildNetworkPolicy(namespace, labels, settings.ingressNamespace)
	};
}

/**
 * Everything in the namespace is denied unless listed: traffic in only from the ingress
 * controller; traffic out to cluster DNS, and to the public internet (apps call webhooks,
 * send mail, fetch feeds and updates) but not to private, link-local or carrier-grade NAT
 * ranges, so an app can reach neither other tenants, the cluster's internal services, nor
 * the cloud metadata endpoint.
 */
function buildNetworkPolicy(namespace: string, labels: Record<string, string>, ingressNamespace: string): V1NetworkPolicy {
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

// ---------------------------------------------------------------------------
// Per-instance objects
// ---------------------------------------------------------------------------

export type InstanceManifests = {
	secret: V1Secret;
	configMap: V1ConfigMap;
	persistentVolumeClaim: V1PersistentVolumeClaim;
	deployment: V1Deployment;
	service: V1Service;
	ingress: V1Ingress;
};

export type InstanceManifestInput = {
	service: ManifestService;
	plan: ManifestPlan;
	instance: ManifestInstance;
	settings: KubeSettings;
	/** The instance's generated secrets (see `ensureGeneratedSecrets`); must cover the template. */
	secrets: Record<string, string>;
	/** A stopped instance keeps its objects and data with no pods running. */
	stopped?: boolean;
};

function httpProbe(path: string, options: Omit<V1Probe, 'httpGet'>): V1Probe {
	return { httpGet: { path, port: HTTP_PORT_NAME, scheme: 'HTTP' }, timeoutSeconds: 5, ...options };
}

export function buildInstanceManifests(input: InstanceManifestInput): InstanceManifests {
	const { service, plan, instance, settings, secrets } = input;
	const names = instanceNames(instance);
	const { namespace } = names;
	const labels = instanceLabels(service, instance);
	const selector = instanceSelector(instance);
	const env = resolveEnvironment(service, instance, settings);
	const secretValues = secretData(service.envTemplate, secrets);
	const host = publicHost(instance.subdomain, settings.baseDomain);
	if (!isDnsSubdomain(host)) throw new Error(`Host ${JSON.stringify(host)} is not a valid DNS name`);

	const healthPath = service.healthCheckPath.startsWith('/') ? service.healthCheckPath : `/${service.healthCheckPath}`;
	const container: V1Container = {
		name: APP_CONTAINER,
		image: service.dockerImage,
		imagePullPolicy: 'IfNotPresent',
		ports: [{ name: HTTP_PORT_NAME, containerPort: service.defaultPort, protocol: 'TCP' }],
		envFrom: [{ configMapRef: { name: names.configMap } }, { secretRef: { name: names.secret } }],
		resources: planResources(plan),
		// First start can run migrations for minutes; liveness only counts once it has started.
		startupProbe: httpProbe(healthPath, { initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 60 }),
		readinessProbe: httpProbe(healthPath, { initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 }),
		livenessProbe: httpProbe(healthPath, { initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 3 }),
		volumeMounts: [{ name: 'data', mountPath: service.dataMountPath }],
		securityContext: containerSecurityContext(service)
	};

	return {
		secret: {
			apiVersion: 'v1',
			kind: 'Secret',
			type: 'Opaque',
			metadata: { name: names.secret, namespace, labels },
			stringData: secretValues
		},
		configMap: {
			apiVersion: 'v1',
			kind: 'ConfigMap',
			metadata: { name: names.configMap, namespace, labels },
			data: env
		},
		persistentVolumeClaim: {
			apiVersion: 'v1',
			kind: 'PersistentVolumeClaim',
			metadata: { name: names.persistentVolumeClaim, namespace, labels },
			spec: {
				accessModes: ['ReadWriteOnce'],
				resources: { requests: { storage: storageQuantity(plan.storageGb) } },
				...(settings.storageClass ? { storageClassName: settings.storageClass } : {})
			}
		},
		deployment: {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: { name: names.deployment, namespace, labels, annotations: { [ANNOTATION.planId]: plan.id } },
			spec: {
				replicas: input.stopped ? 0 : 1,
				// The data volume is ReadWriteOnce: the old pod must let go before the new one starts.
				strategy: { type: 'Recreate' },
				revisionHistoryLimit: 3,
				progressDeadlineSeconds: 600,
				selector: { matchLabels: selector },
				template: {
					metadata: { labels, annotations: { [ANNOTATION.configHash]: configHash(env, secretValues) } },
					spec: {
						automountServiceAccountToken: false,
						// Service links would inject `<SERVICE>_PORT=tcp://…` variables that collide with
						// app settings such as N8N_PORT.
						enableServiceLinks: false,
						terminationGracePeriodSeconds: 30,
						securityContext: podSecurityContext(service),
						containers: [container],
						volumes: [{ name: 'data', persistentVolumeClaim: { claimName: names.persistentVolumeClaim } }]
					}
				}
			}
		},
		service: {
			apiVersion: 'v1',
			kind: 'Service',
			metadata: { name: names.service, namespace, labels },
			spec: {
				type: 'ClusterIP',
				selector,
				ports: [{ name: HTTP_PORT_NAME, port: SERVICE_PORT, targetPort: HTTP_PORT_NAME, protocol: 'TCP' }]
			}
		},
		ingress: {
			apiVersion: 'networking.k8s.io/v1',
			kind: 'Ingress',
			metadata: {
				name: names.ingress,
				namespace,
				labels,
				annotations: { [ANNOTATION.clusterIssuer]: settings.clusterIssuer }
			},
			spec: {
				ingressClassName: settings.ingressClass,
				tls: [{ hosts: [host], secretName: names.tlsSecret }],
				rules: [
					{
						host,
						http: {
							paths: [
								{
									path: '/',
									pathType: 'Prefix',
									backend: { service: { name: names.service, port: { name: HTTP_PORT_NAME } } }
								}
							]
						}
					}
				]
			}
		}
	};
}

// ---------------------------------------------------------------------------
// Everything for one instance, in apply order
// ---------------------------------------------------------------------------

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
 * Every object for one instance. `userApps` are the user's other apps sharing the namespace
 * (this instance may be among them; its entry is replaced by the current plan and template).
 */
export function buildManifests(input: InstanceManifestInput & { userApps: NamespaceApp[] }): Manifests {
	const { service, plan, instance, settings } = input;
	const apps: NamespaceApp[] = [
		...input.userApps.filter((app) => app.instanceId !== instance.id),
		{ instanceId: instance.id, podSecurityLevel: service.podSecurityLevel, plan }
	];
	const namespaceObjects = buildNamespaceManifests({ userId: instance.userId, apps, settings });
	const instanceObjects = buildInstanceManifests(input);
	return {
		...namespaceObjects,
		...instanceObjects,
		names: instanceNames(instance),
		publicUrl: publicUrl(instance.subdomain, settings.baseDomain),
		environment: resolveEnvironment(service, instance, settings),
		objects: [
			namespaceObjects.namespace,
			namespaceObjects.resourceQuota,
			namespaceObjects.limitRange,
			namespaceObjects.networkPolicy,
			instanceObjects.secret,
			instanceObjects.configMap,
			instanceObjects.persistentVolumeClaim,
			instanceObjects.deployment,
			instanceObjects.service,
			instanceObjects.ingress
		]
	};
}
