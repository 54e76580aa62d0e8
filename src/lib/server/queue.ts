// Queue plumbing shared by the files in jobs/. Every queue's name and payload is declared
// here, so services can send jobs without importing the handlers (which import services);
// each jobs/<queue>.ts file defines the queue's options, schedule and handler.
import type PgBoss from 'pg-boss';
import { jobConnection, type Tx } from './db/client';
import type { Runtime } from './runtime';

export type JobPayloads = {
	'session-cleanup': Record<string, never>;
	/** Create or converge every cluster object of a new (or retried) instance. */
	'provision-instance': { instanceId: string };
	/** Apply the subscription's new plan to its instance after an upgrade. */
	'update-instance-resources': { subscriptionId: string; instanceId: string; upgradeId: string };
	/** Remove an instance's objects from the cluster. */
	'deprovision-instance': { instanceId: string };
	/** Scale or restart a running instance. */
	'instance-action': { instanceId: string; action: 'stop' | 'start' | 'restart' | 'suspend' | 'resume' };
	/** Refresh pod status and health of running instances. */
	'instance-health': Record<string, never>;
	/** End subscriptions whose cancellation took effect at the end of their period. */
	'subscription-period-end': Record<string, never>;
	/** Lapse unanswered waitlist offers and offer free slots to the next in line. */
	'waitlist-offers': Record<string, never>;
	/** Ask the gateway about top-ups left pending, expire abandoned ones. */
	'topup-refresh': Record<string, never>;
	/** Record every plan's slots for the day (slot utilisation over time). */
	'slot-snapshot': Record<string, never>;
};

export type QueueName = keyof JobPayloads;

/** Every declared queue, so all exist before anything is sent to them. */
export const QUEUE_NAMES = [
	'session-cleanup',
	'provision-instance',
	'update-instance-resources',
	'deprovision-instance',
	'instance-action',
	'instance-health',
	'subscription-period-end',
	'waitlist-offers',
	'topup-refresh',
	'slot-snapshot'
] as const satisfies readonly QueueName[];

/**
 * Queues whose failed jobs an administrator may run again: each converges on the state the
 * database asks for or only sweeps, so a second run does no harm. A queue that moves money
 * or tells customers something belongs here only if its job is idempotent end to end.
 */
export const RETRY_SAFE_QUEUES: readonly QueueName[] = [
	'session-cleanup',
	'provision-instance',
	'update-instance-resources',
	'deprovision-instance',
	'instance-health',
	'subscription-period-end',
	'waitlist-offers',
	'topup-refresh',
	'slot-snapshot'
];

// Compile-time check that QUEUE_NAMES lists every key of JobPayloads.
const _allQueuesListed: Record<QueueName, true> = Object.fromEntries(QUEUE_NAMES.map((n) => [n, true])) as {
	[K in (typeof QUEUE_NAMES)[number]]: true;
};
void _allQueuesListed;

export type QueueDefinition<N extends QueueName> = {
	name: N;
	options?: Omit<PgBoss.Queue, 'name'>;
	/** Cron schedule (UTC) on which pg-boss sends this job. */
	schedule?: { cron: string; data?: JobPayloads[N] };
	work?: Omit<PgBoss.WorkOptions, 'includeMetadata' | 'batchSize'>;
	/** Jobs of this queue worked on at once by one process (default 1). */
	concurrency?: number;
	handle(runtime: Runtime, job: PgBoss.JobWithMetadata<JobPayloads[N]>): Promise<unknown>;
};

/** Whether pg-boss will not retry this job if it fails now. */
export function isFinalAttempt(job: Pick<PgBoss.JobWithMetadata, 'retryCount' | 'retryLimit'>): boolean {
	return job.retryCount >= job.retryLimit;
}

export function defineQueue<N extends QueueName>(definition: QueueDefinition<N>) {
	return definition;
}

/**
 * Sends a job. With `tx` the job is written in that transaction, so it exists if and only
 * if the transaction commits.
 */
export async function enqueue<N extends QueueName>(
	boss: PgBoss,
	name: N,
	data: JobPayloads[N],
	options: PgBoss.SendOptions & { tx?: Tx } = {}
): Promise<string | null> {
	const { tx, ...sendOptions } = options;
	return boss.send(name, data, tx ? { ...sendOptions, db: jobConnection(tx) } : sendOptions);
}
