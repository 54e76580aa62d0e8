import { deletionUpkeep } from '$lib/server/subscriptions/billing-upkeep';
import { defineQueue } from '$lib/server/queue';

/** Hourly: warn before, then delete, apps suspended for non-payment past the retention days. */
export const subscriptionDeletion = defineQueue({
	name: 'subscription-deletion',
	options: { retryLimit: 3, retryBackoff: true, expireInSeconds: 30 * 60 },
	schedule: { cron: '20 * * * *' },
	handle: (runtime) => deletionUpkeep(runtime)
});
