import { dailyBillingReminders } from '$lib/server/subscriptions/billing-upkeep';
import { defineQueue } from '$lib/server/queue';

/** Daily at 09:00 WIB: retry past-due renewals, remind in grace, announce renewals, warn of low credit. */
export const billingReminders = defineQueue({
	name: 'billing-reminders',
	options: { retryLimit: 3, retryBackoff: true, expireInSeconds: 60 * 60 },
	schedule: { cron: '0 2 * * *' },
	handle: (runtime) => dailyBillingReminders(runtime)
});
