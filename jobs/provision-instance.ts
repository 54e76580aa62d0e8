import { provisionInstance } from '$lib/server/provisioning/provision';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/** Creates an instance's objects on the cluster and waits for the app to be ready. */
export const provisionInstanceQueue = defineQueue({
	name: 'provision-instance',
	// Waiting for a rollout takes minutes; a crashed worker's job is picked up again after expiry.
	options: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 15 * 60 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 4,
	handle: (runtime, job) => provisionInstance(runtime, job.data.instanceId, { final: isFinalAttempt(job) })
});
