// The objects of one app instance in its user's namespace: Secret, ConfigMap, data volume
// claim, Deployment, Service and a cert-manager Ingress for its public host, and its
// companion database's objects when the template declares one (companion.ts).
import type {
	V1ConfigMap,
	V1Container,
	V1Deployment,
	V1Ingress,
	V1PersistentVolumeClaim,
	V1Probe,
	V1Secret,
	V1Service
} from '@kubernetes/client-node';
import type { ServicePlan } from '../db/schema';
import { buildCompanionManifests, companionEnv, waitForCompanion, type CompanionManifests } from './companion';
import { configHash, resolveEnvironment, secretData } from './environment';
import type { KubeSettings, ManifestInstance, ManifestPlan, ManifestService } from './inputs';
import {
	ANNOTATION,
	APP_CONTAINER,
	appNamespace,
	HTTP_PORT_NAME,
	SERVICE_PORT,
	instanceLabels,
	instanceNames,
	customDomainTlsSecret,
	instanceSelector,
	isDnsSubdomain,
	publicHost,
	type InstanceNames
} from './names';
import { cpuQuantity, memoryQuantity } from './quantity';
import { volumeClaim } from './volume';
import { containerSecurityContext, podSecurityContext } from './security';

export type InstanceManifests = {
	secret: V1Secret;
	configMap: V1ConfigMap;
	persistentVolumeClaim: V1PersistentVolumeClaim;
	deployment: V1Deployment;
	service: V1Service;
	ingress: V1Ingress;
	/** The companion database's objects; absent when the template declares none. */
	companion?: CompanionManifests;
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
	/** Verified custom domains the app's Ingress serves besides its own address. */
	customDomains?: string[];
};

type Labels = Record<string, string>;

/**
 * Node-local disk a container may use (its writable layer, logs and emptyDirs): requested
 * so the scheduler counts it, limited so one app cannot fill a node's disk (the kubelet
 * evicts a pod over its limit).
 * https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
 */
export const EPHEMERAL_STORAGE_MB = { request: 128, limit: 1024 } as const;

/** The size of each writable scratch directory (emptyDir) an app's template declares. */
export const SCRATCH_SIZE_MB = 256;

/**
 * Requests equal limits for CPU and memory: the customer pays for the plan's capacity, so
 * it is reserved (Guaranteed QoS) rather than overcommitted.
 */
export function planResources(plan: Pick<ServicePlan, 'cpuMilli' | 'memoryMb'>) {
	const amounts = { cpu: cpuQuantity(plan.cpuMilli), memory: memoryQuantity(plan.memoryMb) };
	return {
		requests: { ...amounts, 'ephemeral-storage': memoryQuantity(EPHEMERAL_STORAGE_MB.request) },
		limits: { ...amounts, 'ephemeral-storage': memoryQuantity(EPHEMERAL_STORAGE_MB.limit) }
	};
}

/** The emptyDir volumes (and their mounts) for the paths the template says the app writes. */
function scratchVolumes(service: ManifestService) {
	const paths = service.writablePaths ?? [];
	return {
		volumes: paths.map((_path, index) => ({
			name: `scratch-${index}`,
			emptyDir: { sizeLimit: memoryQuantity(SCRATCH_SIZE_MB) }
		})),
		mounts: paths.map((path, index) => ({ name: `scratch-${index}`, mountPath: path }))
	};
}

export function buildInstanceManifests(input: InstanceManifestInput): InstanceManifests {
	const { service, plan, instance, settings, secrets } = input;
	const names = instanceNames({ ...instance, namespace: appNamespace(instance, service) });
	const { namespace } = names;
	const labels = instanceLabels(service, instance);
	const selector = instanceSelector(instance);
	const env = resolveEnvironment(service, instance, settings);
	const secretValues = { ...secretData(service.envTemplate, secrets), ...companionEnv(service, instance, secrets).secret };
	const host = publicHost(instance.subdomain, settings.baseDomain);
	const customDomains = input.customDomains ?? [];
	for (const name of [host, ...customDomains]) {
		if (!isDnsSubdomain(name)) throw new Error(`Host ${JSON.stringify(name)} is not a valid DNS name`);
	}

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
		persistentVolumeClaim: volumeClaim({ name: names.persistentVolumeClaim, namespace, labels }, plan.storageGb, settings),
		deployment: buildDeployment(input, { names, labels, selector, configHash: configHash(env, secretValues) }),
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
		ingress: buildIngress(names, labels, { host, customDomains }, settings),
		companion: buildCompanionManifests({ ...input, names })
	};
}

function httpProbe(path: string, options: Omit<V1Probe, 'httpGet'>): V1Probe {
	return { httpGet: { path, port: HTTP_PORT_NAME, scheme: 'HTTP' }, timeoutSeconds: 5, ...options };
}

function appContainer(service: ManifestService, plan: ManifestPlan, names: InstanceNames): V1Container {
	const healthPath = service.healthCheckPath.startsWith('/') ? service.healthCheckPath : `/${service.healthCheckPath}`;
	return {
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
		volumeMounts: [{ name: 'data', mountPath: service.dataMountPath }, ...scratchVolumes(service).mounts],
		securityContext: containerSecurityContext(service)
	};
}

function buildDeployment(
	input: InstanceManifestInput,
	parts: { names: InstanceNames; labels: Labels; selector: Labels; configHash: string }
): V1Deployment {
	const { service, plan } = input;
	const waitForDatabase = waitForCompanion(service, input.instance.subdomain);
	const { names, labels, selector } = parts;
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: { name: names.deployment, namespace: names.namespace, labels, annotations: { [ANNOTATION.planId]: plan.id } },
		spec: {
			replicas: input.stopped ? 0 : 1,
			// The data volume is ReadWriteOnce: the old pod must let go before the new one starts.
			strategy: { type: 'Recreate' },
			revisionHistoryLimit: 3,
			progressDeadlineSeconds: 600,
			selector: { matchLabels: selector },
			template: {
				metadata: { labels, annotations: { [ANNOTATION.configHash]: parts.configHash } },
				spec: {
					automountServiceAccountToken: false,
					// Service links would inject `<SERVICE>_PORT=tcp://…` variables that collide with
					// app settings such as N8N_PORT.
					enableServiceLinks: false,
					terminationGracePeriodSeconds: 30,
					securityContext: podSecurityContext(service),
					...(waitForDatabase ? { initContainers: [waitForDatabase] } : {}),
					containers: [appContainer(service, plan, names)],
					volumes: [
						{ name: 'data', persistentVolumeClaim: { claimName: names.persistentVolumeClaim } },
						...scratchVolumes(service).volumes
					]
				}
			}
		}
	};
}

/**
 * The app's Ingress: its own host, then each custom domain with a TLS entry of its own.
 * cert-manager's ingress-shim makes one Certificate per TLS entry, named after (and stored
 * in) the entry's secretName, for the entry's hosts
 * (https://cert-manager.io/docs/usage/ingress/#how-it-works), so a domain's certificate
 * never holds up the app's own, and removing a domain removes only its entry.
 */
function buildIngress(
	names: InstanceNames,
	labels: Labels,
	hosts: { host: string; customDomains: string[] },
	settings: KubeSettings
): V1Ingress {
	const backend = { service: { name: names.service, port: { name: HTTP_PORT_NAME } } };
	const rule = (host: string) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } });
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'Ingress',
		metadata: {
			name: names.ingress,
			namespace: names.namespace,
			labels,
			annotations: { [ANNOTATION.clusterIssuer]: settings.clusterIssuer }
		},
		spec: {
			ingressClassName: settings.ingressClass,
			tls: [
				{ hosts: [hosts.host], secretName: names.tlsSecret },
				...hosts.customDomains.map((domain) => ({ hosts: [domain], secretName: customDomainTlsSecret(names, domain) }))
			],
			rules: [rule(hosts.host), ...hosts.customDomains.map(rule)]
		}
	};
}
