import { snapshotPlanSlots } from '$lib/server/admin/analytics/snapshot';
import { defineQueue } from '$lib/server/queue';

/** At 23:55 WIB (16:55 UTC) every day: record each plan's slots for the utilisation report. */
export const slotSnapshot = defineQueue({
	name: 'slot-snapshot',
	options: { retryLimit: 3, retryDelay: 60, expireInSeconds: 300 },
	schedule: { cron: '55 16 * * *' },
	async handle(runtime) {
		const result = await snapshotPlanSlots(runtime.db);
		runtime.log.info(result, 'plan slots recorded');
		return result;
	}
});
