import { provisionInstance } from '$lib/server/provisioning/provision';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/**
 * Creates an instance's objects on the cluster; the rollout job waits for the app. Short,
 * so a crashed worker's job expires and is picked up again within about a minute.
 */
export const provisionInstanceQueue = defineQueue({
	name: 'provision-instance',
	options: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 45 },
	work: { pollingIntervalSeconds: 0.5 },
	concurrency: 16,
	handle: (runtime, job) =>
		provisionInstance(runtime, job.data.instanceId, { final: isFinalAttempt(job) }, { deadline: job.data.deadline })
});
