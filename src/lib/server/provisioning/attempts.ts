// How a job's failure is judged: what the customer reads, and whether the queue should
// run the job again.
import { ClusterError, type RolloutHold } from '../kube/errors';
import type { RolloutState } from '../kube/rollout';
import { instanceReason, renderInstanceReason, type InstanceReason } from '../instances/reasons';

export type Attempt = { final: boolean };

export const reasonOf = (error: unknown) =>
	error instanceof ClusterError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;

/** A failure as the log and notifications read it (English) and as the app's status reason keeps it (a key). */
export type Failure = { message: string; text: InstanceReason };

/** A failure MinisPod itself describes, with no error behind it. */
export const ownFailure = (text: InstanceReason): Failure => ({ message: renderInstanceReason(text, 'en') ?? text.key, text });

/**
 * A failure MinisPod describes in its own words (the app is gone, a backup cannot be used):
 * told as its key in the reader's language, and final (running the job again cannot help).
 */
export class KnownFailure extends Error {
	constructor(readonly text: InstanceReason) {
		super(renderInstanceReason(text, 'en') ?? text.key);
	}
}

export const failureOf = (error: unknown): Failure => {
	if (error instanceof KnownFailure) return ownFailure(error.text);
	return {
		message: reasonOf(error),
		text:
			error instanceof ClusterError
				? clusterReason(error)
				: instanceReason('unexpected', { detail: error instanceof Error ? error.message : String(error) })
	};
};

/**
 * A cluster failure (a ClusterError, or a pod failure the health check saw) as a keyed reason: what the cluster reported, with its own words as the
 * detail; an API refusal (an admission webhook, a quota) as Kubernetes worded it.
 */
export function clusterReason(error: {
	reason: string;
	message: string;
	detail?: string;
	limitMs?: number;
	hold?: RolloutHold;
	status?: number;
	wordless?: boolean;
}): InstanceReason {
	const detail = error.detail;
	const seconds = error.limitMs === undefined ? null : Math.round(error.limitMs / 100) / 10;
	// What held a rollout up, in MinisPod's words in the reader's language (the cluster's own inside).
	if (error.hold && (error.reason === 'Timeout' || error.reason === 'ProgressDeadlineExceeded')) {
		return instanceReason('not_ready_because', { seconds, cause: holdReason(error.hold) });
	}
	if (detail !== undefined) {
		switch (error.reason) {
			case 'ImagePullFailed':
				return instanceReason('image_pull_failed', { detail });
			case 'CrashLoop':
				return detail === 'OOMKilled' ? instanceReason('out_of_memory', {}) : instanceReason('crashing', { exitCode: detail });
			case 'ConfigError':
				return instanceReason('config_failed', { detail });
			case 'StartFailed':
				return instanceReason('container_start_failed', { detail });
			case 'Unschedulable':
				return instanceReason('unschedulable', { detail });
			case 'PodFailed':
				return instanceReason('pod_failed', { detail });
			case 'QuotaExceeded':
			case 'Refused':
				return instanceReason('replica_refused', { detail });
			case 'Timeout':
			case 'ProgressDeadlineExceeded':
				return instanceReason('not_ready_in_time', { detail, seconds });
			case 'NetworkError':
				return instanceReason('cluster_unreachable', { detail });
			case 'Terminating':
			case 'NamespaceTerminating':
				return instanceReason('object_deleting', { object: detail });
		}
	}
	// 429 and 5xx are trouble on the API server's side (overloaded, etcd or a webhook failing),
	// not a refusal of what was asked: the same request may succeed later
	// (https://kubernetes.io/docs/reference/using-api/api-concepts/, and the Status reasons
	// TooManyRequests, InternalError, ServiceUnavailable, Timeout).
	if (isServerTrouble(error.status)) {
		return instanceReason('cluster_error', { status: error.status!, detail: error.wordless ? null : error.message });
	}
	// An answer without words of its own is told by its HTTP status in the reader's language.
	if (error.wordless && error.status) return instanceReason('cluster_http_status', { status: error.status });
	return instanceReason('cluster_refused', { detail: error.message });
}

/** An HTTP status by which the API server says it is overloaded or failing (429, 5xx). */
export const isServerTrouble = (status: number | undefined) => status !== undefined && (status === 429 || status >= 500);

/**
 * Transient trouble worth another attempt of the whole job (the cluster client already
 * retried): the API server overloaded or failing (429 with Retry-After, 500, 503, 504) or out
 * of reach. A real refusal (403 Forbidden, 422 Invalid) comes again on every attempt.
 */
export const isTransient = (error: unknown) =>
	error instanceof ClusterError ? error.retryable : !(error instanceof KnownFailure);

/** What held a rollout up, as a reason. */
function holdReason(hold: RolloutHold): InstanceReason {
	switch (hold.kind) {
		case 'failure':
			return clusterReason(hold);
		case 'pod-waiting':
			return instanceReason('pod_waiting', { pod: hold.pod, reason: hold.reason });
		case 'pod-not-ready':
			return instanceReason('pod_not_ready', { pod: hold.pod });
		case 'pod-pending':
			return instanceReason('pod_pending', { pod: hold.pod });
		case 'rollout':
			return rolloutWait(hold);
	}
}

/** What a rollout waits for, as the set-up step says it in the viewer's language. */
export function rolloutWait(state: Pick<RolloutState, 'phase' | 'updated' | 'available' | 'desired'>): InstanceReason {
	switch (state.phase) {
		case 'observing':
			return instanceReason('rollout_observing', {});
		case 'creating':
			return instanceReason('rollout_creating', { created: state.updated, desired: state.desired });
		case 'replacing':
			return instanceReason('rollout_replacing', {});
		case 'becoming-ready':
			return instanceReason('rollout_becoming_ready', { ready: state.available, desired: state.desired });
		case 'done':
			return instanceReason('step_ready', {});
	}
}
