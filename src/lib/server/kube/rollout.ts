// Waiting for a Deployment to roll out, and why it does not: pod failures in words for the
// customer, rollout state as `kubectl rollout status` decides it, and when to give up.
import type { V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { ClusterError, sleep, type RolloutHold } from './errors';

export type PodFailure = {
	reason:
		| 'ImagePullFailed'
		| 'CrashLoop'
		| 'ConfigError'
		| 'StartFailed'
		| 'Unschedulable'
		| 'PodFailed'
		// The ReplicaSet could not create the pod (an admission refusal: a quota, a policy).
		| 'QuotaExceeded'
		| 'Refused';
	/** A sentence for the customer, with the cluster's own detail. */
	message: string;
	/** The cluster's own words (for a crash, the exit code or OOMKilled). */
	detail: string;
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
			detail: detail || reason,
			restartCount,
			permanent: reason === 'InvalidImageName' || reason === 'ErrImageNeverPull'
		};
	}
	if (reason === 'CrashLoopBackOff' || (status.state?.terminated && status.state.terminated.exitCode !== 0)) {
		const exitCode = `${terminated?.exitCode ?? 'unknown'}`;
		const oom = terminated?.reason === 'OOMKilled';
		const message = oom
			? 'The app keeps running out of memory (OOMKilled); it needs a plan with more memory'
			: `The app keeps crashing (exit code ${exitCode})`;
		return { reason: 'CrashLoop', message, detail: oom ? 'OOMKilled' : exitCode, restartCount, permanent: false };
	}
	if (reason === 'CreateContainerConfigError') {
		return {
			reason: 'ConfigError',
			message: `The app's configuration could not be applied: ${detail || reason}`,
			detail: detail || reason,
			restartCount,
			permanent: false
		};
	}
	if (reason === 'CreateContainerError' || reason === 'RunContainerError' || reason === 'ContainerCannotRun') {
		return {
			reason: 'StartFailed',
			message: `The app's container could not start: ${detail || reason}`,
			detail: detail || reason,
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
		return { reason: 'PodFailed', message: `The app's pod failed: ${detail}`, detail, restartCount: 0, permanent: false };
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
			detail: scheduled.message ?? 'no node fits',
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
	/** What the rollout is waiting for, in words (English, for the log). */
	message: string;
	/** The same as data, for a sentence in the reader's language: which wait, and the pods available. */
	phase: RolloutPhase;
	available: number;
};

export type RolloutPhase = Extract<RolloutHold, { kind: 'rollout' }>['phase'];

/** Rollout status as `kubectl rollout status` decides it. */
export function rolloutState(deployment: V1Deployment): RolloutState {
	const desired = deployment.spec?.replicas ?? 1;
	const status = deployment.status ?? {};
	const updated = status.updatedReplicas ?? 0;
	const total = status.replicas ?? 0;
	const available = status.availableReplicas ?? 0;
	const ready = status.readyReplicas ?? 0;
	const state = (phase: RolloutPhase, message: string) => ({
		done: phase === 'done',
		desired,
		ready,
		updated,
		available,
		phase,
		message
	});
	if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0)) {
		return state('observing', 'Waiting for the cluster to pick up the change');
	}
	if (updated < desired) return state('creating', `Starting the app (${updated} of ${desired} pods created)`);
	if (total > updated) return state('replacing', 'Waiting for the previous version to stop');
	if (available < updated)
		return state('becoming-ready', `Waiting for the app to become ready (${available} of ${desired} ready)`);
	return state('done', desired === 0 ? 'Stopped' : 'Ready');
}

/** Where the first pod stands, as data and in English (for the log and the error's message). */
function podProgress(pod: V1Pod | undefined): { hold: RolloutHold; words: string } | undefined {
	if (!pod) return undefined;
	const name = pod.metadata?.name ?? '';
	const container = pod.status?.containerStatuses?.[0];
	const waiting = container?.state?.waiting?.reason;
	if (waiting) return { hold: { kind: 'pod-waiting', pod: name, reason: waiting }, words: `pod ${name} is waiting: ${waiting}` };
	if (container?.state?.running && !container.ready) {
		return { hold: { kind: 'pod-not-ready', pod: name }, words: `pod ${name} is running but not ready yet` };
	}
	if (pod.status?.phase === 'Pending') return { hold: { kind: 'pod-pending', pod: name }, words: `pod ${name} is pending` };
	return undefined;
}

/** The latest pod failure, as the tracking keeps it. */
const failureHold = (failure: Pick<PodFailure, 'reason' | 'message' | 'detail'>): RolloutHold => ({
	kind: 'failure',
	reason: failure.reason,
	message: failure.message,
	detail: failure.detail
});

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

/** What waiting for a rollout reads from the cluster. */
export type RolloutSource = {
	/** The Deployment as it is now. */
	deployment(signal?: AbortSignal): Promise<V1Deployment>;
	/** Its pods, newest first, terminating ones left out. */
	pods(deployment: V1Deployment): Promise<V1Pod[]>;
};

const podName = (pod: V1Pod) => pod.metadata?.name ?? '';
const isReady = (pod: V1Pod) => Boolean(pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

/** What a rollout remembers between looks: since when each failure has lasted (serialisable). */
export type RolloutTracking = {
	/** Failure key (pod and reason) -> first seen, epoch ms. */
	failingSince: Record<string, number>;
	/** The latest failure seen, to explain a timeout: in English, and as data for the reader's language. */
	lastProblem?: string;
	lastFailure?: RolloutHold;
};

export type RolloutLimits = {
	/** A pod failure (image pull, config, a refused pod) must persist this long before it is final. */
	failureGraceMs: number;
	/** A crash loop is final after this many restarts. */
	crashRestartLimit: number;
};

export type RolloutJudgement =
	| { outcome: 'done'; state: RolloutState; pods: string[] }
	| { outcome: 'waiting'; state: RolloutState; progress: RolloutProgress }
	| { outcome: 'failed'; error: ClusterError };

/**
 * The ReplicaSet could not create the pod: admission refused it (a quota, Pod Security, a
 * limit range). The Deployment reports it as a ReplicaFailure condition with the refusal.
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment
 */
function replicaFailure(deployment: V1Deployment): PodFailure | undefined {
	const condition = deployment.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
	if (!condition) return undefined;
	const detail = condition.message ?? condition.reason ?? 'no reason given';
	return {
		reason: /exceeded quota|failed quota/.test(detail) ? 'QuotaExceeded' : 'Refused',
		message: `The cluster refused to start the app: ${detail}`,
		detail,
		restartCount: 0,
		permanent: false
	};
}

/**
 * One look at a rollout: done, still waiting, or failed for good. Failures are final when
 * permanent, after too many crashes, or once they have lasted past the grace; the tracking
 * returned carries over to the next look (a job may look again minutes later).
 */
export function judgeRollout(
	deployment: V1Deployment,
	pods: V1Pod[],
	tracking: RolloutTracking,
	now: number,
	limits: RolloutLimits
): { judgement: RolloutJudgement; tracking: RolloutTracking } {
	const state = rolloutState(deployment);
	if (state.done) return { judgement: { outcome: 'done', state, pods: pods.filter(isReady).map(podName) }, tracking };
	const failingSince: Record<string, number> = {};
	let { lastProblem, lastFailure } = tracking;
	// A failed pod only speaks for the app while no replacement is coming up.
	const live = pods.filter((pod) => pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded');
	const failures: [string, PodFailure][] = (live.length > 0 ? live : pods).flatMap((pod) => {
		const failure = podFailureReason(pod);
		return failure ? [[`${pod.metadata?.name}:${failure.reason}`, failure] as [string, PodFailure]] : [];
	});
	const refused = replicaFailure(deployment);
	if (refused) failures.push([`replicaset:${refused.reason}`, refused]);
	for (const [key, failure] of failures) {
		const since = tracking.failingSince[key] ?? now;
		failingSince[key] = since;
		lastProblem = failure.message;
		lastFailure = failureHold(failure);
		const final =
			failure.permanent ||
			(failure.reason === 'CrashLoop' && failure.restartCount >= limits.crashRestartLimit) ||
			now - since >= limits.failureGraceMs;
		if (final) {
			return {
				judgement: {
					outcome: 'failed',
					error: new ClusterError(failure.message, { reason: failure.reason, detail: failure.detail })
				},
				tracking: { failingSince, lastProblem, lastFailure }
			};
		}
	}
	const progressing = deployment.status?.conditions?.find((condition) => condition.type === 'Progressing');
	if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
		const error = new ClusterError(`The app did not become ready in time${lastProblem ? `: ${lastProblem}` : ''}`, {
			reason: 'ProgressDeadlineExceeded',
			// Without a pod failure to name, the Deployment's condition in Kubernetes's own words.
			detail: lastProblem ?? progressing.message ?? progressing.reason,
			hold: lastFailure
		});
		return { judgement: { outcome: 'failed', error }, tracking: { failingSince, lastProblem, lastFailure } };
	}
	return {
		judgement: { outcome: 'waiting', state, progress: { ...state, pods: pods.map(podName) } },
		tracking: { failingSince, lastProblem, lastFailure }
	};
}

/** The failure for a rollout that ran out of time, saying what it was waiting for. */
export function rolloutTimeout(timeoutMs: number, tracking: RolloutTracking, pods: V1Pod[], state: RolloutState): ClusterError {
	const progress = podProgress(pods[0]);
	const detail = tracking.lastProblem ?? progress?.words ?? state.message.toLowerCase();
	// A tracking from before lastFailure existed has only the English: no hold, the detail as it is.
	const hold: RolloutHold | undefined = tracking.lastProblem
		? tracking.lastFailure
		: (progress?.hold ?? {
				kind: 'rollout',
				phase: state.phase,
				updated: state.updated,
				available: state.available,
				desired: state.desired
			});
	return new ClusterError(`The app did not become ready within ${describeDuration(timeoutMs)} (${detail})`, {
		reason: 'Timeout',
		detail,
		limitMs: timeoutMs,
		hold
	});
}

/** The loop behind `Cluster.waitForRollout`: looks at `source` until the rollout is done, or throws why not. */
export async function pollRollout(source: RolloutSource, options: WaitForRolloutOptions = {}): Promise<RolloutResult> {
	const timeoutMs = options.timeoutMs ?? 5 * 60_000;
	const pollMs = options.pollMs ?? 1000;
	const { signal } = options;
	const deadline = Date.now() + timeoutMs;
	const limits = { failureGraceMs: options.failureGraceMs ?? 20_000, crashRestartLimit: options.crashRestartLimit ?? 3 };
	let tracking: RolloutTracking = { failingSince: {} };
	let lastReported = '';

	for (;;) {
		signal?.throwIfAborted();
		const deployment = await source.deployment(signal);
		const pods = await source.pods(deployment);
		const now = Date.now();
		const look = judgeRollout(deployment, pods, tracking, now, limits);
		tracking = look.tracking;
		const { judgement } = look;
		if (judgement.outcome === 'failed') throw judgement.error;
		const state = judgement.state;
		const progress: RolloutProgress = { ...state, pods: pods.map(podName) };
		const key = JSON.stringify([state.message, progress.pods, state.ready]);
		if (key !== lastReported) {
			lastReported = key;
			options.onProgress?.(progress);
		}
		if (judgement.outcome === 'done') return { ...state, pods: judgement.pods };
		if (now >= deadline) throw rolloutTimeout(timeoutMs, tracking, pods, state);
		await sleep(Math.min(pollMs, Math.max(deadline - now, 1)), signal);
	}
}
