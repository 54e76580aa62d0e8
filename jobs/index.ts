// Registers every queue: created on start, scheduled where it has a schedule, and worked
// on by this process unless it runs as a web-only replica.
import type PgBoss from 'pg-boss';
import type { Runtime } from '$lib/server/runtime';
import { runWithContext } from '$lib/server/request-context';
import { recoverInterruptedWork } from '$lib/server/provisioning/recovery';
import { observeJob } from '$lib/server/metrics';
import { asError } from '$lib/server/errors';
import { withSchemaLock } from '$lib/server/db/migrate';
import { QUEUE_NAMES, type JobPayloads, type QueueDefinition, type QueueName } from '$lib/server/queue';
import { deprovisionInstanceQueue } from './deprovision-instance';
import { instanceAction } from './instance-action';
import { instanceHealth } from './instance-health';
import { instanceRecovery } from './instance-recovery';
import { instanceRollout } from './instance-rollout';
import { provisionInstanceQueue } from './provision-instance';
import { sessionCleanup } from './session-cleanup';
import { slotSnapshot } from './slot-snapshot';
import { subscriptionPeriodEnd } from './subscription-period-end';
import { topUpRefresh } from './topup-refresh';
import { updateInstanceResources } from './update-instance-resources';
import { waitlistOffers } from './waitlist-offers';
import { renewalSweepQueue } from './renewal-sweep';
import { renewalRetry } from './renewal-retry';
import { billingReminders } from './billing-reminders';
import { subscriptionDeletion } from './subscription-deletion';
import { mailSend } from './mail-send';
import { customDomainCheck } from './custom-domain-check';
import { customDomainCleanup } from './custom-domain-cleanup';
import { backupTake } from './backup-take';
import { backupDelete } from './backup-delete';
import { backupSweep } from './backup-sweep';
import { instanceRestore } from './instance-restore';
import { receiptNumbers } from './receipt-numbers';

export const queues = [
	sessionCleanup,
	provisionInstanceQueue,
	updateInstanceResources,
	deprovisionInstanceQueue,
	instanceAction,
	instanceRollout,
	instanceHealth,
	instanceRecovery,
	subscriptionPeriodEnd,
	waitlistOffers,
	topUpRefresh,
	renewalSweepQueue,
	renewalRetry,
	billingReminders,
	subscriptionDeletion,
	mailSend,
	slotSnapshot,
	customDomainCheck,
	customDomainCleanup,
	backupTake,
	backupDelete,
	backupSweep,
	instanceRestore,
	receiptNumbers
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
		// A pg-boss worker takes one batch per polling interval: the queue's concurrency is
		// worked as batches (two workers for larger ones, so one slow job does not hold up the
		// next fetch), each job of a batch on its own and failed on its own.
		const concurrency = queue.concurrency ?? 1;
		const workers = concurrency > 4 ? 2 : 1;
		const batchSize = Math.ceil(concurrency / workers);
		for (let worker = 0; worker < workers; worker++) {
			// Known once work() has answered; a batch fetched before then just waits its interval.
			const worker: { id?: string } = {};
			worker.id = await runtime.boss.work<JobPayloads[QueueName]>(
				queue.name,
				{ ...queue.work, batchSize, includeMetadata: true },
				async (jobs) => {
					const outputs =
						queue.handleBatch && jobs.length > 1
							? await runBatch(runtime, queue, jobs)
							: await Promise.all(jobs.map((job) => runJob(runtime, queue, job)));
					// A full batch means more jobs are likely waiting (a burst of set-ups): fetch
					// again at once instead of sleeping out the polling interval. pg-boss skips its
					// loop delay for a notified worker (src/worker.js, `beenNotified`).
					if (jobs.length === batchSize && worker.id) runtime.boss.notifyWorker(worker.id);
					// pg-boss completes the batch's jobs that are still active in one statement when
					// this resolves, keeping the output only for a batch of one (src/manager.js,
					// `watch`): the failed ones stay failed.
					return jobs.length === 1 ? outputs[0] : undefined;
				}
			);
		}
	}
	// Work a crash left without a job is sent again now, not only at the next minute.
	void recoverInterruptedWork(runtime).catch((error) => runtime.log.warn({ err: error }, 'recovering interrupted work failed'));
}

/**
 * One job of a batch, failed on its own: a failure is recorded at once for this job only,
 * and the batch's jobs that succeeded are completed together by pg-boss afterwards (one
 * statement for the batch instead of one per job; completing only touches active jobs). The
 * output of a job worked in a larger batch is not kept: MinisPod reads only failed jobs'
 * errors. Every line the job logs names it (request-context.ts). `handle` is the job's work:
 * the queue's handler, or what runBatch already did.
 */
function runJob(
	runtime: Runtime,
	queue: QueueDefinition<QueueName>,
	job: PgBoss.JobWithMetadata<JobPayloads[QueueName]>,
	handle = () => queue.handle(runtime, job)
) {
	return runWithContext({ jobId: job.id, queue: queue.name }, async () => {
		try {
			return await observeJob(queue.name, handle);
		} catch (error) {
			runtime.log.error({ err: error }, 'job failed');
			const message = error instanceof Error ? error.message : String(error);
			await runtime.boss.fail(queue.name, job.id, { message });
			return undefined;
		}
	});
}

/**
 * A batch worked at once by the queue's handleBatch (the lines it logs name the queue, and
 * each mail names itself): each job is then counted, logged and failed on its own as runJob
 * does (an Error outcome is that job's failure), and pg-boss completes the others.
 */
async function runBatch(
	runtime: Runtime,
	queue: QueueDefinition<QueueName>,
	jobs: PgBoss.JobWithMetadata<JobPayloads[QueueName]>[]
) {
	const outcomes = await runWithContext({ queue: queue.name }, () =>
		queue.handleBatch!(runtime, jobs).catch((error: unknown) => jobs.map(() => asError(error)))
	);
	return Promise.all(
		jobs.map((job, index) =>
			runJob(runtime, queue, job, async () => {
				const outcome = outcomes[index];
				if (outcome instanceof Error) throw outcome;
				return outcome;
			})
		)
	);
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
