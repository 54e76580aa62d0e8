// Registers every queue: created on start, scheduled where it has a schedule, and worked
// on by this process unless it runs as a web-only replica.
import type { Runtime } from '$lib/server/runtime';
import { QUEUE_NAMES, type JobPayloads, type QueueDefinition, type QueueName } from '$lib/server/queue';
import { sessionCleanup } from './session-cleanup';
import { subscriptionPeriodEnd } from './subscription-period-end';
import { waitlistOffers } from './waitlist-offers';

export const queues: QueueDefinition<QueueName>[] = [
	sessionCleanup,
	subscriptionPeriodEnd,
	waitlistOffers
] as QueueDefinition<QueueName>[];

export async function registerQueues(runtime: Runtime, options: { work: boolean }) {
	for (const name of QUEUE_NAMES) {
		const queue = queues.find((q) => q.name === name);
		await runtime.boss.createQueue(name, { name, ...queue?.options });
	}
	if (!options.work) return;
	for (const queue of queues) {
		if (queue.schedule) {
			await runtime.boss.schedule(queue.name, queue.schedule.cron, queue.schedule.data ?? {});
		}
		await runtime.boss.work<JobPayloads[QueueName]>(queue.name, { batchSize: 1, ...queue.work }, async (jobs) => {
			for (const job of jobs) {
				try {
					return await queue.handle(runtime, job);
				} catch (error) {
					runtime.log.error({ err: error, queue: queue.name, jobId: job.id }, 'job failed');
					throw error;
				}
			}
		});
	}
}
