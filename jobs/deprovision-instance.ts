import { deprovisionInstance } from '$lib/server/provisioning/deprovision';
import { defineQueue } from '$lib/server/queue';

/** Removes an ended instance's objects (and its namespace when it was the user's last app). */
export const deprovisionInstanceQueue = defineQueue({
	name: 'deprovision-instance',
	options: { retryLimit: 10, retryDelay: 15, retryBackoff: true, expireInSeconds: 10 * 60 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 2,
	handle: (runtime, job) => deprovisionInstance(runtime, job.data.instanceId)
});
