import { renewalSweep } from '$lib/server/subscriptions/billing-upkeep';
import { defineQueue } from '$lib/server/queue';

/** Extra sweeps sent with each scheduled one, so other worker processes share a large sweep. */
const HELPERS = 2;

/**
 * Every five minutes: charge due renewals (PAST_DUE when short) and suspend ended grace
 * periods. The sweep takes rows with SKIP LOCKED, so the helpers work beside it on other rows.
 */
export const renewalSweepQueue = defineQueue({
	name: 'renewal-sweep',
	options: { retryLimit: 3, retryBackoff: true, expireInSeconds: 30 * 60 },
	schedule: { cron: '*/5 * * * *', data: {} },
	work: { pollingIntervalSeconds: 2 },
	async handle(runtime, job) {
		if (!job.data.helper) {
			await runtime.boss.insert(Array.from({ length: HELPERS }, () => ({ name: 'renewal-sweep', data: { helper: true } })));
		}
		const summary = await renewalSweep(runtime);
		if (summary.renewed || summary.pastDue || summary.suspended || summary.failed) runtime.log.info(summary, 'renewal sweep');
		return summary;
	}
});
