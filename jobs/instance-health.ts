import { refreshInstanceHealth } from '$lib/server/provisioning/health';
import { defineQueue } from '$lib/server/queue';

/**
 * Every minute: refresh pod, health and last check of running apps, mark failing or missing
 * ones, and sample their CPU and memory use.
 */
export const instanceHealth = defineQueue({
	name: 'instance-health',
	options: { retryLimit: 1, expireInSeconds: 300 },
	schedule: { cron: '* * * * *' },
	handle: (runtime) => refreshInstanceHealth(runtime)
});
