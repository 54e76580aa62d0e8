import { deleteExpiredAccountTokens } from '$lib/server/auth/account-tokens';
import { deleteExpiredSessions } from '$lib/server/auth/sessions';
import { defineQueue } from '$lib/server/queue';
import { deleteExpiredLimits } from '$lib/server/rate-limit';

/** Deletes expired sessions, rate-limit counters and mailed account links every hour. */
export const sessionCleanup = defineQueue({
	name: 'session-cleanup',
	options: { retryLimit: 2, expireInSeconds: 300 },
	schedule: { cron: '17 * * * *' },
	async handle(runtime) {
		const removed = await deleteExpiredSessions(runtime.db);
		const counters = await deleteExpiredLimits(runtime.db);
		const links = await deleteExpiredAccountTokens(runtime.db);
		runtime.log.info({ removed, counters, links }, 'expired sessions removed');
		return { removed, counters, links };
	}
});
