// Registers every queue: created on start, scheduled where it has a schedule, and worked
// on by this process unless it runs as a web-only replica.
import type { Runtime } from '$lib/server/runtime';
import { observeJob } from '$lib/server/metrics';
import { QUEUE_NAMES, type JobPayloads, type QueueDefinition, type QueueName } from '$lib/server/queue';
import { deprovisionInstanceQueue } from './deprovision-instance';
import { instanceAction } from './instance-action';
import { instanceHealth } from './instance-health';
import { provisionInstanceQueue } from './provision-instance';
import { sessionCleanup } from './session-cleanup';
import { subscriptionPeriodEnd } from './subscription-period-end';
import { topUpRefresh } from './topup-refresh';
import { updateInstanceResources } from './update-instance-resources';
import { waitlistOffers } from './waitlist-offers';

export const queues = [
	sessionCleanup,
	provisionInstanceQueue,
	updateInstanceResources,
	deprovisionInstanceQueue,
	instanceAction,
	instanceHealth,
	subscriptionPeriodEnd,
	waitlistOffers,
	topUpRefresh
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
		for (let worker = 0; worker < (queue.concurrency ?? 1); worker++) {
			await runtime.boss.work<JobPayloads[QueueName]>(
				queue.name,
				{ ...queue.work, batchSize: 1, includeMetadata: true },
				async ([job]) => {
					try {
						return await observeJob(queue.name, () => queue.handle(runtime, job));
					} catch (error) {
						runtime.log.error({ err: error, queue: queue.name, jobId: job.id }, 'job failed');
						throw error;
					}
				}
			);
		}
	}
}
