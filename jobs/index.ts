// Registers every queue: created on start, scheduled where it has a schedule, and worked
// on by this process unless it runs as a web-only replica.
import type PgBoss from 'pg-boss';
import type { Runtime } from '$lib/server/runtime';
import { observeJob } from '$lib/server/metrics';
import { withSchemaLock } from '$lib/server/db/migrate';
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
	// pg-boss creates a table per queue; processes booting at once take turns doing it.
	await withSchemaLock(runtime.db, async () => {
		for (const name of QUEUE_NAMES) {
			const queue = queues.find((q) => q.name === name);
			await createQueue(runtime.boss, name, { name, ...queue?.options });
		}
	});
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

const DEADLOCK_DETECTED = '40P01';

/**
 * A new queue's partition DDL can deadlock with pg-boss maintenance running in another
 * process (a worker replica already up); PostgreSQL then aborts one of them, and an aborted
 * create_queue is safe to run again (it skips a queue that exists).
 */
async function createQueue(boss: PgBoss, name: QueueName, options: PgBoss.Queue) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await boss.createQueue(name, options);
		} catch (error) {
			if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= 5) throw error;
			await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
		}
	}
}
