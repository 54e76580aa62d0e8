import { applyUpgrade } from '$lib/server/provisioning/upgrade';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/** Resizes an app to its subscription's new plan; reports success or rolls the upgrade back. */
export const updateInstanceResources = defineQueue({
	name: 'update-instance-resources',
	options: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 15 * 60 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 2,
	handle: (runtime, job) => applyUpgrade(runtime, job.data, { final: isFinalAttempt(job) })
});
