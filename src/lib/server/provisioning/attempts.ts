// How a job's failure is judged: what the customer reads, and whether the queue should
// run the job again.
import { ClusterError } from '../kube/errors';
import { instanceReason, renderInstanceReason, type InstanceReason } from '../instances/reasons';

export type Attempt = { final: boolean };

export const reasonOf = (error: unknown) =>
	error instanceof ClusterError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;

/** A failure as the log and notifications read it (English) and as the app's status reason keeps it (a key). */
export type Failure = { message: string; text: InstanceReason };

export const failureOf = (error: unknown): Failure => ({
	message: reasonOf(error),
	text:
		error instanceof ClusterError
			? clusterReason(error)
			: instanceReason('unexpected', { detail: error instanceof Error ? error.message : String(error) })
});

/** A failure MinisPod itself describes, with no error behind it. */
export const ownFailure = (text: InstanceReason): Failure => ({ message: renderInstanceReason(text, 'en') ?? text.key, text });

/**
 * A cluster failure (a ClusterError, or a pod failure the health check saw) as a keyed reason: what the cluster reported, with its own words as the
 * detail; an API refusal (an admission webhook, a quota) as Kubernetes worded it.
 */
export function clusterReason(error: { reason: string; message: string; detail?: string; limitMs?: number }): InstanceReason {
	const detail = error.detail;
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
				return instanceReason('not_ready_in_time', {
					detail,
					seconds: error.limitMs === undefined ? null : Math.round(error.limitMs / 100) / 10
				});
			case 'NetworkError':
				return instanceReason('cluster_unreachable', { detail });
		}
	}
	return instanceReason('cluster_refused', { detail: error.message });
}

/** Transient trouble worth another attempt of the whole job (the cluster client already retried). */
export const isTransient = (error: unknown) => !(error instanceof ClusterError) || error.retryable;
