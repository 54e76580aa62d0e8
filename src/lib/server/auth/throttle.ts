// Login throttling: after FREE_ATTEMPTS failures for one throttle key (today an e-mail
// address) further attempts are refused for a lock that doubles with each failure.
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { loginThrottles } from '../db/schema';

export const FREE_ATTEMPTS = 5;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;
/** Failures older than this are forgotten. */
export const FAILURE_WINDOW_MS = 15 * 60_000;

/** How long to lock after the given number of consecutive failures (0 = no lock). */
export function lockDurationMs(failures: number): number {
	if (failures < FREE_ATTEMPTS) return 0;
	return Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS));
}

/** The latest lock among the keys, if any is still in force. */
export async function activeLock(db: DbOrTx, keys: string[], now = new Date()): Promise<Date | null> {
	const rows = await db.select().from(loginThrottles).where(inArray(loginThrottles.key, keys));
	const locks = rows
		.map((row) => row.lockedUntil)
		.filter((until): until is Date => until !== null && until > now)
		.sort((a, b) => b.getTime() - a.getTime());
	return locks[0] ?? null;
}

export async function recordFailure(db: DbOrTx, key: string, now = new Date()) {
	const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MS);
	const [row] = await db
		.insert(loginThrottles)
		.values({ key, failures: 1, lastFailureAt: now })
		.onConflictDoUpdate({
			target: loginThrottles.key,
			set: {
				failures: sql`CASE WHEN ${loginThrottles.lastFailureAt} < ${windowStart} THEN 1 ELSE ${loginThrottles.failures} + 1 END`,
				lastFailureAt: now
			}
		})
		.returning();
	const lockMs = lockDurationMs(row.failures);
	if (lockMs > 0) {
		await db
			.update(loginThrottles)
			.set({ lockedUntil: new Date(now.getTime() + lockMs) })
			.where(eq(loginThrottles.key, key));
	}
}

export async function clearFailures(db: DbOrTx, key: string) {
	await db.delete(loginThrottles).where(eq(loginThrottles.key, key));
}
