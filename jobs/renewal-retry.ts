import { retryDueRenewals } from '$lib/server/subscriptions/renewal';
import { defineQueue } from '$lib/server/queue';

/** Credit reached a customer's wallet: charge their due renewals now, oldest first. */
export const renewalRetry = defineQueue({
	name: 'renewal-retry',
	options: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 2,
	handle: (runtime, job) => retryDueRenewals(runtime, job.data.userId)
});
