// What the control plane and kubelet would do, in miniature: Deployments get pods named
// like a ReplicaSet's (`<deployment>-<template hash>-<5 chars>`), pods go Pending ->
// Running -> Ready after a delay, a changed pod template replaces the pods, zero replicas
// means no pods, and Deployment status follows, as `kubectl rollout status` reads it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Faults, PodFault } from './faults';
import { PodLog, crashLines, periodicLine, readyLines, startupLines, type AppContext } from './logs';
import { canonicalJson, clone } from './patch';
import { resourceTypeForKind } from './resources';
import { formatLabelSelector, matchesLabels, parseLabelSelector } from './selectors';
import type { ObjectStore, StoreEvent, WireObject } from './store';

export type ControllerOptions = {
	/** From pod creation to Ready (half of it to Running). */
	podReadyDelayMs: number;
	/** Between the periodic lines a running app logs. */
	logIntervalMs: number;
	/** How often Deployments are re-examined (progress deadlines). */
	resyncMs: number;
};

type Labels = Record<string, string>;
type Condition = {
	type: string;
	status: 'True' | 'False' | 'Unknown';
	reason?: string;
	message?: string;
	lastTransitionTime?: string;
	lastUpdateTime?: string;
	lastProbeTime?: string | null;
};

type Container = {
	name: string;
	image: string;
	ports?: { containerPort: number; name?: string }[];
	readinessProbe?: { httpGet?: { path?: string } };
	resources?: { requests?: Labels; limits?: Labels };
};

type PodTemplate = {
	metadata?: { labels?: Labels; annotations?: Labels };
	spec: { containers: Container[] } & Record<string, unknown>;
};

export type DeploymentObject = WireObject & {
	spec: {
		replicas?: number;
		selector: { matchLabels?: Labels };
		template: PodTemplate;
		strategy?: { type?: string };
		progressDeadlineSeconds?: number;
	};
	status?: Record<string, unknown> & { conditions?: Condition[] };
};

type ContainerState = {
	waiting?: { reason: string; message?: string };
	running?: { startedAt: string };
	terminated?: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string };
};

type ContainerStatus = {
	name: string;
	image: string;
	imageID: string;
	ready: boolean;
	started: boolean;
	restartCount: number;
	state: ContainerState;
	lastState: ContainerState;
	containerID?: string;
};

export type PodObject = WireObject & {
	spec: { containers: Container[]; nodeName?: string } & Record<string, unknown>;
	status: {
		phase: string;
		conditions?: Condition[];
		containerStatuses?: ContainerStatus[];
		hostIP?: string;
		podIP?: string;
		podIPs?: { ip: string }[];
		startTime?: string;
		qosClass?: string;
	};
};

const POD = resourceTypeForKind('Pod');
const DEPLOYMENT = resourceTypeForKind('Deployment');
const EVENT = resourceTypeForKind('Event');
export const NODE_NAME = 'minispod-emulator-node';
const NODE_IP = '172.18.0.2';
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_EVENTS_PER_NAMESPACE = 500;

const now = () => new Date().toISOString();

function safeEncode(bytes: Buffer, length: number): string {
	let out = '';
	for (let i = 0; out.length < length; i++) out += SAFE_ALPHABET[bytes[i % bytes.length] % SAFE_ALPHABET.length];
	return out;
}

/** The pod-template-hash a Deployment's ReplicaSet carries. */
export function templateHash(template: unknown): string {
	return safeEncode(createHash('sha256').update(canonicalJson(template)).digest(), 10);
}

const objectKey = (namespace: string | undefined, name: string) => `${namespace}/${name}`;

type PodRuntime = {
	timers: Set<NodeJS.Timeout>;
	fault?: PodFault;
	/** Container run number; it is the restartCount while the run lasts. */
	run: number;
	sequence: number;
	context: AppContext;
	log: PodLog;
};

function qosClass(containers: Container[]): string {
	const resources = containers.map((container) => container.resources ?? {});
	const none = resources.every((r) => !Object.keys(r.requests ?? {}).length && !Object.keys(r.limits ?? {}).length);
	if (none) return 'BestEffort';
	const guaranteed = resources.every(
		(r) =>
			r.limits?.cpu &&
			r.limits?.memory &&
			(r.requests?.cpu ?? r.limits.cpu) === r.limits.cpu &&
			(r.requests?.memory ?? r.limits.memory) === r.limits.memory
	);
	return guaranteed ? 'Guaranteed' : 'Burstable';
}

function setCondition(conditions: Condition[], type: string, status: Condition['status'], at = now()) {
	const existing = conditions.find((condition) => condition.type === type);
	if (existing) {
		if (existing.status !== status) existing.lastTransitionTime = at;
		existing.status = status;
	} else conditions.push({ type, status, lastProbeTime: null, lastTransitionTime: at });
}

export function isPodReady(pod: PodObject): boolean {
	return pod.status.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

export class Controller {
	private readonly runtimes = new Map<string, PodRuntime>();
	private readonly rollouts = new Map<string, { generation: number; startedAt: number }>();
	private readonly queued = new Set<string>();
	private flushScheduled = false;
	private readonly settledWaiters: (() => void)[] = [];
	private resync?: NodeJS.Timeout;
	private unsubscribe?: () => void;
	private stopped = false;
	private nextPodIp = 10;

	constructor(
		private readonly store: ObjectStore,
		private readonly faults: Faults,
		readonly options: ControllerOptions
	) {}

	start() {
		this.unsubscribe = this.store.subscribe((event) => this.onEvent(event));
		this.resync = setInterval(() => {
			for (const deployment of this.store.list(DEPLOYMENT)) this.queue(deployment.metadata.namespace, deployment.metadata.name);
		}, this.options.resyncMs);
		this.resync.unref();
	}

	stop() {
		this.stopped = true;
		this.unsubscribe?.();
		clearInterval(this.resync);
		for (const runtime of this.runtimes.values()) {
			for (const timer of runtime.timers) clearTimeout(timer);
			runtime.log.close();
		}
		this.runtimes.clear();
		this.resolveSettled();
	}

	/** Resolves once every reconcile queued so far, and every one those queued in turn, has run. */
	settled(): Promise<void> {
		if (!this.flushScheduled) return Promise.resolve();
		return new Promise((resolve) => this.settledWaiters.push(resolve));
	}

	private resolveSettled() {
		for (const resolve of this.settledWaiters.splice(0)) resolve();
	}

	/** The log of a pod that exists, with its current container run. */
	podLog(namespace: string, name: string): { log: PodLog; run: number } | undefined {
		const runtime = this.runtimes.get(objectKey(namespace, name));
		return runtime ? { log: runtime.log, run: runtime.run } : undefined;
	}

	private onEvent(event: StoreEvent) {
		if (this.stopped) return;
		const { object } = event;
		if (event.resourceType === DEPLOYMENT) {
			if (event.type === 'DELETED') this.deleteOwnedPods(object as DeploymentObject);
			else this.queue(object.metadata.namespace, object.metadata.name);
		} else if (event.resourceType === POD) {
			const pod = object as PodObject;
			if (event.type === 'ADDED') this.startPod(pod);
			if (event.type === 'DELETED') this.stopPod(pod);
			const owner = this.ownerDeployment(pod);
			if (owner) this.queue(pod.metadata.namespace, owner);
		}
	}

	private queue(namespace: string | undefined, name: string) {
		this.queued.add(objectKey(namespace, name));
		if (this.flushScheduled) return;
		this.flushScheduled = true;
		setImmediate(() => {
			this.flushScheduled = false;
			const keys = [...this.queued];
			this.queued.clear();
			for (const key of keys) {
				if (this.stopped) return;
				const [namespace, name] = key.split('/');
				this.reconcile(namespace, name);
			}
			// A reconcile that wrote queues another flush; settled waits for that one too.
			if (!this.flushScheduled) this.resolveSettled();
		});
	}

	// -------------------------------------------------------------------------
	// Deployments
	// -------------------------------------------------------------------------

	private ownerDeployment(pod: PodObject): string | undefined {
		const owner = pod.metadata.ownerReferences?.find((ref) => ref.kind === 'ReplicaSet' && ref.controller);
		const hash = pod.metadata.labels?.['pod-template-hash'];
		if (!owner || !hash || !owner.name.endsWith(`-${hash}`)) return undefined;
		return owner.name.slice(0, -(hash.length + 1));
	}

	private ownedPods(deployment: DeploymentObject): PodObject[] {
		const selector = parseLabelSelector(formatLabelSelector(deployment.spec.selector.matchLabels));
		return (this.store.list(POD, deployment.metadata.namespace) as PodObject[]).filter(
			(pod) => this.ownerDeployment(pod) === deployment.metadata.name && matchesLabels(selector, pod.metadata.labels)
		);
	}

	private deleteOwnedPods(deployment: DeploymentObject) {
		this.rollouts.delete(objectKey(deployment.metadata.namespace, deployment.metadata.name));
		for (const pod of this.ownedPods(deployment)) this.store.remove(POD, pod.metadata.namespace, pod.metadata.name);
	}

	private reconcile(namespace: string, name: string) {
		const stored = this.store.get(DEPLOYMENT, namespace, name) as DeploymentObject | undefined;
		if (!stored) return;
		const deployment = clone(stored);
		const desired = deployment.spec.replicas ?? 1;
		const hash = templateHash(deployment.spec.template);
		const replicaSet = `${name}-${hash}`;
		const generation = deployment.metadata.generation ?? 1;
		const key = objectKey(namespace, name);
		let rollout = this.rollouts.get(key);
		if (!rollout || rollout.generation !== generation) {
			rollout = { generation, startedAt: Date.now() };
			this.rollouts.set(key, rollout);
		}

		let pods = this.ownedPods(deployment);
		const old = pods.filter((pod) => pod.metadata.labels?.['pod-template-hash'] !== hash);
		let current = pods.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash);
		const recreate = deployment.spec.strategy?.type === 'Recreate';

		// Recreate: every old pod goes before a new one starts (the volume is ReadWriteOnce);
		// pods vanish at once here, so the new one can start in the same pass.
		// RollingUpdate: old pods go once the new ones are ready.
		const currentReady = current.filter(isPodReady).length;
		if (old.length > 0 && (recreate || desired === 0 || currentReady >= desired)) {
			for (const pod of old) this.store.remove(POD, namespace, pod.metadata.name);
			for (const oldHash of new Set(old.map((pod) => pod.metadata.labels?.['pod-template-hash']))) {
				const count = old.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === oldHash).length;
				this.event(deployment, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${name}-${oldHash} from ${count} to 0`);
			}
		}

		if (current.length < desired) {
			for (let i = current.length; i < desired; i++) this.createPod(deployment, hash);
			this.event(
				deployment,
				'Normal',
				'ScalingReplicaSet',
				`Scaled up replica set ${replicaSet} from ${current.length} to ${desired}`
			);
		} else if (current.length > desired) {
			// Not-ready pods go first, then the newest.
			const victims = [...current]
				.sort(
					(a, b) =>
						Number(isPodReady(a)) - Number(isPodReady(b)) ||
						b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp)
				)
				.slice(0, current.length - desired);
			for (const pod of victims) this.store.remove(POD, namespace, pod.metadata.name);
			this.event(
				deployment,
				'Normal',
				'ScalingReplicaSet',
				`Scaled down replica set ${replicaSet} from ${current.length} to ${desired}`
			);
		}

		pods = this.ownedPods(deployment);
		current = pods.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash);
		const ready = pods.filter(isPodReady).length;
		const available = ready;
		const updated = current.length;
		const complete = updated === desired && pods.length === desired && current.filter(isPodReady).length === desired;
		const deadlineMs = (deployment.spec.progressDeadlineSeconds ?? 600) * 1000;
		const timedOut = !complete && Date.now() - rollout.startedAt > deadlineMs;

		const conditions = clone(stored.status?.conditions ?? []);
		const condition = (type: string, status: Condition['status'], reason: string, message: string) => {
			const at = now();
			const existing = conditions.find((entry) => entry.type === type);
			if (!existing) {
				conditions.push({ type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message });
				return;
			}
			if (existing.status !== status) existing.lastTransitionTime = at;
			if (existing.status !== status || existing.reason !== reason || existing.message !== message) existing.lastUpdateTime = at;
			Object.assign(existing, { status, reason, message });
		};
		condition(
			'Available',
			available >= desired ? 'True' : 'False',
			available >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
			available >= desired ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'
		);
		if (complete)
			condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${replicaSet}" has successfully progressed.`);
		else if (timedOut)
			condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${replicaSet}" has timed out progressing.`);
		else condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${replicaSet}" is progressing.`);

		const status: Record<string, unknown> = {
			observedGeneration: generation,
			...(pods.length ? { replicas: pods.length } : {}),
			...(updated ? { updatedReplicas: updated } : {}),
			...(ready ? { readyReplicas: ready } : {}),
			...(available ? { availableReplicas: available } : {}),
			...(desired - available > 0 ? { unavailableReplicas: desired - available } : {}),
			conditions
		};
		if (canonicalJson(status) !== canonicalJson(stored.status ?? {})) {
			this.store.write(DEPLOYMENT, { ...clone(stored), status });
		}
	}

	// -------------------------------------------------------------------------
	// Pods
	// -------------------------------------------------------------------------

	private createPod(deployment: DeploymentObject, hash: string) {
		const { namespace, name } = deployment.metadata;
		const template = clone(deployment.spec.template);
		const podName = `${name}-${hash}-${safeEncode(randomBytes(5), 5)}`;
		const replicaSetUid = createHash('sha256').update(`${deployment.metadata.uid}/${hash}`).digest('hex');
		const pod: PodObject = {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				name: podName,
				generateName: `${name}-${hash}-`,
				namespace,
				uid: randomUUID(),
				resourceVersion: '',
				creationTimestamp: now(),
				labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
				...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
				ownerReferences: [
					{
						apiVersion: 'apps/v1',
						kind: 'ReplicaSet',
						name: `${name}-${hash}`,
						uid: `${replicaSetUid.slice(0, 8)}-${replicaSetUid.slice(8, 12)}-${replicaSetUid.slice(12, 16)}-${replicaSetUid.slice(16, 20)}-${replicaSetUid.slice(20, 32)}`,
						controller: true,
						blockOwnerDeletion: true
					}
				]
			},
			spec: { ...template.spec, nodeName: NODE_NAME },
			status: { phase: 'Pending' }
		};
		this.store.write(POD, pod);
	}

	private startPod(pod: PodObject) {
		const { namespace, name } = pod.metadata;
		const key = objectKey(namespace, name);
		if (this.runtimes.has(key)) return;
		const [container] = pod.spec.containers;
		const fault = this.faults.podFault({ namespace: namespace!, deployment: this.ownerDeployment(pod), image: container.image });
		const runtime: PodRuntime = {
			timers: new Set(),
			fault,
			run: 0,
			sequence: 0,
			log: new PodLog(),
			context: {
				image: container.image,
				port: container.ports?.[0]?.containerPort ?? 8080,
				healthPath: container.readinessProbe?.httpGet?.path ?? '/',
				podName: name
			}
		};
		this.runtimes.set(key, runtime);

		this.updatePod(pod, (status) => {
			const at = now();
			status.phase = 'Pending';
			status.hostIP = NODE_IP;
			status.qosClass = qosClass(pod.spec.containers);
			status.conditions = [];
			setCondition(status.conditions, 'PodScheduled', 'True', at);
			status.containerStatuses = pod.spec.containers.map((c) => ({
				name: c.name,
				image: c.image,
				imageID: '',
				ready: false,
				started: false,
				restartCount: 0,
				state: { waiting: { reason: 'ContainerCreating' } },
				lastState: {}
			}));
		});
		this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${NODE_NAME}`);
		this.event(pod, 'Normal', 'Pulling', `Pulling image "${container.image}"`);

		const half = this.options.podReadyDelayMs / 2;
		if (fault?.kind === 'imagePull') this.after(runtime, half, () => this.failPull(pod, runtime, 'ErrImagePull'));
		else this.after(runtime, half, () => this.startRun(pod, runtime));
	}

	private stopPod(pod: PodObject) {
		const key = objectKey(pod.metadata.namespace, pod.metadata.name);
		const runtime = this.runtimes.get(key);
		if (!runtime) return;
		for (const timer of runtime.timers) clearTimeout(timer);
		runtime.log.close();
		this.runtimes.delete(key);
	}

	private after(runtime: PodRuntime, ms: number, action: () => void) {
		const timer = setTimeout(() => {
			runtime.timers.delete(timer);
			if (!this.stopped) action();
		}, ms);
		runtime.timers.add(timer);
	}

	private updatePod(pod: PodObject, mutate: (status: PodObject['status'], stored: PodObject) => void): boolean {
		const stored = this.store.get(POD, pod.metadata.namespace, pod.metadata.name) as PodObject | undefined;
		if (!stored) return false;
		const next = clone(stored);
		mutate(next.status, next);
		this.store.write(POD, next);
		return true;
	}

	private failPull(pod: PodObject, runtime: PodRuntime, reason: 'ErrImagePull' | 'ImagePullBackOff') {
		const image = runtime.context.image;
		const message = reason === 'ErrImagePull' ? runtime.fault!.message : `Back-off pulling image "${image}"`;
		this.updatePod(pod, (status) => {
			status.containerStatuses![0].state = { waiting: { reason, message } };
		});
		if (reason === 'ErrImagePull') {
			this.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
			this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
		} else {
			this.event(pod, 'Normal', 'BackOff', message);
			this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
		}
		const next = reason === 'ErrImagePull' ? 'ImagePullBackOff' : 'ErrImagePull';
		this.after(runtime, this.options.podReadyDelayMs, () => this.failPull(pod, runtime, next));
	}

	private startRun(pod: PodObject, runtime: PodRuntime) {
		const container = pod.spec.containers[0];
		const started = this.updatePod(pod, (status) => {
			const at = now();
			status.phase = 'Running';
			status.startTime ??= at;
			if (!status.podIP) {
				const ip = `10.244.0.${this.nextPodIp++ % 250}`;
				status.podIP = ip;
				status.podIPs = [{ ip }];
			}
			setCondition(status.conditions!, 'Initialized', 'True', at);
			setCondition(status.conditions!, 'ContainersReady', 'False', at);
			setCondition(status.conditions!, 'Ready', 'False', at);
			const containerStatus = status.containerStatuses![0];
			containerStatus.state = { running: { startedAt: at } };
			containerStatus.started = true;
			containerStatus.ready = false;
			containerStatus.imageID = `${container.image.split(':')[0]}@sha256:${createHash('sha256').update(container.image).digest('hex')}`;
			containerStatus.containerID = `containerd://${randomBytes(32).toString('hex')}`;
		});
		if (!started) return;
		if (runtime.run === 0) this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${container.image}" in 1.204s`);
		this.event(pod, 'Normal', 'Created', `Created container ${container.name}`);
		this.event(pod, 'Normal', 'Started', `Started container ${container.name}`);
		for (const line of startupLines(runtime.context)) runtime.log.append(runtime.run, line);

		const half = this.options.podReadyDelayMs / 2;
		if (runtime.fault?.kind === 'crashLoop') this.after(runtime, half, () => this.crash(pod, runtime));
		else this.after(runtime, half, () => this.becomeReady(pod, runtime));
	}

	private becomeReady(pod: PodObject, runtime: PodRuntime) {
		const ready = this.updatePod(pod, (status) => {
			const at = now();
			setCondition(status.conditions!, 'ContainersReady', 'True', at);
			setCondition(status.conditions!, 'Ready', 'True', at);
			status.containerStatuses![0].ready = true;
		});
		if (!ready) return;
		for (const line of readyLines(runtime.context)) runtime.log.append(runtime.run, line);
		const tick = () => {
			runtime.sequence += 1;
			runtime.log.append(runtime.run, periodicLine(runtime.context, runtime.sequence));
			this.after(runtime, this.options.logIntervalMs, tick);
		};
		this.after(runtime, this.options.logIntervalMs, tick);
	}

	private crash(pod: PodObject, runtime: PodRuntime) {
		if (runtime.fault?.kind !== 'crashLoop') return;
		const { exitCode, message } = runtime.fault;
		for (const line of crashLines(runtime.context, exitCode, message)) runtime.log.append(runtime.run, line);
		const finishedRun = runtime.run;
		runtime.run += 1;
		const backoffSeconds = Math.min(10 * 2 ** (runtime.run - 1), 300);
		const crashed = this.updatePod(pod, (status, stored) => {
			const at = now();
			const containerStatus = status.containerStatuses![0];
			containerStatus.lastState = {
				terminated: {
					exitCode,
					reason: 'Error',
					message,
					startedAt: containerStatus.state.running?.startedAt,
					finishedAt: at
				}
			};
			containerStatus.state = {
				waiting: {
					reason: 'CrashLoopBackOff',
					message: `back-off ${backoffSeconds}s restarting failed container=${containerStatus.name} pod=${stored.metadata.name}_${stored.metadata.namespace}(${stored.metadata.uid})`
				}
			};
			containerStatus.restartCount = runtime.run;
			containerStatus.ready = false;
			containerStatus.started = false;
			setCondition(status.conditions!, 'ContainersReady', 'False', at);
			setCondition(status.conditions!, 'Ready', 'False', at);
		});
		runtime.log.endRun(finishedRun);
		if (!crashed) return;
		this.event(
			pod,
			'Warning',
			'BackOff',
			`Back-off restarting failed container ${pod.spec.containers[0].name} in pod ${pod.metadata.name}`
		);
		this.after(runtime, this.options.podReadyDelayMs / 2, () => this.startRun(pod, runtime));
	}

	// -------------------------------------------------------------------------
	// Events
	// -------------------------------------------------------------------------

	private event(object: WireObject, type: 'Normal' | 'Warning', reason: string, message: string) {
		const { namespace, name, uid } = object.metadata;
		if (!namespace) return;
		const at = now();
		const component = object.kind === 'Pod' ? 'kubelet' : 'deployment-controller';
		this.store.write(EVENT, {
			apiVersion: 'v1',
			kind: 'Event',
			metadata: {
				name: `${name}.${randomBytes(8).toString('hex')}`,
				namespace,
				uid: randomUUID(),
				resourceVersion: '',
				creationTimestamp: at
			},
			involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name, namespace, uid },
			reason,
			message,
			type,
			count: 1,
			firstTimestamp: at,
			lastTimestamp: at,
			source: { component, ...(component === 'kubelet' ? { host: NODE_NAME } : {}) },
			reportingComponent: component,
			reportingInstance: component === 'kubelet' ? NODE_NAME : ''
		});
		const events = this.store.list(EVENT, namespace);
		if (events.length > MAX_EVENTS_PER_NAMESPACE) {
			const oldest = events
				.sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))
				.slice(0, events.length - MAX_EVENTS_PER_NAMESPACE);
			for (const event of oldest) this.store.remove(EVENT, namespace, event.metadata.name);
		}
	}
}
