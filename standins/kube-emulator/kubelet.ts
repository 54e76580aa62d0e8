// What the kubelet would do with the pods on its node, in miniature: pull the image, run
// the container (Pending -> Running -> Ready after a delay), crash-loop or fail to pull when
// a fault says so, write the app's log, and on deletion give the pod its grace period
// (it stays, Terminating, until the container has stopped).
// https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
import { createHash, randomBytes } from 'node:crypto';
import type { Faults, PodFault } from './faults';
import { PodLog, crashLines, periodicLine, readyLines, startupLines, type AppContext } from './logs';
import { clone } from './patch';
import { resourceTypeForKind } from './resources';
import type { ObjectStore, WireObject } from './store';

export type KubeletOptions = {
	/** From pod creation to Ready (half of it to Running). */
	podReadyDelayMs: number;
	/** Between the periodic lines a running app logs. */
	logIntervalMs: number;
	/** How long a deleted pod stays Terminating before it is gone (0: at once). */
	podTerminationMs: number;
};

type Labels = Record<string, string>;
export type Condition = {
	type: string;
	status: 'True' | 'False' | 'Unknown';
	reason?: string;
	message?: string;
	lastTransitionTime?: string;
	lastUpdateTime?: string;
	lastProbeTime?: string | null;
};

export type Container = {
	name: string;
	image: string;
	ports?: { containerPort: number; name?: string }[];
	readinessProbe?: { httpGet?: { path?: string } };
	resources?: { requests?: Labels; limits?: Labels };
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
	spec: { containers: Container[]; initContainers?: Container[]; nodeName?: string } & Record<string, unknown>;
	status: {
		phase: string;
		conditions?: Condition[];
		initContainerStatuses?: ContainerStatus[];
		containerStatuses?: ContainerStatus[];
		hostIP?: string;
		podIP?: string;
		podIPs?: { ip: string }[];
		startTime?: string;
		qosClass?: string;
	};
};

const POD = resourceTypeForKind('Pod');
const EVENT = resourceTypeForKind('Event');
export const NODE_NAME = 'minispod-emulator-node';
const NODE_IP = '172.18.0.2';
const MAX_EVENTS_PER_NAMESPACE = 500;

const now = () => new Date().toISOString();
export const objectKey = (namespace: string | undefined, name: string) => `${namespace}/${name}`;

const waitingStatus = (container: Container, reason: string): ContainerStatus => ({
	name: container.name,
	image: container.image,
	imageID: '',
	ready: false,
	started: false,
	restartCount: 0,
	state: { waiting: { reason } },
	lastState: {}
});

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

/** An Event about `object`, as kubelet and controllers record them (kept bounded per namespace). */
export function recordEvent(store: ObjectStore, object: WireObject, type: 'Normal' | 'Warning', reason: string, message: string) {
	const { namespace, name, uid } = object.metadata;
	if (!namespace) return;
	const at = now();
	const component = object.kind === 'Pod' ? 'kubelet' : 'deployment-controller';
	store.write(EVENT, {
		apiVersion: 'v1',
		kind: 'Event',
		metadata: {
			name: `${name}.${randomBytes(8).toString('hex')}`,
			namespace,
			uid: randomBytes(16).toString('hex'),
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
	const events = store.list(EVENT, namespace);
	if (events.length > MAX_EVENTS_PER_NAMESPACE) {
		const oldest = events
			.sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))
			.slice(0, events.length - MAX_EVENTS_PER_NAMESPACE);
		for (const event of oldest) store.remove(EVENT, namespace, event.metadata.name);
	}
}

export class Kubelet {
	private readonly runtimes = new Map<string, PodRuntime>();
	private readonly terminations = new Map<string, NodeJS.Timeout>();
	private stopped = false;
	private nextPodIp = 10;

	constructor(
		private readonly store: ObjectStore,
		private readonly faults: Faults,
		readonly options: KubeletOptions,
		/** The Deployment that owns a pod (faults match on it). */
		private readonly ownerOf: (pod: PodObject) => string | undefined
	) {}

	/** The log of a pod that exists, with its current container run. */
	podLog(namespace: string, name: string): { log: PodLog; run: number } | undefined {
		const runtime = this.runtimes.get(objectKey(namespace, name));
		return runtime ? { log: runtime.log, run: runtime.run } : undefined;
	}

	/** Whether the pod's container has started and not crashed (what metrics-server can measure). */
	isRunning(pod: PodObject): boolean {
		return pod.status.containerStatuses?.[0]?.state.running !== undefined;
	}

	stop() {
		this.stopped = true;
		for (const runtime of this.runtimes.values()) {
			for (const timer of runtime.timers) clearTimeout(timer);
			runtime.log.close();
		}
		this.runtimes.clear();
		for (const timer of this.terminations.values()) clearTimeout(timer);
		this.terminations.clear();
	}

	/**
	 * Deletes a pod gracefully: it turns Terminating (deletionTimestamp set, not ready) and
	 * is gone once its grace period is over. Deleting a terminating pod again changes nothing.
	 */
	terminatePod(pod: WireObject) {
		const key = objectKey(pod.metadata.namespace, pod.metadata.name);
		const stored = this.store.get(POD, pod.metadata.namespace, pod.metadata.name) as PodObject | undefined;
		if (!stored || stored.metadata.deletionTimestamp) return;
		if (this.options.podTerminationMs <= 0) {
			this.store.remove(POD, stored.metadata.namespace, stored.metadata.name);
			return;
		}
		const next = clone(stored);
		next.metadata.deletionTimestamp = now();
		next.metadata.deletionGracePeriodSeconds = Math.ceil(this.options.podTerminationMs / 1000);
		for (const status of next.status.containerStatuses ?? []) status.ready = false;
		setCondition((next.status.conditions ??= []), 'Ready', 'False');
		setCondition(next.status.conditions, 'ContainersReady', 'False');
		this.store.write(POD, next);
		this.recordEvent(next, 'Normal', 'Killing', `Stopping container ${next.spec.containers[0].name}`);
		const timer = setTimeout(() => {
			this.terminations.delete(key);
			if (!this.stopped) this.store.remove(POD, next.metadata.namespace, next.metadata.name);
		}, this.options.podTerminationMs);
		this.terminations.set(key, timer);
	}

	startPod(pod: PodObject) {
		const { namespace, name } = pod.metadata;
		const key = objectKey(namespace, name);
		if (this.runtimes.has(key)) return;
		const [container] = pod.spec.containers;
		const fault = this.faults.podFault({ namespace: namespace!, deployment: this.ownerOf(pod), image: container.image });
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
			// Init containers run first, one after the other; the app's containers wait meanwhile.
			// https://kubernetes.io/docs/concepts/workloads/pods/init-containers/
			const init = pod.spec.initContainers ?? [];
			if (init.length) {
				setCondition(status.conditions, 'Initialized', 'False', at);
				status.initContainerStatuses = init.map((c) => waitingStatus(c, 'PodInitializing'));
			}
			status.containerStatuses = pod.spec.containers.map((c) =>
				waitingStatus(c, init.length ? 'PodInitializing' : 'ContainerCreating')
			);
		});
		this.recordEvent(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${NODE_NAME}`);
		this.recordEvent(pod, 'Normal', 'Pulling', `Pulling image "${container.image}"`);

		const half = this.options.podReadyDelayMs / 2;
		if (fault?.kind === 'imagePull') this.after(runtime, half, () => this.failPull(pod, runtime, 'ErrImagePull'));
		else this.after(runtime, half, () => this.startRun(pod, runtime));
	}

	/** The pod is gone from the store: its container and log end. */
	stopPod(pod: WireObject) {
		const key = objectKey(pod.metadata.namespace, pod.metadata.name);
		const termination = this.terminations.get(key);
		if (termination) clearTimeout(termination);
		this.terminations.delete(key);
		const runtime = this.runtimes.get(key);
		if (!runtime) return;
		for (const timer of runtime.timers) clearTimeout(timer);
		runtime.log.close();
		this.runtimes.delete(key);
	}

	private recordEvent(object: WireObject, type: 'Normal' | 'Warning', reason: string, message: string) {
		recordEvent(this.store, object, type, reason, message);
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
		// A terminating pod's container is stopping: nothing new happens to it.
		if (!stored || stored.metadata.deletionTimestamp) return false;
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
			this.recordEvent(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
			this.recordEvent(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
		} else {
			this.recordEvent(pod, 'Normal', 'BackOff', message);
			this.recordEvent(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff');
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
			// The emulator's init containers always succeed (they cannot reach anything to wait for).
			for (const initStatus of status.initContainerStatuses ?? []) {
				initStatus.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } };
				initStatus.ready = true;
			}
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
		if (runtime.run === 0) this.recordEvent(pod, 'Normal', 'Pulled', `Successfully pulled image "${container.image}" in 1.204s`);
		this.recordEvent(pod, 'Normal', 'Created', `Created container ${container.name}`);
		this.recordEvent(pod, 'Normal', 'Started', `Started container ${container.name}`);
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
		this.recordEvent(
			pod,
			'Warning',
			'BackOff',
			`Back-off restarting failed container ${pod.spec.containers[0].name} in pod ${pod.metadata.name}`
		);
		this.after(runtime, this.options.podReadyDelayMs / 2, () => this.startRun(pod, runtime));
	}
}
