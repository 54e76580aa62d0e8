import { takeBackup } from '$lib/server/provisioning/backups';
import { defineQueue } from '$lib/server/queue';

/** One look at a backup's snapshots; it sends itself again until they are ready or one failed. */
export const backupTake = defineQueue({
	name: 'backup-take',
	options: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 4,
	handle: (runtime, job) => takeBackup(runtime, job.data.backupId)
});
