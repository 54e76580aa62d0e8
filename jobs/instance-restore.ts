import { runRestore } from '$lib/server/provisioning/restore';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/** Works through a restore from a backup (or its undo), each step idempotent; a retry resumes where it stopped. */
export const instanceRestore = defineQueue({
	name: 'instance-restore',
	options: { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 120 },
	work: { pollingIntervalSeconds: 0.5 },
	concurrency: 2,
	handle: (runtime, job) => runRestore(runtime, job.data.restoreId, { final: isFinalAttempt(job) })
});
