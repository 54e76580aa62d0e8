// Waiting in integration tests without polling: a wait re-reads what it waits for when the
// database says it changed, and gives up after a timeout that scales with the machine.
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Db } from '../../src/lib/server/db/client';
import { serviceInstances, type ServiceInstance } from '../../src/lib/server/db/schema';
import type { EventHub, LiveEvent, ResyncEvent } from '../../src/lib/server/events';
import type { QueueName } from '../../src/lib/server/queue';
import type { Runtime } from '../../src/lib/server/runtime';
import { scaled } from './timeouts';

const JOB_STATE_CHANNEL = 'minispod_test_job_state';
const FINISHED_STATES = ['completed', 'failed', 'cancelled'];

/**
 * Makes the database announce every change of a pg-boss job's state, with the job's queue,
 * on a channel tests listen to. Installed once in the test template, after pg-boss created its tables; queues
 * created later are partitions of `pgboss.job` and inherit the trigger.
 */
export async function announceJobStates(db: Db) {
	await db.execute(
		sql.raw(`
		CREATE FUNCTION pgboss.announce_job_state() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			PERFORM pg_notify('${JOB_STATE_CHANNEL}', NEW.name);
			RETURN NULL;
		END $$;
		CREATE TRIGGER announce_job_state AFTER UPDATE OF state ON pgboss.job
			FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state) EXECUTE FUNCTION pgboss.announce_job_state();`)
	);
}

/** A job by its id, or the oldest job of the queue whose payload contains `data`. */
export type JobSelector = { id: string } | { data: Record<string, unknown> };

/**
 * Waits until a pg-boss job has finished (completed, failed for good, or cancelled) and
 * returns it with its output. The job must already be queued.
 */
export async function waitForJob(
	runtime: Runtime,
	name: QueueName,
	job: JobSelector,
	timeoutMs = scaled(30_000)
): Promise<PgBoss.JobWithMetadata> {
	const listener = new pg.Client({ connectionString: runtime.config.databaseUrl, application_name: 'minispod-test-jobs' });
	let announced = 0;
	let wake = () => {};
	listener.on('notification', (message) => {
		if (message.payload !== name) return;
		announced += 1;
		wake();
	});
	await listener.connect();
	try {
		await listener.query(`LISTEN ${JOB_STATE_CHANNEL}`);
		const expired = AbortSignal.timeout(timeoutMs);
		const timedOut = new Promise<void>((resolve) => expired.addEventListener('abort', () => resolve(), { once: true }));
		for (;;) {
			const before = announced;
			const found = await findJob(runtime.db, name, job);
			if (!found) throw new Error(`No ${name} job matches ${JSON.stringify(job)}`);
			if (FINISHED_STATES.includes(found.state)) return (await runtime.boss.getJobById(name, found.id))!;
			if (expired.aborted) throw new Error(`The ${name} job ${found.id} is still ${found.state} after ${timeoutMs} ms`);
			if (announced === before) await Promise.race([new Promise<void>((resolve) => (wake = resolve)), timedOut]);
		}
	} finally {
		await listener.end();
	}
}

async function findJob(db: Db, name: QueueName, job: JobSelector) {
	const matches = 'id' in job ? sql`id = ${job.id}` : sql`data @> ${JSON.stringify(job.data)}::jsonb`;
	const result = await db.execute<{ id: string; state: string }>(
		sql`SELECT id, state FROM pgboss.job WHERE name = ${name} AND ${matches} ORDER BY created_on LIMIT 1`
	);
	return result.rows[0];
}

/**
 * Waits until the instance satisfies `reached` (described by `what` in the error) and
 * returns it. The instance is read again whenever it changes: every change of an instance
 * is published as a live event.
 */
export async function waitForInstance(
	runtime: Runtime,
	instanceId: string,
	reached: (instance: ServiceInstance) => boolean,
	what: string,
	timeoutMs = scaled(30_000)
): Promise<ServiceInstance> {
	const stop = new AbortController();
	const changes = runtime.events.stream(
		(event): event is LiveEvent => event.type === 'instance' && event.instanceId === instanceId,
		AbortSignal.any([stop.signal, AbortSignal.timeout(timeoutMs)])
	);
	// The stream listens from its first next() (which gives a resync at once), so a change made
	// during a read is not missed.
	let changed = changes.next();
	try {
		for (;;) {
			const [instance] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId));
			if (instance && reached(instance)) return instance;
			if ((await changed).done) {
				throw new Error(`Instance ${instanceId} did not reach ${what} within ${timeoutMs} ms; it is ${instance?.status}`);
			}
			changed = changes.next();
		}
	} finally {
		stop.abort();
		await changed;
		await changes.return(undefined);
	}
}

/**
 * The first event (or resync) the hub receives that `match` accepts, from now on. Listeners
 * registered before this one (a cache's own) have seen it when this resolves.
 */
export function nextEvent(
	events: EventHub,
	match: (event: LiveEvent | ResyncEvent) => boolean
): Promise<LiveEvent | ResyncEvent> {
	return new Promise((resolve) => {
		const stop = events.listen((event) => {
			if (!match(event)) return;
			stop();
			resolve(event);
		});
	});
}
