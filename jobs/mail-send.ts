import { deliverMail } from '$lib/server/mail/outbox';
import { defineQueue, isFinalAttempt } from '$lib/server/queue';

/** Sends one mail of the outbox, or keeps it there without SMTP; an SMTP failure is retried with backoff. */
export const mailSend = defineQueue({
	name: 'mail-send',
	options: { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
	work: { pollingIntervalSeconds: 1 },
	concurrency: 2,
	handle: (runtime, job) => deliverMail(runtime, job.data.mailId, { final: isFinalAttempt(job) })
});
