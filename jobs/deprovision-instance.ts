import { deprovisionInstance } from '$lib/server/provisioning/deprovision';
import { defineQueue } from '$lib/server/queue';

/** Removes an ended instance's objects, looking again until the cluster says they are gone. */
export const deprovisionInstanceQueue = defineQueue({
	name: 'deprovision-instance',
	options: { retryLimit: 10, retryDelay: 2, retryBackoff: true, expireInSeconds: 45 },
	work: { pollingIntervalSeconds: 0.5 },
	concurrency: 4,
	handle: (runtime, job) => deprovisionInstance(runtime, job.data.instanceId, job.data.since)
});
