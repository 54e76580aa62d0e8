import { defineQueue } from '$lib/server/queue';
import { assignReceiptNumbers } from '$lib/server/receipts/numbering';

/**
 * Gives every completed top-up and charge its receipt number, shortly after it committed.
 * Every run (and every receipt asked for before it) takes the same advisory lock, so there
 * is one assigner at a time and each year's numbers stay without a gap.
 */
export const receiptNumbers = defineQueue({
	name: 'receipt-numbers',
	options: { retryLimit: 2, expireInSeconds: 300 },
	schedule: { cron: '* * * * *' },
	async handle(runtime) {
		let issued = 0;
		for (let batch = await assignReceiptNumbers(runtime.db); batch > 0; batch = await assignReceiptNumbers(runtime.db)) {
			issued += batch;
		}
		if (issued > 0) runtime.log.info({ issued }, 'receipts numbered');
		return { issued };
	}
});
