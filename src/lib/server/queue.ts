// Queue plumbing shared by the files in jobs/: each queue is defined once (name, options,
// optional schedule, handler) and sent to through `enqueue`, optionally inside a DB
// transaction so the job exists if and only if that transaction commits.
import type PgBoss from 'pg-boss';
import { jobConnection, type Tx } from './db/client';
import type { Runtime } from './runtime';

export type QueueDefinition<T extends object> = {
	name: string;
	options?: Omit<PgBoss.Queue, 'name'>;
	/** Cron schedule (UTC) on which pg-boss sends this job. */
	schedule?: { cron: string; data?: T };
	work?: PgBoss.WorkOptions;
	handle(runtime: Runtime, job: PgBoss.Job<T>): Promise<unknown>;
};

export function defineQueue<T extends object>(definition: QueueDefinition<T>) {
	return definition;
}

export async function enqueue<T extends object>(
	boss: PgBoss,
	queue: QueueDefinition<T>,
	data: T,
	options: PgBoss.SendOptions & { tx?: Tx } = {}
): Promise<string | null> {
	const { tx, ...sendOptions } = options;
	return boss.send(queue.name, data, tx ? { ...sendOptions, db: jobConnection(tx) } : sendOptions);
}
