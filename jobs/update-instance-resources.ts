import { applyUpgrade } from '$lib/server/provisioning/upgrade';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/** Resizes an app to its subscription's new plan; the rollout job reports success or rolls back. */
export const updateInstanceResources = defineQueue({
	name: 'update-instance-resources',
	options: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 45 },
	work: { pollingIntervalSeconds: 0.5 },
	concurrency: 2,
	handle: (runtime, job) => applyUpgrade(runtime, job.data, { final: isFinalAttempt(job) })
});
