// Queue plumbing shared by the files in jobs/. Every queue's name and payload is declared
// here, so services can send jobs without importing the handlers (which import services);
// each jobs/<queue>.ts file defines the queue's options, schedule and handler.
import PgBoss from 'pg-boss';
import { sql, type SQL } from 'drizzle-orm';
import { jobConnection, type Tx } from './db/client';
import { partTemplate, type StatementPart } from './db/statement';
import type { Runtime } from './runtime';

/** What brought an app's pods up (or replaced them), so what the end of the rollout means. */
export type RolloutOperation = 'provision' | 'start' | 'restart' | 'resume' | 'repair' | 'upgrade';

/** What a rollout remembers between looks (see kube/rollout.ts). */
export type RolloutTrackingData = { failingSince: Record<string, number>; lastProblem?: string };

export type JobPayloads = {
	'session-cleanup': Record<string, never>;
	/**
	 * Create or converge every cluster object of a new (or retried) instance; `deadline`
	 * (ISO time) carries the provisioning timeout across the job's re-runs.
	 */
	'provision-instance': { instanceId: string; deadline?: string };
	/** Apply the subscription's new plan to its instance after an upgrade. */
	'update-instance-resources': { subscriptionId: string; instanceId: string; upgradeId: string; backupId?: string };
	/**
	 * Remove an instance's objects from the cluster, and look again until they are gone;
	 * `since` (ISO time) is when the removal began.
	 */
	'deprovision-instance': { instanceId: string; since?: string };
	/** Scale, restart or repair an instance. */
	'instance-action': { instanceId: string; action: 'stop' | 'start' | 'restart' | 'suspend' | 'resume' | 'repair' };
	/** One look at an app's rollout; the job sends itself again until it is done, failed or late. */
	'instance-rollout': {
		instanceId: string;
		operation: RolloutOperation;
		deadline: string;
		tracking: RolloutTrackingData;
		upgrade?: { subscriptionId: string; upgradeId: string };
		/** Looks taken so far (the first ones come sooner, see rollout-check.ts). */
		looks?: number;
	};
	/** Refresh pod status, health and resource usage of running instances. */
	'instance-health': Record<string, never>;
	/** Send work again for instances left in a transitional status without a job (after a crash). */
	'instance-recovery': Record<string, never>;
	/** End subscriptions whose cancellation took effect at the end of their period. */
	'subscription-period-end': Record<string, never>;
	/** Lapse unanswered waitlist offers and offer free slots to the next in line. */
	'waitlist-offers': Record<string, never>;
	/** Ask the gateway about top-ups left pending, expire abandoned ones. */
	'topup-refresh': Record<string, never>;
	/** Charge due renewals (PAST_DUE when the credit is short) and suspend ended grace periods. */
	'renewal-sweep': { helper?: boolean };
	/** Credit reached this customer's wallet: charge their due renewals now, oldest first. */
	'renewal-retry': { userId: string };
	/** Daily: retry past-due renewals, remind in grace, announce renewals, warn of low credit. */
	'billing-reminders': Record<string, never>;
	/** Warn before, then delete, apps suspended for non-payment past the retention days. */
	'subscription-deletion': Record<string, never>;
	/** Deliver one e-mail of the outbox (or keep it there without SMTP). */
	'mail-send': { mailId: string };
	/** Record every plan's slots for the day (slot utilisation over time). */
	'slot-snapshot': Record<string, never>;
	/** Look at a custom domain's DNS records or certificate; sends itself again until it is settled. */
	'custom-domain-check': { domainId: string };
	/** Take custom domains off their app's Ingress and delete their certificate Secrets. */
	'custom-domain-cleanup': { instanceId: string; hostnames: string[] };
	/** Take (or look again at) one backup's snapshots; sends itself again until all are ready or one failed. */
	'backup-take': { backupId: string };
	/** Delete the snapshots of a backup its owner deleted (its row is DELETED already). */
	'backup-delete': { backupId: string };
	/** Every minute: send the backups that plans' schedules make due, delete expired backups. */
	'backup-sweep': Record<string, never>;
	/** Work through a restore from a backup (or its undo) step by step; sends itself again after each. */
	'instance-restore': { instanceId: string; restoreId: string };
	/** Number the receipts of payments completed since the last run (receipts/numbering.ts). */
	'receipt-numbers': Record<string, never>;
};

export type QueueName = keyof JobPayloads;

/** Every declared queue, so all exist before anything is sent to them. */
export const QUEUE_NAMES = [
	'session-cleanup',
	'provision-instance',
	'update-instance-resources',
	'deprovision-instance',
	'instance-action',
	'instance-rollout',
	'instance-health',
	'instance-recovery',
	'subscription-period-end',
	'waitlist-offers',
	'topup-refresh',
	'renewal-sweep',
	'renewal-retry',
	'billing-reminders',
	'subscription-deletion',
	'mail-send',
	'slot-snapshot',
	'custom-domain-check',
	'custom-domain-cleanup',
	'backup-take',
	'backup-delete',
	'backup-sweep',
	'instance-restore',
	'receipt-numbers'
] as const satisfies readonly QueueName[];

/** The PostgreSQL schema of pg-boss's tables. */
export const QUEUE_SCHEMA = 'pgboss';

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
	'slot-snapshot',
	'instance-rollout',
	'instance-recovery',
	// Charges are keyed per period and notices claimed once (notifyOnce): a rerun charges
	// and tells nobody twice.
	'renewal-sweep',
	'renewal-retry',
	'billing-reminders',
	'subscription-deletion',
	'mail-send',
	// Both converge on the rows: a check of a settled domain does nothing, a clean-up deletes what is gone.
	'custom-domain-check',
	'custom-domain-cleanup',
	// Both converge on the backup rows: a snapshot already created is not created again.
	'backup-take',
	'backup-sweep',
	// Deleting a snapshot that is gone already is no change.
	'backup-delete',
	// Each step of a restore is idempotent and the restore's row says which comes next.
	'instance-restore',
	// One assigner at a time (an advisory lock) that numbers only what has none.
	'receipt-numbers'
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
	/**
	 * Works a whole batch at once, where that is cheaper than job by job (a statement for all of
	 * them): each job's outcome in order, an Error failing that job alone.
	 */
	handleBatch?(runtime: Runtime, jobs: PgBoss.JobWithMetadata<JobPayloads[N]>[]): Promise<unknown[]>;
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
	return tx ? enqueueIn(tx, name, data, sendOptions) : boss.send(name, data, sendOptions);
}

/**
 * Writes jobs on the connection it is handed, and is never started: no pool, no timers.
 * pg-boss takes a "bring your own database connection" `db` in its constructor
 * (docs/api/constructor.md) and runs a send's INSERT on the `db` given in the send options
 * (docs/api/jobs.md, `send()`), so a job can be written in any transaction, including by
 * code that holds no runtime (a notification's e-mail, a credit's renewal retry). The
 * queue's own options (retries, expiry) come from its row, as for any sender.
 */
const jobWriter = new PgBoss({
	schema: QUEUE_SCHEMA,
	db: { executeSql: () => Promise.reject(new Error('The job writer only writes through a transaction')) }
});

/** Sends a job inside `tx`: it exists if and only if the transaction commits. */
export async function enqueueIn<N extends QueueName>(
	tx: Tx,
	name: N,
	data: JobPayloads[N],
	options: PgBoss.SendOptions = {}
): Promise<string | null> {
	return jobWriter.send(name, data, { ...options, db: jobConnection(tx) });
}

/**
 * The INSERT of `name` jobs, one for each row of `rows` (a query whose rows are the job's
 * `data`, jsonb, and its singleton key, text or NULL), as SQL to run inside a larger
 * statement (db/statement.ts): the jobs are written in the same round trip as the change
 * that causes them. It sets what pg-boss's own `send` sets for a job sent with at most a
 * singleton key (plans.js insertJob, pg-boss 10.x): the queue's row gives the retries,
 * expiry, retention, dead letter and policy, with pg-boss's defaults where the queue has
 * none; the job starts now. Returns the jobs' ids.
 */
export function insertJobsSql<N extends QueueName>(name: N, rows: SQL): SQL {
	const schema = sql.identifier(QUEUE_SCHEMA);
	return sql`INSERT INTO ${schema}.job (id, name, data, priority, start_after, singleton_key, singleton_on, dead_letter,
			expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
		SELECT gen_random_uuid(), q.name, j.data, 0, now(), j.singleton_key, NULL, q.dead_letter,
			coalesce(q.expire_seconds * interval '1s', interval '15 minutes'),
			now() + coalesce(q.retention_minutes * interval '1 minute', interval '14 days'),
			coalesce(q.retry_limit, 2),
			CASE WHEN coalesce(q.retry_backoff, false) THEN greatest(q.retry_delay, 1) ELSE coalesce(q.retry_delay, 0) END,
			coalesce(q.retry_backoff, false), q.policy
		FROM (${rows}) AS j(data, singleton_key) JOIN ${schema}.queue q ON q.name = ${name}::text
		ON CONFLICT DO NOTHING
		RETURNING id`;
}

/**
 * One job as a part of one statement (see insertJobsSql), named `job_<queue>` with dashes
 * as underscores; it returns the job's id.
 */
export function jobPart<N extends QueueName>(
	name: N,
	data: JobPayloads[N],
	options: { singletonKey?: string } = {}
): StatementPart {
	let template = jobTemplates.get(name);
	if (!template) {
		template = partTemplate(`job_${name.replaceAll('-', '_')}`, ['data', 'singletonKey'], (value) =>
			insertJobsSql(name, sql`SELECT ${value('data')}::jsonb, ${value('singletonKey')}::text`)
		);
		jobTemplates.set(name, template);
	}
	return template({ data: JSON.stringify(data), singletonKey: options.singletonKey ?? null });
}

/** jobPart's template of each queue, made on first use. */
const jobTemplates = new Map<QueueName, ReturnType<typeof partTemplate<'data' | 'singletonKey'>>>();
