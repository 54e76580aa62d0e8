import { cleanUpDomains } from '$lib/server/provisioning/domains';
import { defineQueue } from '$lib/server/queue';

/** Takes removed custom domains off their app's Ingress and deletes their certificate Secrets. */
export const customDomainCleanup = defineQueue({
	name: 'custom-domain-cleanup',
	options: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 45 },
	work: { pollingIntervalSeconds: 1 },
	handle: (runtime, job) => cleanUpDomains(runtime, job.data.instanceId, job.data.hostnames)
});
