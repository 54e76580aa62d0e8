// A template's companion database: PostgreSQL, MariaDB or Redis run beside the app in its
// namespace, as a one-replica Deployment (Recreate, so the old pod lets go of the
// ReadWriteOnce volume before the new one starts: the same guarantee a one-replica
// StatefulSet gives, without a second controller to watch) with its own volume claim,
// Service, Secret and a NetworkPolicy that opens its port to its app's pods only.
//
// Images: the Docker official images (docker-library), not Bitnami's. They are maintained
// upstream with the database projects, start as any user given with `--user`/runAsUser
// (their entrypoints skip the chown and initialise the empty volume as that user), and
// Bitnami moved its versioned images behind a subscription in 2025
// (https://github.com/bitnami/containers/issues/83267). Digests are those pinned by public
// repositories for the exact tags (found with find_string "<image>:<tag>@sha256:").
//
// Sizing: the database gets half of the plan's CPU and memory (memory at least what the
// engine needs to start) and a volume of half the plan's storage (at least 1 GiB), ON TOP of
// the plan's own resources: the app keeps everything its plan promises. The namespace's
// quota counts both (namespace-objects.ts).
//
// Waiting: the app's pod has an init container (the database's own image, so nothing else
// is pulled) that waits until the database answers, so the app never crash-loops on a
// database still initialising; and the rollout job waits for the database's Deployment
// before the app's (provisioning/rollout-check.ts), so the app is RUNNING only with both up.
import type {
	V1Container,
	V1Deployment,
	V1EnvVar,
	V1NetworkPolicy,
	V1PersistentVolumeClaim,
	V1Secret,
	V1Service
} from '@kubernetes/client-node';
import type { CompanionEngine, CompanionField } from '$lib/statuses';
import type { CompanionDatabase, EnvTemplateEntry } from '../db/schema';
import type { KubeSettings, ManifestInstance, ManifestPlan, ManifestService } from './inputs';
import { LABEL, MANAGED_BY, companionNames, labelValue, type CompanionNames, type InstanceNames } from './names';
import { cpuQuantity, memoryQuantity } from './quantity';
import { volumeClaim } from './volume';

/** Where the instance's generated secrets keep the database password (not an env var name). */
export const COMPANION_PASSWORD_KEY = 'companion:password';
const PASSWORD_SPEC = { length: 32, encoding: 'alphanumeric' } as const;
/** The account and database the app uses (Redis: its default user and database 0). */
const APP_ACCOUNT = 'app';
const DB_CONTAINER = 'database';
const PASSWORD_ENV = 'MINISPOD_DB_PASSWORD';

type EngineSpec = {
	image: string;
	version: string;
	/** The image's own database user; the volume is made writable for it through fsGroup. */
	uid: number;
	gid: number;
	port: number;
	dataPath: string;
	/** Memory below which the engine does not start reliably. */
	minMemoryMb: number;
	user: string;
	database: string;
	urlScheme: string;
	/** The server's environment; the password comes from the Secret as PASSWORD_ENV. */
	env: V1EnvVar[];
	args?: string[];
	/** A shell loop that ends once the server at $DB_HOST answers. */
	waitScript: string;
};

export const COMPANION_ENGINES_SPEC: Record<CompanionEngine, EngineSpec> = {
	// https://github.com/docker-library/docs/blob/master/postgres/README.md ("Arbitrary --user
	// Notes", PGDATA: a subdirectory, because a volume's root holds lost+found). The alpine
	// variant's postgres user is uid/gid 70 (docker-library/postgres 17/alpine3.22/Dockerfile).
	postgresql: {
		image: 'postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94',
		version: '17.6',
		uid: 70,
		gid: 70,
		port: 5432,
		dataPath: '/var/lib/postgresql/data',
		minMemoryMb: 128,
		user: APP_ACCOUNT,
		database: APP_ACCOUNT,
		urlScheme: 'postgresql',
		env: [
			{ name: 'POSTGRES_USER', value: APP_ACCOUNT },
			{ name: 'POSTGRES_DB', value: APP_ACCOUNT },
			{ name: 'POSTGRES_PASSWORD', value: `$(${PASSWORD_ENV})` },
			{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }
		],
		waitScript: 'until pg_isready -q -h "$DB_HOST" -p 5432; do sleep 2; done'
	},
	// https://github.com/docker-library/docs/blob/master/mariadb/README.md (MARIADB_USER,
	// MARIADB_PASSWORD, MARIADB_DATABASE, MARIADB_RANDOM_ROOT_PASSWORD); the image's mysql user
	// is uid/gid 999 (MariaDB/mariadb-docker 11.4/Dockerfile). `mariadb-admin ping` exits 0 as
	// soon as the server runs, even when access is denied (MariaDB KB, mariadb-admin).
	mariadb: {
		image: 'mariadb:11.4.8@sha256:bc474f00629f0123c10f9e1bca193a45d18af15a274cf0656acda64f1086c3b6',
		version: '11.4.8',
		uid: 999,
		gid: 999,
		port: 3306,
		dataPath: '/var/lib/mysql',
		minMemoryMb: 256,
		user: APP_ACCOUNT,
		database: APP_ACCOUNT,
		urlScheme: 'mysql',
		env: [
			{ name: 'MARIADB_USER', value: APP_ACCOUNT },
			{ name: 'MARIADB_DATABASE', value: APP_ACCOUNT },
			{ name: 'MARIADB_PASSWORD', value: `$(${PASSWORD_ENV})` },
			{ name: 'MARIADB_RANDOM_ROOT_PASSWORD', value: '1' }
		],
		waitScript: 'until mariadb-admin ping -h "$DB_HOST" --silent; do sleep 2; done'
	},
	// https://github.com/docker-library/docs/blob/master/redis/README.md (persistence with
	// --appendonly, data in /data); the alpine variant's redis user is uid 999, group 1000
	// (docker-library/redis 7.4/alpine/Dockerfile). redis-cli reads REDISCLI_AUTH.
	redis: {
		image: 'redis:7.4.6-alpine@sha256:3b73847e72874be07e6657b129a94761662b79bc0f679273757d4218573b2a98',
		version: '7.4.6',
		uid: 999,
		gid: 1000,
		port: 6379,
		dataPath: '/data',
		minMemoryMb: 64,
		user: 'default',
		database: '0',
		urlScheme: 'redis',
		env: [],
		// Kubernetes expands $(VAR) in args from the container's env.
		args: ['redis-server', '--appendonly', 'yes', '--requirepass', `$(${PASSWORD_ENV})`],
		waitScript: 'until redis-cli -h "$DB_HOST" ping | grep -q PONG; do sleep 2; done'
	}
};

/** The database's share of a plan, on top of the plan (see the top of this file). */
export function companionResources(engine: CompanionEngine, plan: Pick<ManifestPlan, 'cpuMilli' | 'memoryMb' | 'storageGb'>) {
	return {
		cpuMilli: Math.max(50, Math.floor(plan.cpuMilli / 2)),
		memoryMb: Math.max(COMPANION_ENGINES_SPEC[engine].minMemoryMb, Math.floor(plan.memoryMb / 2)),
		storageGb: Math.max(1, Math.ceil(plan.storageGb / 2))
	};
}

/** The template's env entries plus the database password, for `ensureGeneratedSecrets`. */
export function templateSecrets(service: Pick<ManifestService, 'envTemplate' | 'companionDatabase'>): EnvTemplateEntry[] {
	if (!service.companionDatabase) return service.envTemplate;
	return [...service.envTemplate, { name: COMPANION_PASSWORD_KEY, secret: PASSWORD_SPEC }];
}

/** What each `companion` field of the app's env holds. */
function companionValues(database: CompanionDatabase, subdomain: string, password: string): Record<CompanionField, string> {
	const spec = COMPANION_ENGINES_SPEC[database.engine];
	const host = companionNames(subdomain).service;
	const account = database.engine === 'redis' ? `:${password}` : `${spec.user}:${password}`;
	return {
		host,
		port: String(spec.port),
		user: spec.user,
		password,
		database: spec.database,
		// In the namespace the database speaks without TLS; Go's lib/pq would otherwise insist on it.
		url: `${spec.urlScheme}://${account}@${host}:${spec.port}/${spec.database}${database.engine === 'postgresql' ? '?sslmode=disable' : ''}`
	};
}

const SECRET_FIELDS: CompanionField[] = ['password', 'url'];

/**
 * The app's env entries that carry the database: non-secret ones (host, port, user,
 * database) for the ConfigMap, the password and URL for the Secret.
 */
export function companionEnv(
	service: Pick<ManifestService, 'envTemplate' | 'companionDatabase'>,
	instance: Pick<ManifestInstance, 'subdomain'>,
	secrets: Record<string, string> | undefined
): { config: Record<string, string>; secret: Record<string, string> } {
	const config: Record<string, string> = {};
	const secret: Record<string, string> = {};
	const entries = service.envTemplate.filter((entry) => entry.companion);
	if (entries.length === 0) return { config, secret };
	if (!service.companionDatabase) throw new Error('The template wires a companion database it does not declare');
	const password = secrets?.[COMPANION_PASSWORD_KEY];
	const values = companionValues(service.companionDatabase, instance.subdomain, password ?? '');
	for (const entry of entries) {
		const field = entry.companion!;
		if (!SECRET_FIELDS.includes(field)) config[entry.name] = values[field];
		else if (secrets) {
			if (password === undefined) throw new Error('The companion database password has not been generated');
			secret[entry.name] = values[field];
		}
	}
	return { config, secret };
}

type Labels = Record<string, string>;

/** The database pods' labels: not the app's selector (`instance` differs), but its instance id. */
function companionLabels(service: ManifestService, instance: ManifestInstance, names: CompanionNames): Labels {
	return {
		[LABEL.managedBy]: MANAGED_BY,
		[LABEL.name]: labelValue(service.companionDatabase!.engine),
		[LABEL.instance]: names.deployment,
		[LABEL.component]: 'database',
		[LABEL.instanceId]: instance.id,
		[LABEL.userId]: instance.userId
	};
}

export type CompanionManifests = {
	secret: V1Secret;
	persistentVolumeClaim: V1PersistentVolumeClaim;
	deployment: V1Deployment;
	service: V1Service;
	networkPolicy: V1NetworkPolicy;
};

export type CompanionInput = {
	service: ManifestService;
	plan: ManifestPlan;
	instance: ManifestInstance;
	settings: Pick<KubeSettings, 'storageClass'>;
	secrets: Record<string, string>;
	names: InstanceNames;
	stopped?: boolean;
};

/** The database's objects, or undefined when the template declares none. */
export function buildCompanionManifests(input: CompanionInput): CompanionManifests | undefined {
	const { service, plan, instance, settings, secrets } = input;
	if (!service.companionDatabase) return undefined;
	const { engine } = service.companionDatabase;
	const spec = COMPANION_ENGINES_SPEC[engine];
	const names = input.names.database;
	const { namespace } = input.names;
	const labels = companionLabels(service, instance, names);
	const selector = { [LABEL.instance]: names.deployment, [LABEL.instanceId]: instance.id };
	const size = companionResources(engine, plan);
	const password = secrets[COMPANION_PASSWORD_KEY];
	if (password === undefined) throw new Error('The companion database password has not been generated');
	return {
		secret: {
			apiVersion: 'v1',
			kind: 'Secret',
			type: 'Opaque',
			metadata: { name: names.secret, namespace, labels },
			stringData: { password }
		},
		persistentVolumeClaim: volumeClaim({ name: names.persistentVolumeClaim, namespace, labels }, size.storageGb, settings),
		deployment: companionDeployment(input, { names, labels, selector, size, spec }),
		service: {
			apiVersion: 'v1',
			kind: 'Service',
			metadata: { name: names.service, namespace, labels },
			spec: {
				type: 'ClusterIP',
				selector,
				ports: [{ name: 'db', port: spec.port, targetPort: 'db', protocol: 'TCP' }]
			}
		},
		networkPolicy: companionNetworkPolicy(namespace, names, labels, instance.id, spec.port)
	};
}

const restrictedContainer = {
	allowPrivilegeEscalation: false,
	privileged: false,
	runAsNonRoot: true,
	capabilities: { drop: ['ALL'] },
	seccompProfile: { type: 'RuntimeDefault' }
};

function passwordEnv(names: CompanionNames, name = PASSWORD_ENV): V1EnvVar {
	return { name, valueFrom: { secretKeyRef: { name: names.secret, key: 'password' } } };
}

function companionDeployment(
	input: CompanionInput,
	parts: {
		names: CompanionNames;
		labels: Labels;
		selector: Labels;
		size: ReturnType<typeof companionResources>;
		spec: EngineSpec;
	}
): V1Deployment {
	const { names, labels, selector, size, spec } = parts;
	const amounts = { cpu: cpuQuantity(size.cpuMilli), memory: memoryQuantity(size.memoryMb) };
	const container: V1Container = {
		name: DB_CONTAINER,
		image: spec.image,
		imagePullPolicy: 'IfNotPresent',
		...(spec.args ? { args: spec.args } : {}),
		ports: [{ name: 'db', containerPort: spec.port, protocol: 'TCP' }],
		// PASSWORD_ENV first: $(VAR) only expands variables defined earlier in the list.
		env: [passwordEnv(names), ...spec.env],
		resources: {
			requests: { ...amounts, 'ephemeral-storage': memoryQuantity(128) },
			limits: { ...amounts, 'ephemeral-storage': memoryQuantity(1024) }
		},
		// The server listens on TCP only once initialisation is over (the entrypoints run the
		// first-start scripts on a socket-only server).
		readinessProbe: { tcpSocket: { port: 'db' }, initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 3 },
		livenessProbe: { tcpSocket: { port: 'db' }, initialDelaySeconds: 60, periodSeconds: 20, failureThreshold: 6 },
		volumeMounts: [{ name: 'data', mountPath: spec.dataPath }],
		securityContext: restrictedContainer
	};
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: { name: names.deployment, namespace: input.names.namespace, labels },
		spec: {
			replicas: input.stopped ? 0 : 1,
			strategy: { type: 'Recreate' },
			revisionHistoryLimit: 3,
			selector: { matchLabels: selector },
			template: {
				metadata: { labels },
				spec: {
					automountServiceAccountToken: false,
					enableServiceLinks: false,
					terminationGracePeriodSeconds: 60,
					securityContext: {
						runAsNonRoot: true,
						runAsUser: spec.uid,
						runAsGroup: spec.gid,
						fsGroup: spec.gid,
						fsGroupChangePolicy: 'OnRootMismatch',
						seccompProfile: { type: 'RuntimeDefault' }
					},
					containers: [container],
					volumes: [{ name: 'data', persistentVolumeClaim: { claimName: names.persistentVolumeClaim } }]
				}
			}
		}
	};
}

/** The app pod's init container: the database's image, waiting until the database answers. */
export function waitForCompanion(service: ManifestService, subdomain: string): V1Container | undefined {
	if (!service.companionDatabase) return undefined;
	const spec = COMPANION_ENGINES_SPEC[service.companionDatabase.engine];
	const names = companionNames(subdomain);
	const amounts = { cpu: cpuQuantity(50), memory: memoryQuantity(32) };
	return {
		name: 'wait-for-database',
		image: spec.image,
		imagePullPolicy: 'IfNotPresent',
		command: ['sh', '-c', spec.waitScript],
		env: [{ name: 'DB_HOST', value: names.service }, passwordEnv(names, 'REDISCLI_AUTH')],
		resources: {
			requests: { ...amounts, 'ephemeral-storage': memoryQuantity(16) },
			limits: { ...amounts, 'ephemeral-storage': memoryQuantity(64) }
		},
		securityContext: restrictedContainer
	};
}

/**
 * The namespace's policy lets nothing in but the ingress controller and nothing out to
 * private addresses; this one adds, for this instance's pods only, the database port
 * between its app and its database (policies add up: a pod may do what any selecting
 * policy allows). https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
function companionNetworkPolicy(
	namespace: string,
	names: CompanionNames,
	labels: Labels,
	instanceId: string,
	port: number
): V1NetworkPolicy {
	const instancePods = { matchLabels: { [LABEL.instanceId]: instanceId } };
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'NetworkPolicy',
		metadata: { name: names.networkPolicy, namespace, labels },
		spec: {
			podSelector: instancePods,
			policyTypes: ['Ingress', 'Egress'],
			ingress: [{ _from: [{ podSelector: instancePods }], ports: [{ protocol: 'TCP', port }] }],
			egress: [{ to: [{ podSelector: instancePods }], ports: [{ protocol: 'TCP', port }] }]
		}
	};
}
