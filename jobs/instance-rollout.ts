import { checkRollout } from '$lib/server/provisioning/rollout-check';
import { defineQueue } from '$lib/server/queue';

/**
 * One look at an app's rollout: settles the operation that started it, or sends itself
 * again a moment later. Waiting for readiness never holds a worker.
 */
export const instanceRollout = defineQueue({
	name: 'instance-rollout',
	options: { retryLimit: 10, retryDelay: 1, retryBackoff: true, expireInSeconds: 30 },
	work: { pollingIntervalSeconds: 0.5 },
	concurrency: 16,
	handle: (runtime, job) => checkRollout(runtime, job.data)
});
