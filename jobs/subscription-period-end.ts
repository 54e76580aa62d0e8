import { expireEndedPeriods } from '$lib/server/subscriptions/cancel';
import { defineQueue } from '$lib/server/queue';

/** Every five minutes: end subscriptions cancelled at period end whose period is over. */
export const subscriptionPeriodEnd = defineQueue({
	name: 'subscription-period-end',
	options: { retryLimit: 3, retryBackoff: true, expireInSeconds: 600 },
	schedule: { cron: '*/5 * * * *' },
	handle: (runtime) => expireEndedPeriods(runtime)
});
