import { checkCustomDomain } from '$lib/server/provisioning/domains';
import { defineQueue } from '$lib/server/queue';

/** One look at a custom domain's DNS records or certificate; it sends itself again until settled. */
export const customDomainCheck = defineQueue({
	name: 'custom-domain-check',
	options: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 45 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 4,
	handle: (runtime, job) => checkCustomDomain(runtime, job.data.domainId)
});
