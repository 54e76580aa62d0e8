// Registers every queue: created on start, scheduled where it has a schedule, and worked
// on by this process unless it runs as a web-only replica.
import type { Runtime } from '$lib/server/runtime';
import type { QueueDefinition } from '$lib/server/queue';
import { sessionCleanup } from './session-cleanup';
import { topUpRefresh } from './topup-refresh';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const queues: QueueDefinition<any>[] = [sessionCleanup, topUpRefresh];

export async function registerQueues(runtime: Runtime, options: { work: boolean }) {
	for (const queue of queues) {
		await runtime.boss.createQueue(queue.name, { name: queue.name, ...queue.options });
	}
	if (!options.work) return;
	for (const queue of queues) {
		if (queue.schedule) {
			await runtime.boss.schedule(queue.name, queue.schedule.cron, queue.schedule.data ?? {});
		}
		await runtime.boss.work(queue.name, { batchSize: 1, ...queue.work }, async (jobs) => {
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
