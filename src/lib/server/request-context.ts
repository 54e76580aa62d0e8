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

/** A short random id a person can read out to support. */
export function newRequestId(): string {
	return randomBytes(8).toString('hex');
}
