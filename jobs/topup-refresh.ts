import { defineQueue } from '$lib/server/queue';
import { sweepPendingTopUps } from '$lib/server/wallet/topup-upkeep';

/**
 * Every five minutes: asks the gateway about top-ups left pending (a lost notification must
 * not leave a payment uncredited) and expires the ones abandoned for too long.
 */
export const topUpRefresh = defineQueue({
	name: 'topup-refresh',
	options: { retryLimit: 1, expireInSeconds: 600 },
	schedule: { cron: '*/5 * * * *' },
	async handle(runtime) {
		const summary = await sweepPendingTopUps(runtime);
		if (summary.checked > 0) runtime.log.info(summary, 'pending top-ups checked');
		return summary;
	}
});
