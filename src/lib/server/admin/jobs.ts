// Background jobs that failed for good (pg-boss ran out of retries), with their error, and
// running one again where that is safe (queue.ts: RETRY_SAFE_QUEUES). pg-boss 10 keeps a
// failed job in `pgboss.job` until maintenance archives it (`archiveFailedAfterSeconds`, 12
// hours by default) into `pgboss.archive`, kept for a week; `retry(name, id)` only turns a
// failed job still in `pgboss.job` back to `retry` (pg-boss src/plans.js: retryJobs, archive).
import { sql } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import type { DbOrTx } from '../db/client';
import { audit, type AuditActor } from '../audit/service';
import { invalidState, notFound } from '../errors';
import { QUEUE_NAMES, RETRY_SAFE_QUEUES, type QueueName } from '../queue';
import { m } from '$lib/paraglide/messages';
import { render, say } from '../sentences';

const PAGE_SIZE = 50;

type FailedJobRow = {
	id: string;
	name: string;
	data: unknown;
	output: unknown;
	retry_count: number;
	created_on: Date;
	completed_on: Date | null;
	archived: boolean;
};

const isRetrySafe = (queue: string) => (RETRY_SAFE_QUEUES as readonly string[]).includes(queue);

/** The error pg-boss stored for a failed job (an Error serialised as `{ message, stack }`, or anything). */
export function jobError(output: unknown): string {
	if (output && typeof output === 'object' && 'message' in output) return String((output as { message: unknown }).message);
	if (output === null || output === undefined) return render(say(m.txt5_job_no_error));
	return typeof output === 'string' ? output : JSON.stringify(output);
}

export async function listFailedJobs(db: DbOrTx, input: { queue?: string; page: number }) {
	const queue = input.queue ? sql`AND name = ${input.queue}` : sql``;
	const failed = sql`(
		SELECT id, name, data, output, retry_count, created_on, completed_on, false AS archived
		FROM pgboss.job WHERE state = 'failed' ${queue}
		UNION ALL
		SELECT id, name, data, output, retry_count, created_on, completed_on, true
		FROM pgboss.archive WHERE state = 'failed' ${queue}
	)`;
	const [rows, total] = await Promise.all([
		db.execute<FailedJobRow>(sql`
			SELECT * FROM ${failed} AS failed
			ORDER BY completed_on DESC NULLS LAST, id
			LIMIT ${PAGE_SIZE} OFFSET ${(input.page - 1) * PAGE_SIZE}`),
		db.execute<{ total: number }>(sql`SELECT count(*)::int AS total FROM ${failed} AS failed`)
	]);
	return {
		items: rows.rows.map((row) => ({
			id: row.id,
			queue: row.name,
			data: row.data,
			error: jobError(row.output),
			retries: row.retry_count,
			createdOn: new Date(row.created_on),
			failedOn: row.completed_on ? new Date(row.completed_on) : null,
			archived: row.archived,
			retrySafe: isRetrySafe(row.name),
			canRetry: !row.archived && isRetrySafe(row.name)
		})),
		total: total.rows[0]?.total ?? 0,
		page: input.page,
		pageSize: PAGE_SIZE,
		queues: [...QUEUE_NAMES]
	};
}

/** Runs a failed job of a retry-safe queue once more. */
export async function retryFailedJob(runtime: Runtime, actor: AuditActor, input: { queue: string; id: string }) {
	if (!(QUEUE_NAMES as readonly string[]).includes(input.queue)) throw notFound('Queue');
	const queue = input.queue as QueueName;
	if (!isRetrySafe(queue)) {
		throw invalidState(say(m.srv2_job_not_retry_safe, { queue }));
	}
	const job = await runtime.boss.getJobById(queue, input.id);
	if (!job) throw notFound('Job');
	if (job.state !== 'failed') throw invalidState(say(m.srv2_job_not_failed, { state: job.state }));
	await runtime.boss.retry(queue, input.id);
	await audit(runtime.db, {
		actorId: actor.adminId,
		ipAddress: actor.ipAddress,
		action: 'job.retry',
		entityType: 'job',
		entityId: input.id,
		details: { queue, data: job.data }
	});
	return { id: input.id, queue, state: 'retry' as const };
}
