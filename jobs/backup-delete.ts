import { deleteDeletedBackup } from '$lib/server/provisioning/backups';
import { defineQueue } from '$lib/server/queue';

/** Deletes the snapshots of a backup its owner deleted. */
export const backupDelete = defineQueue({
	name: 'backup-delete',
	options: { retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 45 },
	work: { pollingIntervalSeconds: 1 },
	handle: (runtime, job) => deleteDeletedBackup(runtime, job.data.backupId)
});
