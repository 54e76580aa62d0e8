import { runInstanceAction } from '$lib/server/provisioning/actions';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/** Stops, starts, restarts, suspends or resumes an app and waits until the cluster is there. */
export const instanceAction = defineQueue({
	name: 'instance-action',
	options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 4,
	handle: (runtime, job) => runInstanceAction(runtime, job.data.instanceId, job.data.action, { final: isFinalAttempt(job) })
});
