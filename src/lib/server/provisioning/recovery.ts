// The backstop for work lost in a crash. Jobs are short and expire quickly, so pg-boss
// hands a dead worker's job to another one within about a minute; this sweep catches what
// that cannot: an instance left in a transitional status with no job at all (its retries
// used up, say), and an instance whose suspension does not match its subscription. It runs
// every minute and at a worker's start.
import { and, eq, inArray, lt, ne, notInArray, sql } from 'drizzle-orm';
import { serviceInstances, subscriptions, type InstanceStatus } from '../db/schema';
import { enqueue, type JobPayloads, type QueueName } from '../queue';
import type { Runtime } from '../runtime';

/** The queues that work on one instance, with the instance's id in their data. */
const INSTANCE_QUEUES = [
	'provision-instance',
	'instance-rollout',
	'instance-action',
	'update-instance-resources',
	'deprovision-instance',
	'instance-restore'
] as const satisfies readonly QueueName[];
type InstanceQueue = (typeof INSTANCE_QUEUES)[number];

const TRANSITIONAL: InstanceStatus[] = [
	'PENDING',
	'PROVISIONING',
	'STOPPING',
	'STARTING',
	'RESTARTING',
	'UPDATING',
	'TERMINATING'
];

/** What finishes a status when no earlier job can be found to send again. */
const FALLBACK: Partial<Record<InstanceStatus, (id: string) => { queue: InstanceQueue; data: JobPayloads[InstanceQueue] }>> = {
	PENDING: (instanceId) => ({ queue: 'provision-instance', data: { instanceId } }),
	PROVISIONING: (instanceId) => ({ queue: 'provision-instance', data: { instanceId } }),
	STOPPING: (instanceId) => ({ queue: 'instance-action', data: { instanceId, action: 'stop' } }),
	STARTING: (instanceId) => ({ queue: 'instance-action', data: { instanceId, action: 'start' } }),
	RESTARTING: (instanceId) => ({ queue: 'instance-action', data: { instanceId, action: 'restart' } }),
	TERMINATING: (instanceId) => ({ queue: 'deprovision-instance', data: { instanceId } })
};

/** Instances whose last change is this old are looked at (a job is sent with every change). */
const QUIET_MS = 60_000;

/** Whether some job for the instance is waiting or running (a crashed worker's active job counts until it expires). */
async function hasJobInFlight(runtime: Runtime, instanceId: string) {
	const { rows } = await runtime.db.execute<{ found: number }>(sql`
		SELECT 1 AS found FROM pgboss.job
		WHERE name IN (${sql.join(
			INSTANCE_QUEUES.map((name) => sql`${name}`),
			sql`, `
		)})
			AND state IN ('created', 'retry', 'active')
			AND data->>'instanceId' = ${instanceId}
		LIMIT 1`);
	return rows.length > 0;
}

/** The newest job that worked on the instance, wherever pg-boss keeps it now. */
async function lastJob(runtime: Runtime, instanceId: string) {
	const queues = sql.join(
		INSTANCE_QUEUES.map((name) => sql`${name}`),
		sql`, `
	);
	const { rows } = await runtime.db.execute<{ name: InstanceQueue; data: JobPayloads[InstanceQueue] }>(sql`
		SELECT name, data FROM (
			SELECT name, data, created_on FROM pgboss.job WHERE name IN (${queues}) AND data->>'instanceId' = ${instanceId}
			UNION ALL
			SELECT name, data, created_on FROM pgboss.archive WHERE name IN (${queues}) AND data->>'instanceId' = ${instanceId}
		) jobs ORDER BY created_on DESC LIMIT 1`);
	return rows[0];
}

/** Sends work again for instances that wait for a job that will never come. */
export async function recoverInterruptedWork(runtime: Runtime, now = new Date()) {
	const stuck = await runtime.db
		.select({ id: serviceInstances.id, status: serviceInstances.status })
		.from(serviceInstances)
		.where(
			and(inArray(serviceInstances.status, TRANSITIONAL), lt(serviceInstances.updatedAt, new Date(now.getTime() - QUIET_MS)))
		);
	let resent = 0;
	for (const { id, status } of stuck) {
		if (await hasJobInFlight(runtime, id)) continue;
		const previous = await lastJob(runtime, id);
		const work = previous ? { queue: previous.name, data: previous.data } : FALLBACK[status]?.(id);
		if (!work) continue;
		runtime.log.warn({ instanceId: id, status, queue: work.queue }, 'an app was left without its job; sending it again');
		await enqueue(runtime.boss, work.queue, work.data as never);
		resent += 1;
	}
	return { resent, suspensions: await reconcileSuspensions(runtime, now) };
}

/**
 * An app's suspension follows its subscription: a suspended subscription's app is
 * suspended, an active subscription's app is not. Catches what a lost job left behind.
 */
async function reconcileSuspensions(runtime: Runtime, now: Date) {
	const quiet = lt(serviceInstances.updatedAt, new Date(now.getTime() - QUIET_MS));
	const mismatched = await runtime.db
		.select({ id: serviceInstances.id, subscription: subscriptions.status })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.where(
			and(
				quiet,
				sql`((${subscriptions.status} = 'SUSPENDED' AND ${serviceInstances.status} IN ('RUNNING', 'STOPPED', 'ERROR'))
					OR (${subscriptions.status} = 'ACTIVE' AND ${serviceInstances.status} = 'SUSPENDED'))`,
				ne(serviceInstances.status, 'TERMINATED'),
				notInArray(subscriptions.status, ['CANCELLED', 'EXPIRED'])
			)
		);
	let sent = 0;
	for (const { id, subscription } of mismatched) {
		if (await hasJobInFlight(runtime, id)) continue;
		await enqueue(runtime.boss, 'instance-action', {
			instanceId: id,
			action: subscription === 'SUSPENDED' ? 'suspend' : 'resume'
		});
		sent += 1;
	}
	return sent;
}
