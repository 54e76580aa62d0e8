// The one module that talks to Kubernetes, through @kubernetes/client-node. Every operation
// is idempotent (apply creates or brings an object to its desired state; deleting what is
// gone is fine), transient failures (5xx, 429, network) are retried with backoff, and what
// goes wrong is a ClusterError with the HTTP status and the Kubernetes reason.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
	AppsV1Api,
	CoreV1Api,
	CustomObjectsApi,
	KubeConfig,
	NetworkingV1Api,
	PatchStrategy,
	setHeaderOptions,
	type KubernetesObject,
	type V1Deployment,
	type V1Namespace,
	type V1Pod,
	type V1ResourceRequirements
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { log as defaultLog } from '../log';
import {
	ClusterError,
	DEFAULT_RETRY,
	REASON_BY_STATUS,
	backoffDelay,
	isAbort,
	parseStatusBody,
	sleep,
	toClusterError,
	type RetryPolicy
} from './errors';
import { kindOperations, type KindOperations, type ManagedKind } from './kinds';
import { ANNOTATION, APP_CONTAINER } from './names';
import { toPodUsage, type PodMetricsItem, type PodUsage } from './metrics';
import {
	judgeRollout,
	pollRollout,
	type RolloutJudgement,
	type RolloutLimits,
	type RolloutResult,
	type RolloutTracking,
	type WaitForRolloutOptions
} from './rollout';
import { desiredForReplace } from './wire';
import { VolumeSnapshots } from './snapshots';
import { clusterApiErrors } from '../metrics';

export type ApplyResult<T> = { action: 'created' | 'updated' | 'unchanged'; object: T };

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

type AgentFactory = (cluster: { server?: string; proxyUrl?: string } | null, options: https.AgentOptions) => http.Agent;

/**
 * client-node makes a new http(s).Agent for every request (KubeConfig.createAgent), so no
 * connection is ever reused: a TCP connect (and a TLS handshake on a real cluster) per API
 * call. One keep-alive agent per API server, made the same way, reuses them. Proxied
 * clusters keep client-node's own agents.
 */
function reuseConnections(kubeConfig: KubeConfig) {
	const config = kubeConfig as unknown as { createAgent: AgentFactory };
	const create = config.createAgent.bind(kubeConfig);
	const agents = new Map<string, http.Agent>();
	config.createAgent = (cluster, options) => {
		if (!cluster?.server || cluster.proxyUrl) return create(cluster, options);
		let agent = agents.get(cluster.server);
		if (!agent) {
			agent = create(cluster, { ...options, keepAlive: true, maxSockets: 64 });
			agents.set(cluster.server, agent);
		}
		return agent;
	};
}

export class Cluster {
	readonly kubeConfig: KubeConfig;
	private readonly core: CoreV1Api;
	private readonly apps: AppsV1Api;
	private readonly customObjects: CustomObjectsApi;
	private readonly retry: RetryPolicy;
	private readonly logger?: Logger;
	private readonly kinds: Record<ManagedKind, KindOperations>;
	/** CSI volume snapshots of the apps' claims (backups). */
	readonly snapshots: VolumeSnapshots;

	constructor(kubeConfig: KubeConfig, options: ClusterOptions = {}) {
		reuseConnections(kubeConfig);
		this.kubeConfig = kubeConfig;
		this.core = kubeConfig.makeApiClient(CoreV1Api);
		this.apps = kubeConfig.makeApiClient(AppsV1Api);
		this.customObjects = kubeConfig.makeApiClient(CustomObjectsApi);
		this.retry = { ...DEFAULT_RETRY, ...options.retry };
		this.logger = options.logger;
		this.kinds = kindOperations(this.core, this.apps, kubeConfig.makeApiClient(NetworkingV1Api));
		this.snapshots = new VolumeSnapshots((what, operation) => this.call(what, operation), this.customObjects, this.core);
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
				clusterApiErrors.inc({ status: String(failure.status) });
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
	 * Brings the object to its desired state the way controllers do: read it, then create it
	 * when it is absent or replace it (keeping what the cluster owns) when it is there. Never
	 * a create that is expected to fail: a real API server charges ResourceQuota before it
	 * notices that an object exists (kubernetes/kubernetes#106842), so re-creating an existing
	 * claim in an exactly sized namespace is refused 403 "exceeded quota", not 409.
	 * A concurrent writer (409 on create or replace) means: read again and try again.
	 * An object still being deleted must be gone first: ClusterError 'Terminating' (retryable).
	 *
	 * `expectAbsent` skips the first read when the caller knows the object cannot exist yet
	 * (an app's first set-up, whose names are new): a create expected to succeed.
	 */
	async apply<T extends KubernetesObject>(object: T, options: { expectAbsent?: boolean } = {}): Promise<ApplyResult<T>> {
		const operations = this.operations(object.kind);
		const namespace = object.metadata?.namespace;
		const name = object.metadata?.name ?? '';
		const label = `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
		for (let attempt = 1; ; attempt++) {
			const existing =
				options.expectAbsent && attempt === 1 ? undefined : await this.read<T>(object.kind as ManagedKind, namespace, name);
			try {
				if (!existing) {
					const created = await this.call(`create ${label}`, () => operations.create(namespace, object));
					return { action: 'created', object: created as T };
				}
				if (existing.metadata?.deletionTimestamp) {
					throw new ClusterError(`${label} is still being deleted`, {
						reason: object.kind === 'Namespace' ? 'NamespaceTerminating' : 'Terminating',
						// The object, for the customer's sentence (provisioning/attempts.ts).
						detail: label,
						retryable: true
					});
				}
				const replaced = await this.call(`replace ${label}`, () =>
					operations.replace(namespace, name, desiredForReplace(existing, object))
				);
				const unchanged = replaced.metadata?.resourceVersion === existing.metadata?.resourceVersion;
				return { action: unchanged ? 'unchanged' : 'updated', object: replaced as T };
			} catch (error) {
				// Created or changed by someone else in between: read again.
				if (!(error instanceof ClusterError) || error.status !== 409 || attempt >= 5) throw error;
			}
		}
	}

	/**
	 * Deletes the object. 'deleted' when this call started its deletion, 'going' when it was
	 * already being deleted (a namespace answers a second DELETE with 409 Conflict while it
	 * terminates, kubernetes/kubernetes#39919: that is success), 'absent' when it was gone.
	 */
	async delete(kind: ManagedKind, namespace: string | undefined, name: string): Promise<'deleted' | 'going' | 'absent'> {
		const operations = this.operations(kind);
		try {
			await this.call(`delete ${kind} ${name}`, () => operations.remove(namespace, name));
			return 'deleted';
		} catch (error) {
			if (error instanceof ClusterError && error.status === 404) return 'absent';
			if (kind === 'Namespace' && error instanceof ClusterError && error.status === 409) return 'going';
			throw error;
		}
	}

	/** Whether the object is gone from the cluster (not merely marked for deletion). */
	async isGone(kind: ManagedKind, namespace: string | undefined, name: string): Promise<boolean> {
		return (await this.read(kind, namespace, name)) === undefined;
	}

	/** Whether a namespace is there and usable, still terminating, or gone. */
	async namespaceState(name: string): Promise<'active' | 'terminating' | 'absent'> {
		const namespace = await this.read<V1Namespace>('Namespace', undefined, name);
		if (!namespace) return 'absent';
		return namespace.metadata?.deletionTimestamp || namespace.status?.phase === 'Terminating' ? 'terminating' : 'active';
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
		return pollRollout(
			{
				deployment: (signal) =>
					this.call(
						`read Deployment ${namespace}/${name}`,
						() => this.apps.readNamespacedDeployment({ namespace, name }),
						signal
					),
				pods: (deployment) => this.deploymentPods(deployment)
			},
			options
		);
	}

	/**
	 * One look at a rollout (for a job that looks again later instead of waiting): done,
	 * waiting or failed, with the tracking to hand to the next look. Undefined when the
	 * Deployment does not exist.
	 */
	async lookAtRollout(
		namespace: string,
		name: string,
		tracking: RolloutTracking,
		limits: RolloutLimits
	): Promise<{ judgement: RolloutJudgement; tracking: RolloutTracking; pods: V1Pod[] } | undefined> {
		const deployment = await this.getDeployment(namespace, name);
		if (!deployment) return undefined;
		const pods = await this.deploymentPods(deployment);
		return { ...judgeRollout(deployment, pods, tracking, Date.now(), limits), pods };
	}

	/**
	 * CPU and memory of the pods in a namespace from the resource metrics API
	 * (metrics.k8s.io/v1beta1, served by metrics-server), per pod. Undefined when the
	 * cluster has no such API (404): usage is then unavailable, which is not an error.
	 * https://kubernetes.io/docs/tasks/debug/debug-cluster/resource-metrics-pipeline/
	 */
	async podMetrics(namespace: string, labelSelector?: string): Promise<PodUsage[] | undefined> {
		try {
			const list = (await this.call(`pod metrics in ${namespace}`, () =>
				this.customObjects.listNamespacedCustomObject({
					group: 'metrics.k8s.io',
					version: 'v1beta1',
					namespace,
					plural: 'pods',
					labelSelector
				})
			)) as { items?: PodMetricsItem[] };
			return (list.items ?? []).map(toPodUsage);
		} catch (error) {
			if (error instanceof ClusterError && error.status === 404) return undefined;
			throw error;
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
					cause: error,
					detail: error instanceof Error ? error.message : String(error)
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
							// Without words of its own the message is MinisPod's: readers get the status keyed.
							wordless: parsed.message === undefined,
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
