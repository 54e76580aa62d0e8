import { deliverMail, deliverMails } from '$lib/server/mail/outbox';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/**
 * Sends mails of the outbox, or keeps them there without SMTP; an SMTP failure is retried
 * with backoff. Worked in batches of 10 (two workers), the batch's mails in one transaction.
 */
export const mailSend = defineQueue({
	name: 'mail-send',
	options: { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 20,
	handle: (runtime, job) => deliverMail(runtime, job.data.mailId, { final: isFinalAttempt(job) }),
	handleBatch: (runtime, jobs) =>
		deliverMails(
			runtime,
			jobs.map((job) => ({ mailId: job.data.mailId, final: isFinalAttempt(job) }))
		)
});
