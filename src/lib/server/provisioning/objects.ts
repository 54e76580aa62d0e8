// The cluster objects of one app: built from its plan, applied step by step (each step
// recorded on the instance for the customer to watch), removed again, and the look at its
// rollout handed to a short job that comes back until the rollout is over.
import type { InstanceStatus, ServiceInstance, ServicePlan } from '../db/schema';
import { ClusterError } from '../kube/errors';
import { buildManifests, type KubeManifest, type Manifests } from '../kube/manifests';
import { LABEL, instanceNames, type InstanceNames } from '../kube/names';
import type { ManagedKind } from '../kube/kinds';
import type { Runtime } from '../runtime';
import type { Tx } from '../db/client';
import { enqueue, type JobPayloads } from '../queue';
import { recordSteps, type StepEntry } from '../instances/state';
import { instanceReason } from '../instances/reasons';
import { secretsFor, type LoadedInstance } from './job-data';
import { syncNamespace } from './namespace';
import { routedHostnames } from '../domains/service';

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
/** The companion database's objects, all in one step before the app's own. */
const DATABASE_STEP = 'database';
/** The steps `prepareNamespace` does together. */
export const NAMESPACE_STEPS = ['namespace', 'quota', 'network-policy'];
export const PROVISIONING_STEPS = [
	...NAMESPACE_STEPS,
	DATABASE_STEP,
	...new Set(Object.values(STEP_OF_KIND).filter((step) => !NAMESPACE_STEPS.includes(step))),
	'rollout'
];

const stepOf = (object: KubeManifest) =>
	object.metadata?.labels?.[LABEL.component] === 'database' ? DATABASE_STEP : STEP_OF_KIND[object.kind ?? ''];

/** The steps a new app goes through: the database step only when its template has one. */
export function provisioningSteps(hasCompanion: boolean) {
	return PROVISIONING_STEPS.filter((step) => hasCompanion || step !== DATABASE_STEP);
}

export async function manifestsFor(
	runtime: Runtime,
	loaded: LoadedInstance,
	plan: ServicePlan,
	options: { stopped?: boolean } = {}
) {
	const { instance, service } = loaded;
	return buildManifests({
		service,
		plan,
		instance,
		settings: runtime.config.kube,
		secrets: await secretsFor(runtime.db, loaded),
		stopped: options.stopped,
		customDomains: await routedHostnames(runtime.db, instance),
		// The namespace's shared objects come from syncNamespace: these manifests are the app's own.
		namespaceApps: []
	});
}

/** The instance's names where its objects are: its recorded namespace, else the one its template picks. */
export function namesOf(instance: ServiceInstance): InstanceNames {
	return instanceNames(instance);
}

/**
 * The namespace-wide objects for the instance's namespace, from the database's view of its
 * apps. 'terminating' when the namespace is still being deleted (try again later).
 */
export async function prepareNamespace(runtime: Runtime, instance: ServiceInstance, namespace: string) {
	const state = await syncNamespace(runtime, { userId: instance.userId, namespace });
	return state === 'ready' ? ('ready' as const) : ('terminating' as const);
}

/**
 * Progress is written when a step starts, unless the last write is more recent than this:
 * then the step's start goes with the next write. On a cluster that answers at once a set-up
 * writes its progress twice instead of once per step (a burst of set-ups is bound by these
 * writes); a step that takes time is still shown as it happens.
 */
const STEP_WRITE_INTERVAL_MS = 200;

/**
 * Applies the app's own objects one step at a time, in PROVISIONING_STEPS order, recording
 * each step (one step done and the next started in one write; `before` goes with the first;
 * see STEP_WRITE_INTERVAL_MS) and then the rollout as started. Stops (returning false) at the
 * first write that finds the instance no longer in `onlyWhile`: the work was abandoned.
 * `fresh`: the app's first set-up, its objects cannot exist yet.
 */
export async function applyAppObjects(
	runtime: Runtime,
	instanceId: string,
	manifests: Manifests,
	options: { onlyWhile: InstanceStatus; fresh?: boolean; before?: StepEntry[] }
): Promise<boolean> {
	const { onlyWhile, fresh } = options;
	let previous: string | undefined;
	let pending = options.before ?? [];
	let lastWrite = 0;
	for (const step of PROVISIONING_STEPS.filter((s) => s !== 'rollout' && !NAMESPACE_STEPS.includes(s))) {
		const objects = manifests.objects.filter((object) => stepOf(object) === step);
		// The database step of an app without one.
		if (objects.length === 0) continue;
		pending = withEntries(pending, [
			...(previous ? [{ step: previous, status: 'done' as const }] : []),
			{ step, status: 'running' as const }
		]);
		if (Date.now() - lastWrite >= STEP_WRITE_INTERVAL_MS) {
			if (!(await recordSteps(runtime.db, instanceId, pending, { onlyWhile }))) return false;
			pending = [];
			lastWrite = Date.now();
		}
		for (const object of objects) await runtime.cluster.apply<KubeManifest>(object, { expectAbsent: fresh });
		previous = step;
	}
	return recordSteps(
		runtime.db,
		instanceId,
		withEntries(pending, [
			{ step: previous!, status: 'done' },
			{ step: 'rollout', status: 'running', text: instanceReason('step_starting', {}) }
		]),
		{ onlyWhile }
	);
}

/** Entries not yet written with later ones: a step's latest entry replaces its earlier one. */
function withEntries(pending: StepEntry[], later: StepEntry[]): StepEntry[] {
	const steps = new Set(later.map((entry) => entry.step));
	return [...pending.filter((entry) => !steps.has(entry.step)), ...later];
}

/**
 * Everything an app causes to exist in its namespace: cert-manager's TLS Secrets (its own
 * and its custom domains') and its companion database (deleting what never existed is fine).
 */
function appObjects(names: InstanceNames, domainSecrets: string[]): [ManagedKind, string][] {
	const { database } = names;
	return [
		['Ingress', names.ingress],
		['Service', names.service],
		['Deployment', names.deployment],
		['PersistentVolumeClaim', names.persistentVolumeClaim],
		['ConfigMap', names.configMap],
		['Secret', names.secret],
		// Made by cert-manager for the Ingress and not owned by it, so it outlives the Ingress.
		['Secret', names.tlsSecret],
		['Deployment', database.deployment],
		['Service', database.service],
		['PersistentVolumeClaim', database.persistentVolumeClaim],
		['Secret', database.secret],
		['NetworkPolicy', database.networkPolicy],
		...domainSecrets.map((name): [ManagedKind, string] => ['Secret', name])
	];
}

/**
 * Deletes the app's objects and its custom domains' certificate Secrets (idempotent: deleting what is gone or going is fine) and says
 * whether the cluster has let go of all of them. Their pods go with the Deployment; the
 * claim only once no pod uses it. With `keepData`, the volume claims (the app's data and its
 * database's) stay.
 */
export async function deleteAppObjects(
	runtime: Runtime,
	names: InstanceNames,
	domainSecrets: string[] = [],
	{ keepData = false } = {}
): Promise<boolean> {
	const { cluster } = runtime;
	if ((await cluster.namespaceState(names.namespace)) === 'absent') return true;
	const objects = appObjects(names, domainSecrets).filter(([kind]) => !keepData || kind !== 'PersistentVolumeClaim');
	for (const [kind, name] of objects) await cluster.delete(kind, names.namespace, name);
	for (const [kind, name] of objects) {
		if (!(await cluster.isGone(kind, names.namespace, name))) return false;
	}
	return true;
}

/** How long a rollout may take and how long a pod failure must last to count. */
export function rolloutLimits(runtime: Runtime) {
	return {
		timeoutMs: runtime.config.kube.provisionTimeoutSeconds * 1000,
		failureGraceMs: runtime.config.kube.podFailureGraceSeconds * 1000,
		crashRestartLimit: 3
	};
}

/** Between two looks at a rollout, or at a namespace that is going. */
export const LOOK_AGAIN_MS = 1000;

/** Hands the wait for the rollout to the rollout job (first look at once), in `tx` when given. */
export async function watchRollout(
	runtime: Runtime,
	data: Omit<JobPayloads['instance-rollout'], 'tracking' | 'deadline'> & { deadline?: string },
	options: { afterMs?: number; tx?: Tx } = {}
) {
	const deadline = data.deadline ?? new Date(Date.now() + rolloutLimits(runtime).timeoutMs).toISOString();
	await enqueue(
		runtime.boss,
		'instance-rollout',
		{ ...data, deadline, tracking: { failingSince: {} } },
		{ ...(options.afterMs ? { startAfter: new Date(Date.now() + options.afterMs) } : {}), tx: options.tx }
	);
}

/** A cluster error that means "the namespace is still going", from an apply or a sync. */
export const isNamespaceTerminating = (error: unknown) =>
	error instanceof ClusterError && error.reason === 'NamespaceTerminating';
