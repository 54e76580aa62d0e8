// MinisPod's clocks. Billing time (periods, renewals, notices, grace, suspension, deletion)
// comes from the billing clock: real time plus an offset kept in the database, which only
// the test clock moves, like Stripe's test clocks. Security time (sessions, login
// throttling, payment expiry) stays on real time, so moving the demo clock a month logs
// nobody out and expires no payment page.
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './db/client';
import { billingClock } from './db/schema';
import { publish, type EventHub } from './events';

export interface Clock {
	now(): Date;
}

export type BillingClock = Clock & {
	/** How far the billing clock is ahead of real time. */
	offsetMs(): number;
	/** Takes an offset this process has just committed (or heard of); it only moves forward. */
	observe(offsetMs: number): void;
	close(): void;
};

/** Real time plus a fixed offset; what tests and pure code use when no database is involved. */
export function fixedOffsetClock(offsetMs = 0): Clock {
	return { now: () => new Date(Date.now() + offsetMs) };
}

async function readOffset(db: DbOrTx): Promise<number> {
	const [row] = await db.select({ offsetMs: billingClock.offsetMs }).from(billingClock).where(eq(billingClock.id, 1));
	return row?.offsetMs ?? 0;
}

/**
 * Moves the billing clock forward in the caller's transaction and tells every process
 * (through the live events, delivered when the transaction commits). Returns the new offset.
 */
export async function moveBillingClock(db: DbOrTx, byMs: number): Promise<number> {
	const [row] = await db
		.insert(billingClock)
		.values({ id: 1, offsetMs: byMs })
		.onConflictDoUpdate({ target: billingClock.id, set: { offsetMs: sql`${billingClock.offsetMs} + ${byMs}` } })
		.returning({ offsetMs: billingClock.offsetMs });
	await publish(db, { type: 'clock', offsetMs: row.offsetMs });
	return row.offsetMs;
}

/** How often the offset is re-read anyway, in case a clock event was missed while reconnecting. */
const REFRESH_MS = 30_000;

/**
 * The billing clock of this process: the offset is read at start, taken from clock events
 * as soon as another process moves it, and re-read every half minute. `now()` stays
 * synchronous so that every billing rule can ask for the time without I/O.
 */
export async function startBillingClock(db: DbOrTx, events: EventHub, onError: (error: Error) => void): Promise<BillingClock> {
	let offset = await readOffset(db);
	const observe = (next: number) => {
		offset = Math.max(offset, next);
	};
	const stopListening = events.listen((event) => {
		if (event.type === 'clock') observe(event.offsetMs);
		// Clock events may have been missed while the listener was reconnecting.
		if (event.type === 'resync') void readOffset(db).then(observe, onError);
	});
	const timer = setInterval(() => void readOffset(db).then(observe, onError), REFRESH_MS);
	timer.unref();
	return {
		now: () => new Date(Date.now() + offset),
		offsetMs: () => offset,
		observe,
		close: () => {
			clearInterval(timer);
			stopListening();
		}
	};
}
