// The one module that talks to Kubernetes, through @kubernetes/client-node. Every operation
// is idempotent (apply creates or brings an object to its desired state; deleting what is
// gone is fine), transient failures (5xx, 429, network) are retried with backoff, and what
// goes wrong is a ClusterError with the HTTP status and the Kubernetes reason.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
	ApiException,
	AppsV1Api,
	CoreV1Api,
	KubeConfig,
	NetworkingV1Api,
	PatchStrategy,
	setHeaderOptions,
	type KubernetesObject,
	type V1ContainerStatus,
	type V1Deployment,
	type V1Namespace,
	type V1Pod,
	type V1ResourceRequirements
} from '@kubernetes/client-node';
// The serializer client-node applies to every request body (not re-exported by the package).
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import type { Logger } from 'pino';
import { log as defaultLog } from '../log';
import { ANNOTATION, APP_CONTAINER, type KubeManifest } from './manifests';
import { parseQuantity } from './quantity';

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export type ClusterErrorReason =
	// From the API server's Status objects
	| 'NotFound'
	| 'AlreadyExists'
	| 'Conflict'
	| 'Invalid'
	| 'BadRequest'
	| 'Forbidden'
	| 'Unauthorized'
	| 'TooManyRequests'
	| 'InternalError'
	| 'ServiceUnavailable'
	// Reaching the API server
	| 'NetworkError'
	// Rollouts
	| 'ImagePullFailed'
	| 'CrashLoop'
	| 'ConfigError'
	| 'StartFailed'
	| 'Unschedulable'
	| 'PodFailed'
	| 'ProgressDeadlineExceeded'
	| 'Timeout'
	| (string & {});

/** A failed cluster operation. `status` is the HTTP status, 0 when there was no response. */
export class ClusterError extends Error {
	readonly status: number;
	readonly reason: ClusterErrorReason;
	readonly retryable: boolean;
	/** From a Retry-After header, when the server sent one. */
	readonly retryAfterMs?: number;

	constructor(
		message: string,
		options: { status?: number; reason: ClusterErrorReason; retryable?: boolean; retryAfterMs?: number; cause?: unknown }
	) {
		super(message, { cause: options.cause });
		this.name = 'ClusterError';
		this.status = options.status ?? 0;
		this.reason = options.reason;
		this.retryable = options.retryable ?? false;
		this.retryAfterMs = options.retryAfterMs;
	}
}

const NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
	'ENOTFOUND',
	'UND_ERR_SOCKET'
]);

function parseStatusBody(body: unknown): { reason?: string; message?: string } {
	let value = body;
	if (typeof body === 'string') {
		try {
			value = JSON.parse(body);
		} catch {
			return { message: body.trim() || undefined };
		}
	}
	if (value && typeof value === 'object') {
		const status = value as { reason?: unknown; message?: unknown };
		return {
			reason: typeof status.reason === 'string' && status.reason ? status.reason : undefined,
			message: typeof status.message === 'string' ? status.message : undefined
		};
	}
	return {};
}

const REASON_BY_STATUS: Record<number, ClusterErrorReason> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	409: 'Conflict',
	422: 'Invalid',
	429: 'TooManyRequests',
	500: 'InternalError',
	503: 'ServiceUnavailable'
};

/** Any error from client-node as a ClusterError (abort errors pass through unchanged). */
export function toClusterError(error: unknown): ClusterError {
	if (error instanceof ClusterError) return error;
	if (error instanceof ApiException) {
		const status = Number(error.code);
		const parsed = parseStatusBody(error.body);
		const headers = (error.headers ?? {}) as Record<string, string>;
		const retryAfter = Number(headers['retry-after'] ?? headers['Retry-After']);
		return new ClusterError(parsed.message ?? `Kubernetes API returned HTTP ${status}`, {
			status,
			reason: parsed.reason ?? REASON_BY_STATUS[status] ?? (status >= 500 ? 'InternalError' : 'BadRequest'),
			retryable: status >= 500 || status === 429,
			retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
			cause: error
		});
	}
	const code = (error as { code?: unknown } | undefined)?.code;
	const causeCode = ((error as { cause?: { code?: unknown } } | undefined)?.cause as { code?: unknown } | undefined)?.code;
	const isNetwork =
		(error as { name?: string } | undefined)?.name === 'FetchError' ||
		(typeof code === 'string' && NETWORK_CODES.has(code)) ||
		(typeof causeCode === 'string' && NETWORK_CODES.has(causeCode));
	const message = error instanceof Error ? error.message : String(error);
	if (isNetwork) {
		return new ClusterError(`Cannot reach the Kubernetes API: ${message}`, {
			reason: 'NetworkError',
			retryable: true,
			cause: error
		});
	}
	return new ClusterError(message, { reason: 'InternalError', retryable: false, cause: error });
}

const isAbort = (error: unknown, signal?: AbortSignal) =>
	Boolean(signal?.aborted) || (error instanceof Error && error.name === 'AbortError');

// ---------------------------------------------------------------------------
// Retry with backoff (pure parts)
// ---------------------------------------------------------------------------

export type RetryPolicy = {
	/** Total attempts, the first included. */
	attempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
};

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Delay before retry number `retry` (0 for the first retry): exponential from the base,
 * capped, with "equal jitter" (half fixed, half random) so callers do not retry in step.
 * A server's Retry-After wins when it is longer, still capped.
 */
export function backoffDelay(
	retry: number,
	policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
	options: { random?: () => number; retryAfterMs?: number } = {}
): number {
	const random = options.random ?? Math.random;
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	const jittered = exponential / 2 + (random() * exponential) / 2;
	const delay = Math.max(jittered, options.retryAfterMs ?? 0);
	return Math.round(Math.min(delay, policy.maxDelayMs));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal!.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

// ---------------------------------------------------------------------------
// Wire format
// ---------------------------------------------------------------------------

const serializationType = (object: Pick<KubernetesObject, 'apiVersion' | 'kind'>) => {
	const version = (object.apiVersion ?? 'v1').split('/').at(-1)!;
	return `${version.charAt(0).toUpperCase()}${version.slice(1)}${object.kind}`;
};

/** The JSON client-node sends for an object (its models name some fields `_from`, `_default`). */
export function toWire(object: KubernetesObject): unknown {
	return ObjectSerializer.serialize(object, serializationType(object));
}

/** A client-node model from wire JSON. */
export function fromWire<T extends KubernetesObject>(wire: unknown): T {
	return ObjectSerializer.deserialize(wire, serializationType(wire as KubernetesObject)) as T;
}

// ---------------------------------------------------------------------------
// Applying desired state
// ---------------------------------------------------------------------------

export type ManagedKind = NonNullable<KubeManifest['kind']> | 'Pod';

type Obj = KubernetesObject & { spec?: Record<string, unknown> };

/**
 * What to PUT so that an existing object takes the desired state without undoing what the
 * cluster owns: its resourceVersion (so a concurrent change is a 409, not lost), labels
 * and annotations others added, a Service's cluster IP, a bound claim's spec (only the size
 * may grow), and a restart stamp on the pod template (or every apply would restart the app).
 */
export function desiredForReplace<T extends KubernetesObject>(existing: T, desired: T): T {
	const current = existing as Obj;
	const next = structuredClone(desired) as Obj;
	const labels = { ...current.metadata?.labels, ...next.metadata?.labels };
	const annotations = { ...current.metadata?.annotations, ...next.metadata?.annotations };
	next.metadata = {
		...next.metadata,
		resourceVersion: current.metadata?.resourceVersion,
		...(Object.keys(labels).length ? { labels } : {}),
		...(Object.keys(annotations).length ? { annotations } : {})
	};
	switch (desired.kind) {
		case 'Namespace':
			next.spec = current.spec;
			break;
		case 'Service': {
			const spec = current.spec ?? {};
			next.spec = { ...next.spec };
			for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'healthCheckNodePort']) {
				if (spec[field] !== undefined && next.spec[field] === undefined) next.spec[field] = spec[field];
			}
			break;
		}
		case 'PersistentVolumeClaim': {
			const spec = structuredClone(current.spec ?? {}) as { resources?: { requests?: Record<string, string> } };
			const wanted = (next.spec as typeof spec | undefined)?.resources?.requests?.storage;
			const have = spec.resources?.requests?.storage;
			if (wanted && (!have || parseQuantity(wanted) > parseQuantity(have))) {
				spec.resources = { ...spec.resources, requests: { ...spec.resources?.requests, storage: wanted } };
			}
			next.spec = spec;
			break;
		}
		case 'Deployment': {
			const restartedAt = (current as V1Deployment).spec?.template.metadata?.annotations?.[ANNOTATION.restartedAt];
			const template = (next as V1Deployment).spec?.template;
			if (restartedAt && template && !template.metadata?.annotations?.[ANNOTATION.restartedAt]) {
				template.metadata = {
					...template.metadata,
					annotations: { ...template.metadata?.annotations, [ANNOTATION.restartedAt]: restartedAt }
				};
			}
			break;
		}
	}
	return next as T;
}

export type ApplyResult<T> = { action: 'created' | 'updated' | 'unchanged'; object: T };

// ---------------------------------------------------------------------------
// Rollouts and pod failures (pure parts)
// ---------------------------------------------------------------------------

export type PodFailure = {
	reason: 'ImagePullFailed' | 'CrashLoop' | 'ConfigError' | 'StartFailed' | 'Unschedulable' | 'PodFailed';
	/** A sentence for the customer, with the cluster's own detail. */
	message: string;
	restartCount: number;
	/** No point waiting: the pod cannot recover by itself. */
	permanent: boolean;
};

const IMAGE_PULL_REASONS = new Set([
	'ErrImagePull',
	'ImagePullBackOff',
	'InvalidImageName',
	'ErrImageNeverPull',
	'RegistryUnavailable',
	'SignatureValidationFailed'
]);

function containerFailure(status: V1ContainerStatus): PodFailure | undefined {
	const waiting = status.state?.waiting;
	const terminated = status.state?.terminated ?? status.lastState?.terminated;
	const restartCount = status.restartCount ?? 0;
	const reason = waiting?.reason ?? '';
	const detail = waiting?.message?.trim();
	if (IMAGE_PULL_REASONS.has(reason)) {
		return {
			reason: 'ImagePullFailed',
			message: `Image pull failed: ${detail || reason}`,
			restartCount,
			permanent: reason === 'InvalidImageName' || reason === 'ErrImageNeverPull'
		};
	}
	if (reason === 'CrashLoopBackOff' || (status.state?.terminated && status.state.terminated.exitCode !== 0)) {
		const exitCode = terminated?.exitCode;
		const message =
			terminated?.reason === 'OOMKilled'
				? 'The app keeps running out of memory (OOMKilled); it needs a plan with more memory'
				: `The app keeps crashing (exit code ${exitCode ?? 'unknown'})`;
		return { reason: 'CrashLoop', message, restartCount, permanent: false };
	}
	if (reason === 'CreateContainerConfigError') {
		return {
			reason: 'ConfigError',
			message: `The app's configuration could not be applied: ${detail || reason}`,
			restartCount,
			permanent: false
		};
	}
	if (reason === 'CreateContainerError' || reason === 'RunContainerError' || reason === 'ContainerCannotRun') {
		return {
			reason: 'StartFailed',
			message: `The app's container could not start: ${detail || reason}`,
			restartCount,
			permanent: false
		};
	}
	return undefined;
}

/** Why a pod is not coming up, in words for the customer; undefined while all is well. */
export function podFailureReason(pod: V1Pod): PodFailure | undefined {
	const status = pod.status;
	if (!status) return undefined;
	if (status.phase === 'Failed') {
		const detail = status.message ?? status.reason ?? 'no reason given';
		// Not final by itself: the Deployment replaces a failed (say, evicted) pod.
		return { reason: 'PodFailed', message: `The app's pod failed: ${detail}`, restartCount: 0, permanent: false };
	}
	for (const containerStatus of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
		const failure = containerFailure(containerStatus);
		if (failure) return failure;
	}
	const scheduled = status.conditions?.find((condition) => condition.type === 'PodScheduled');
	if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
		return {
			reason: 'Unschedulable',
			message: `The cluster has no room for the app right now: ${scheduled.message ?? 'no node fits'}`,
			restartCount: 0,
			permanent: false
		};
	}
	return undefined;
}

export type RolloutState = {
	done: boolean;
	desired: number;
	ready: number;
	updated: number;
	/** What the rollout is waiting for, in words. */
	message: string;
};

/** Rollout status as `kubectl rollout status` decides it. */
export function rolloutState(deployment: V1Deployment): RolloutState {
	const desired = deployment.spec?.replicas ?? 1;
	const status = deployment.status ?? {};
	const updated = status.updatedReplicas ?? 0;
	const total = status.replicas ?? 0;
	const available = status.availableReplicas ?? 0;
	const ready = status.readyReplicas ?? 0;
	const state = (done: boolean, message: string) => ({ done, desired, ready, updated, message });
	if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0)) {
		return state(false, 'Waiting for the cluster to pick up the change');
	}
	if (updated < desired) return state(false, `Starting the app (${updated} of ${desired} pods created)`);
	if (total > updated) return state(false, 'Waiting for the previous version to stop');
	if (available < updated) return state(false, `Waiting for the app to become ready (${available} of ${desired} ready)`);
	return state(true, desired === 0 ? 'Stopped' : 'Ready');
}

function podProgress(pod: V1Pod | undefined): string | undefined {
	if (!pod) return undefined;
	const container = pod.status?.containerStatuses?.[0];
	if (container?.state?.waiting?.reason) return `pod ${pod.metadata?.name} is waiting: ${container.state.waiting.reason}`;
	if (container?.state?.running && !container.ready) return `pod ${pod.metadata?.name} is running but not ready yet`;
	if (pod.status?.phase === 'Pending') return `pod ${pod.metadata?.name} is pending`;
	return undefined;
}

function describeDuration(ms: number): string {
	if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}`;
	if (ms >= 1000) return `${Math.round(ms / 100) / 10} seconds`;
	return `${ms} ms`;
}

export type RolloutProgress = RolloutState & { pods: string[] };

export type WaitForRolloutOptions = {
	/** Give up after this long (default 5 minutes). */
	timeoutMs?: number;
	signal?: AbortSignal;
	/** Called whenever what the rollout waits for changes. */
	onProgress?: (progress: RolloutProgress) => void;
	/** Between polls of the Deployment and its pods (default 1 s). */
	pollMs?: number;
	/** A pod failure (image pull, config) must persist this long before it is final (default 20 s). */
	failureGraceMs?: number;
	/** A crash loop is final after this many restarts (default 3). */
	crashRestartLimit?: number;
};

export type RolloutResult = RolloutState & {
	/** Names of the ready pods of the current version, newest first. */
	pods: string[];
};

// ---------------------------------------------------------------------------
// The cluster
// ---------------------------------------------------------------------------

type KindOperations = {
	create(namespace: string | undefined, body: KubernetesObject): Promise<KubernetesObject>;
	read(namespace: string | undefined, name: string): Promise<KubernetesObject>;
	replace(namespace: string | undefined, name: string, body: KubernetesObject): Promise<KubernetesObject>;
	remove(namespace: string | undefined, name: string): Promise<unknown>;
};

export type ClusterOptions = { retry?: Partial<RetryPolicy>; logger?: Logger };

export type LogStreamOptions = {
	/** Start with the last N lines (all when absent). */
	tailLines?: number;
	/** Keep the stream open for new lines (default false). */
	follow?: boolean;
	/** Aborting ends the iteration and closes the HTTP stream at once. */
	signal?: AbortSignal;
	container?: string;
	/** The previous (crashed) container's log. */
	previous?: boolean;
};

export class Cluster {
	readonly kubeConfig: KubeConfig;
	private readonly core: CoreV1Api;
	private readonly apps: AppsV1Api;
	private readonly networking: NetworkingV1Api;
	private readonly retry: RetryPolicy;
	private readonly logger?: Logger;
	private readonly kinds: Record<ManagedKind, KindOperations>;

	constructor(kubeConfig: KubeConfig, options: ClusterOptions = {}) {
		this.kubeConfig = kubeConfig;
		this.core = kubeConfig.makeApiClient(CoreV1Api);
		this.apps = kubeConfig.makeApiClient(AppsV1Api);
		this.networking = kubeConfig.makeApiClient(NetworkingV1Api);
		this.retry = { ...DEFAULT_RETRY, ...options.retry };
		this.logger = options.logger;
		const ns = (namespace: string | undefined) => {
			if (!namespace) throw new ClusterError('A namespace is required for this kind', { reason: 'BadRequest', status: 400 });
			return namespace;
		};
		const { core, apps, networking } = this;
		const namespaced = <T extends KubernetesObject>(operations: {
			create: (p: { namespace: string; body: T }) => Promise<T>;
			read: (p: { namespace: string; name: string }) => Promise<T>;
			replace: (p: { namespace: string; name: string; body: T }) => Promise<T>;
			remove: (p: { namespace: string; name: string; propagationPolicy: string }) => Promise<unknown>;
		}): KindOperations => ({
			create: (namespace, body) => operations.create({ namespace: ns(namespace), body: body as T }),
			read: (namespace, name) => operations.read({ namespace: ns(namespace), name }),
			replace: (namespace, name, body) => operations.replace({ namespace: ns(namespace), name, body: body as T }),
			remove: (namespace, name) => operations.remove({ namespace: ns(namespace), name, propagationPolicy: 'Background' })
		});
		this.kinds = {
			Namespace: {
				create: (_namespace, body) => core.createNamespace({ body: body as V1Namespace }),
				read: (_namespace, name) => core.readNamespace({ name }),
				replace: (_namespace, name, body) => core.replaceNamespace({ name, body: body as V1Namespace }),
				remove: (_namespace, name) => core.deleteNamespace({ name, propagationPolicy: 'Background' })
			},
			ResourceQuota: namespaced({
				create: (p) => core.createNamespacedResourceQuota(p),
				read: (p) => core.readNamespacedResourceQuota(p),
				replace: (p) => core.replaceNamespacedResourceQuota(p),
				remove: (p) => core.deleteNamespacedResourceQuota(p)
			}),
			LimitRange: namespaced({
				create: (p) => core.createNamespacedLimitRange(p),
				read: (p) => core.readNamespacedLimitRange(p),
				replace: (p) => core.replaceNamespacedLimitRange(p),
				remove: (p) => core.deleteNamespacedLimitRange(p)
			}),
			NetworkPolicy: namespaced({
				create: (p) => networking.createNamespacedNetworkPolicy(p),
				read: (p) => networking.readNamespacedNetworkPolicy(p),
				replace: (p) => networking.replaceNamespacedNetworkPolicy(p),
				remove: (p) => networking.deleteNamespacedNetworkPolicy(p)
			}),
			Secret: namespaced({
				create: (p) => core.createNamespacedSecret(p),
				read: (p) => core.readNamespacedSecret(p),
				replace: (p) => core.replaceNamespacedSecret(p),
				remove: (p) => core.deleteNamespacedSecret(p)
			}),
			ConfigMap: namespaced({
				create: (p) => core.createNamespacedConfigMap(p),
				read: (p) => core.readNamespacedConfigMap(p),
				replace: (p) => core.replaceNamespacedConfigMap(p),
				remove: (p) => core.deleteNamespacedConfigMap(p)
			}),
			PersistentVolumeClaim: namespaced({
				create: (p) => core.createNamespacedPersistentVolumeClaim(p),
				read: (p) => core.readNamespacedPersistentVolumeClaim(p),
				replace: (p) => core.replaceNamespacedPersistentVolumeClaim(p),
				remove: (p) => core.deleteNamespacedPersistentVolumeClaim(p)
			}),
			Deployment: namespaced({
				create: (p) => apps.createNamespacedDeployment(p),
				read: (p) => apps.readNamespacedDeployment(p),
				replace: (p) => apps.replaceNamespacedDeployment(p),
				remove: (p) => apps.deleteNamespacedDeployment(p)
			}),
			Service: namespaced({
				create: (p) => core.createNamespacedService(p),
				read: (p) => core.readNamespacedService(p),
				replace: (p) => core.replaceNamespacedService(p),
				remove: (p) => core.deleteNamespacedService(p)
			}),
			Ingress: namespaced({
				create: (p) => networking.createNamespacedIngress(p),
				read: (p) => networking.readNamespacedIngress(p),
				replace: (p) => networking.replaceNamespacedIngress(p),
				remove: (p) => networking.deleteNamespacedIngress(p)
			}),
			Pod: namespaced({
				create: (p) => core.createNamespacedPod(p),
				read: (p) => core.readNamespacedPod(p),
				replace: (p) => core.replaceNamespacedPod(p),
				remove: (p) => core.deleteNamespacedPod(p)
			})
		};
	}

	/** The cluster described by a kubeconfig file (KUBECONFIG may list several, as kubectl reads it). */
	static fromKubeconfigFile(paths: string, options?: ClusterOptions): Cluster {
		const kubeConfig = new KubeConfig();
		const [first, ...rest] = paths.split(path.delimiter).filter(Boolean);
		kubeConfig.loadFromFile(first);
		for (const file of rest) {
			const more = new KubeConfig();
			more.loadFromFile(file);
			kubeConfig.mergeConfig(more);
		}
		return new Cluster(kubeConfig, options);
	}

	/** The cluster MinisPod runs in, through its service account. */
	static inCluster(options?: ClusterOptions): Cluster {
		const kubeConfig = new KubeConfig();
		kubeConfig.loadFromCluster();
		return new Cluster(kubeConfig, options);
	}

	static fromKubeconfigString(text: string, options?: ClusterOptions): Cluster {
		const kubeConfig = new KubeConfig();
		kubeConfig.loadFromString(text);
		return new Cluster(kubeConfig, options);
	}

	/** Runs one API call, retrying transient failures with backoff. */
	private async call<T>(what: string, operation: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			signal?.throwIfAborted();
			try {
				return await operation();
			} catch (error) {
				if (isAbort(error, signal)) throw signal?.reason ?? error;
				const failure = toClusterError(error);
				if (!failure.retryable || attempt >= this.retry.attempts) throw failure;
				const delay = backoffDelay(attempt - 1, this.retry, { retryAfterMs: failure.retryAfterMs });
				(this.logger ?? defaultLog).warn(
					{ what, attempt, status: failure.status, reason: failure.reason, delay },
					'Kubernetes API call failed; retrying'
				);
				await sleep(delay, signal);
			}
		}
	}

	private operations(kind: string | undefined): KindOperations {
		const operations = kind ? this.kinds[kind as ManagedKind] : undefined;
		if (!operations)
			throw new ClusterError(`MinisPod does not manage objects of kind ${kind}`, { reason: 'BadRequest', status: 400 });
		return operations;
	}

	/** Reads an object; undefined when it does not exist. */
	async read<T extends KubernetesObject>(kind: ManagedKind, namespace: string | undefined, name: string): Promise<T | undefined> {
		const operations = this.operations(kind);
		try {
			return (await this.call(`read ${kind} ${name}`, () => operations.read(namespace, name))) as T;
		} catch (error) {
			if (error instanceof ClusterError && error.status === 404) return undefined;
			throw error;
		}
	}

	/**
	 * Creates the object or, when it exists (409 is not an error), replaces it with the
	 * desired state, keeping what the cluster owns. Retries when someone else changed it in
	 * between. `unchanged` when the object already was as desired.
	 */
	async apply<T extends KubernetesObject>(object: T): Promise<ApplyResult<T>> {
		const operations = this.operations(object.kind);
		const namespace = object.metadata?.namespace;
		const name = object.metadata?.name ?? '';
		const label = `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
		for (let attempt = 1; ; attempt++) {
			try {
				const created = await this.call(`create ${label}`, () => operations.create(namespace, object));
				return { action: 'created', object: created as T };
			} catch (error) {
				if (!(error instanceof ClusterError) || error.status !== 409) throw error;
			}
			const existing = await this.read<T>(object.kind as ManagedKind, namespace, name);
			if (!existing) continue; // Deleted in between: create again.
			try {
				const replaced = await this.call(`replace ${label}`, () =>
					operations.replace(namespace, name, desiredForReplace(existing, object))
				);
				const unchanged = replaced.metadata?.resourceVersion === existing.metadata?.resourceVersion;
				return { action: unchanged ? 'unchanged' : 'updated', object: replaced as T };
			} catch (error) {
				// A stale resourceVersion: someone wrote in between; read again and retry.
				if (!(error instanceof ClusterError) || error.reason !== 'Conflict' || attempt >= 5) throw error;
			}
		}
	}

	/** Deletes the object; false when it was already gone. */
	async delete(kind: ManagedKind, namespace: string | undefined, name: string): Promise<boolean> {
		const operations = this.operations(kind);
		try {
			await this.call(`delete ${kind} ${name}`, () => operations.remove(namespace, name));
			return true;
		} catch (error) {
			if (error instanceof ClusterError && error.status === 404) return false;
			throw error;
		}
	}

	/** Creates the namespace or brings its labels up to date. */
	async ensureNamespace(namespace: V1Namespace | string): Promise<ApplyResult<V1Namespace>> {
		const object: V1Namespace =
			typeof namespace === 'string' ? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } : namespace;
		return this.apply(object);
	}

	async getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined> {
		return this.read<V1Deployment>('Deployment', namespace, name);
	}

	/** Sets the Deployment's replica count (0 stops the app and keeps its data). */
	async scaleDeployment(namespace: string, name: string, replicas: number): Promise<void> {
		await this.call(`scale Deployment ${namespace}/${name}`, () =>
			this.apps.patchNamespacedDeploymentScale(
				{ namespace, name, body: { spec: { replicas } } },
				setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
			)
		);
	}

	/** A rolling restart, as `kubectl rollout restart` does it: a new stamp on the pod template. */
	async restartDeployment(namespace: string, name: string, at: Date = new Date()): Promise<V1Deployment> {
		const body = { spec: { template: { metadata: { annotations: { [ANNOTATION.restartedAt]: at.toISOString() } } } } };
		return this.call(`restart Deployment ${namespace}/${name}`, () =>
			this.apps.patchNamespacedDeployment(
				{ namespace, name, body },
				setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)
			)
		);
	}

	/** New requests and limits for one container (an upgrade); the pod is replaced. */
	async patchDeploymentResources(
		namespace: string,
		name: string,
		resources: V1ResourceRequirements,
		container: string = APP_CONTAINER
	): Promise<V1Deployment> {
		const body = { spec: { template: { spec: { containers: [{ name: container, resources }] } } } };
		return this.call(`patch resources of Deployment ${namespace}/${name}`, () =>
			this.apps.patchNamespacedDeployment(
				{ namespace, name, body },
				setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)
			)
		);
	}

	/** Pods matching a label selector, newest first. */
	async listPods(namespace: string, selector: string | Record<string, string>): Promise<V1Pod[]> {
		const labelSelector =
			typeof selector === 'string'
				? selector
				: Object.entries(selector)
						.map(([key, value]) => `${key}=${value}`)
						.join(',');
		const list = await this.call(`list pods in ${namespace}`, () => this.core.listNamespacedPod({ namespace, labelSelector }));
		return [...list.items].sort(
			(a, b) => (b.metadata?.creationTimestamp?.getTime() ?? 0) - (a.metadata?.creationTimestamp?.getTime() ?? 0)
		);
	}

	/** The pods of a Deployment (through its selector), newest first, terminating ones left out. */
	async deploymentPods(deployment: V1Deployment): Promise<V1Pod[]> {
		const namespace = deployment.metadata?.namespace ?? '';
		const selector = deployment.spec?.selector.matchLabels ?? {};
		const pods = await this.listPods(namespace, selector);
		return pods.filter((pod) => !pod.metadata?.deletionTimestamp);
	}

	/**
	 * Waits until the Deployment runs its current version with every replica ready. Rejects
	 * with a ClusterError whose message a customer can read: the image could not be pulled,
	 * the app keeps crashing, or it did not become ready in time.
	 */
	async waitForRollout(namespace: string, name: string, options: WaitForRolloutOptions = {}): Promise<RolloutResult> {
		const timeoutMs = options.timeoutMs ?? 5 * 60_000;
		const pollMs = options.pollMs ?? 1000;
		const failureGraceMs = options.failureGraceMs ?? 20_000;
		const crashRestartLimit = options.crashRestartLimit ?? 3;
		const { signal } = options;
		const deadline = Date.now() + timeoutMs;
		const failingSince = new Map<string, number>();
		let lastReported = '';
		let lastProblem: string | undefined;

		for (;;) {
			signal?.throwIfAborted();
			const deployment = await this.call(
				`read Deployment ${namespace}/${name}`,
				() => this.apps.readNamespacedDeployment({ namespace, name }),
				signal
			);
			const pods = await this.deploymentPods(deployment);
			const state = rolloutState(deployment);
			const readyPods = pods.filter((pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
			const progress: RolloutProgress = { ...state, pods: pods.map((pod) => pod.metadata?.name ?? '') };
			const key = JSON.stringify([state.message, progress.pods, state.ready]);
			if (key !== lastReported) {
				lastReported = key;
				options.onProgress?.(progress);
			}
			if (state.done) return { ...state, pods: readyPods.map((pod) => pod.metadata?.name ?? '') };

			const now = Date.now();
			const seen = new Set<string>();
			// A failed pod only speaks for the app while no replacement is coming up.
			const live = pods.filter((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded');
			for (const pod of live.length > 0 ? live : pods) {
				const failure = podFailureReason(pod);
				if (!failure) continue;
				const failureKey = `${pod.metadata?.name}:${failure.reason}`;
				seen.add(failureKey);
				const since = failingSince.get(failureKey) ?? now;
				failingSince.set(failureKey, since);
				lastProblem = failure.message;
				const final =
					failure.permanent ||
					(failure.reason === 'CrashLoop' && failure.restartCount >= crashRestartLimit) ||
					now - since >= failureGraceMs;
				if (final) throw new ClusterError(failure.message, { reason: failure.reason });
			}
			for (const failureKey of [...failingSince.keys()]) if (!seen.has(failureKey)) failingSince.delete(failureKey);

			const progressing = deployment.status?.conditions?.find((condition) => condition.type === 'Progressing');
			if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
				throw new ClusterError(`The app did not become ready in time${lastProblem ? `: ${lastProblem}` : ''}`, {
					reason: 'ProgressDeadlineExceeded'
				});
			}
			if (now >= deadline) {
				const detail = lastProblem ?? podProgress(pods[0]) ?? state.message.toLowerCase();
				throw new ClusterError(`The app did not become ready within ${describeDuration(timeoutMs)} (${detail})`, {
					reason: 'Timeout'
				});
			}
			await sleep(Math.min(pollMs, Math.max(deadline - now, 1)), signal);
		}
	}

	/**
	 * A pod's log as lines: the last `tailLines` (or all), then with `follow` new lines as
	 * they come, until the container stops, the pod goes away, or `signal` aborts. Aborting,
	 * or leaving the loop early, closes the HTTP stream at once.
	 *
	 * This reads pods/log with client-node's authentication but its own request: client-node's
	 * Log helper drops the API server's error message and cannot tell a dropped connection
	 * from a quiet app.
	 */
	async *streamLogs(namespace: string, podName: string, options: LogStreamOptions = {}): AsyncGenerator<string, void, undefined> {
		const { signal } = options;
		const response = await this.call(
			`log of pod ${namespace}/${podName}`,
			() => this.openLogStream(namespace, podName, options),
			signal
		);
		const close = () => response.destroy();
		signal?.addEventListener('abort', close, { once: true });
		const decoder = new StringDecoder('utf8');
		let pending = '';
		try {
			for await (const chunk of response) {
				pending += decoder.write(chunk as Buffer);
				const lines = pending.split('\n');
				pending = lines.pop() ?? '';
				for (const line of lines) {
					if (signal?.aborted) return;
					yield line;
				}
			}
			pending += decoder.end();
			if (pending && !signal?.aborted) yield pending;
		} catch (error) {
			if (signal?.aborted) return;
			throw new ClusterError(
				`The log stream of pod ${podName} was interrupted: ${error instanceof Error ? error.message : String(error)}`,
				{
					reason: 'NetworkError',
					retryable: true,
					cause: error
				}
			);
		} finally {
			signal?.removeEventListener('abort', close);
			close();
		}
	}

	private async openLogStream(namespace: string, podName: string, options: LogStreamOptions): Promise<IncomingMessage> {
		const server = this.kubeConfig.getCurrentCluster()?.server;
		if (!server) throw new ClusterError('The kubeconfig has no current cluster', { reason: 'BadRequest' });
		const url = new URL(
			`${server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(podName)}/log`
		);
		url.searchParams.set('container', options.container ?? APP_CONTAINER);
		if (options.follow) url.searchParams.set('follow', 'true');
		if (options.previous) url.searchParams.set('previous', 'true');
		if (options.tailLines !== undefined) url.searchParams.set('tailLines', String(options.tailLines));
		const requestOptions: https.RequestOptions = { method: 'GET', headers: { Accept: 'text/plain, */*' } };
		await this.kubeConfig.applyToHTTPSOptions(requestOptions);
		const send = url.protocol === 'https:' ? https.request : http.request;
		return new Promise((resolve, reject) => {
			const request = send(url, { ...requestOptions, signal: options.signal }, (response) => {
				const status = response.statusCode ?? 0;
				if (status === 200) return resolve(response);
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('error', (error) => reject(toClusterError(error)));
				response.on('end', () => {
					const parsed = parseStatusBody(Buffer.concat(chunks).toString('utf8'));
					reject(
						new ClusterError(parsed.message ?? `Kubernetes API returned HTTP ${status} for the log of pod ${podName}`, {
							status,
							reason: parsed.reason ?? REASON_BY_STATUS[status] ?? 'InternalError',
							retryable: status >= 500 || status === 429
						})
					);
				});
			});
			request.on('error', (error) => reject(isAbort(error, options.signal) ? error : toClusterError(error)));
			request.end();
		});
	}
}
