import { runInstanceAction } from '$lib/server/provisioning/actions';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/** Stops, starts, restarts, suspends, resumes or repairs an app; the rollout job waits for it. */
export const instanceAction = defineQueue({
	name: 'instance-action',
	options: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 45 },
	work: { pollingIntervalSeconds: 0.5 },
	concurrency: 4,
	handle: (runtime, job) => runInstanceAction(runtime, job.data.instanceId, job.data.action, { final: isFinalAttempt(job) })
});
