import { sweepBackups } from '$lib/server/provisioning/backups';
import { defineQueue } from '$lib/server/queue';

/** Every minute: scheduled backups that plans make due (by the billing clock), expired backups deleted. */
export const backupSweep = defineQueue({
	name: 'backup-sweep',
	options: { retryLimit: 2, expireInSeconds: 300 },
	schedule: { cron: '* * * * *' },
	handle: (runtime) => sweepBackups(runtime)
});
