// What every log line should say about the work that caused it: the request's id (sent to
// the client as `x-request-id` and quoted in generic error messages) or the background
// job's. Kept in AsyncLocalStorage so it follows the work through every await without being
// passed around; the logger's mixin reads it (log.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export type WorkContext = { requestId?: string; jobId?: string; queue?: string };

const storage = new AsyncLocalStorage<WorkContext>();

/** Runs `work` with `context` attached to everything it logs. */
export function runWithContext<T>(context: WorkContext, work: () => T): T {
	return storage.run(context, work);
}

/** The request or job the current code runs for, if any. */
export function currentContext(): WorkContext | undefined {
	return storage.getStore();
}

// Random bytes are drawn a few kilobytes at a time: one randomBytes call per request was a
// quarter of the direct path's own CPU for a query (http/trpc-direct.ts).
const ID_BYTES = 8;
let pool = Buffer.alloc(0);
let offset = 0;

/** A short random id a person can read out to support. */
export function newRequestId(): string {
	if (offset + ID_BYTES > pool.length) {
		pool = randomBytes(ID_BYTES * 512);
		offset = 0;
	}
	offset += ID_BYTES;
	return pool.toString('hex', offset - ID_BYTES, offset);
}
