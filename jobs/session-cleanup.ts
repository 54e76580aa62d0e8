import { deleteExpiredSessions } from '$lib/server/auth/sessions';
import { defineQueue } from '$lib/server/queue';

/** Deletes expired sessions every hour. */
export const sessionCleanup = defineQueue({
	name: 'session-cleanup',
	options: { retryLimit: 2, expireInSeconds: 300 },
	schedule: { cron: '17 * * * *' },
	async handle(runtime) {
		const removed = await deleteExpiredSessions(runtime.db);
		runtime.log.info({ removed }, 'expired sessions removed');
		return { removed };
	}
});
