// The sessions a web process has validated, held for a few seconds so that a tRPC call need not
// look its session up again (issue 16: the lookup's round trip was about a third of the CPU a
// `wallet.balance` call cost the web process, and half of what it cost PostgreSQL). Only the
// direct path for tRPC calls reads it (http/trpc-direct.ts); pages look their session up each
// time, as their header shows the balance read with it.
//
// A copy must never outlive a change to what it holds. Database triggers send a `sessions`
// event naming the users whose sessions ended or were renewed, or who were blocked, made an
// administrator or not, renamed, or moved to another address or language, whichever process or
// connection made the change (drizzle/0025_session-notify.sql); the event reaches every process
// when the change commits, and drops that user's copies. The functions that make those changes
// also tell their own process at once (`sessionsChangedHere`), so the next request there never
// finds the old copy while the notification is on its way. Events are missed while the
// listener is disconnected: then nothing is served from here, and the copies are dropped when
// it reconnects. A copy is also never older than HOLD_MS, and is not served when its session
// is due for renewal or has expired (validateSessionToken goes to the database then).
import type { Session } from '../db/schema';
import { onPublished, publishedLocally, type EventHub, type LiveEvent, type ResyncEvent } from '../events';
import type { SessionUser } from './sessions';

/** How long a validated session is held at most. */
export const HOLD_MS = 10_000;
/** How many sessions a process holds at most; the oldest copy goes first. */
export const MAX_HELD = 10_000;

export type HeldSession = { session: Readonly<Session>; user: Readonly<SessionUser> };

export type SessionCache = {
	/** The session's copy, if one is held and may be served. */
	get(sessionId: string): HeldSession | undefined;
	/** Taken before a lookup: `store` keeps the lookup's answer only if no change came in between. */
	mark(): number;
	store(sessionId: string, held: HeldSession, mark: number): void;
	/** How many copies are held (for tests). */
	size(): number;
};

const caches = new WeakMap<EventHub, SessionCache>();

/** The process's session cache: one per event hub. */
export function sessionCache(runtime: { events: EventHub }): SessionCache {
	let cache = caches.get(runtime.events);
	if (!cache) caches.set(runtime.events, (cache = createSessionCache(runtime.events)));
	return cache;
}

/** Tells this process's session caches at once that the user's sessions changed (see above). */
export function sessionsChangedHere(userId: string) {
	publishedLocally({ type: 'sessions', userIds: [userId] });
}

type Entry = HeldSession & { userId: string; heldUntil: number };

export function createSessionCache(events: EventHub, now: () => number = Date.now): SessionCache {
	const held = new Map<string, Entry>();
	const byUser = new Map<string, Set<string>>();
	// Counts the changes seen: a lookup that started before one may have read what it changed.
	let changes = 0;

	function drop(sessionId: string) {
		const entry = held.get(sessionId);
		if (!entry) return;
		held.delete(sessionId);
		const ids = byUser.get(entry.userId);
		ids?.delete(sessionId);
		if (ids?.size === 0) byUser.delete(entry.userId);
	}

	function changed(event: LiveEvent | ResyncEvent) {
		if (event.type === 'resync' || (event.type === 'sessions' && event.userIds === null)) {
			changes += 1;
			held.clear();
			byUser.clear();
		} else if (event.type === 'sessions') {
			changes += 1;
			for (const userId of event.userIds ?? []) {
				for (const sessionId of byUser.get(userId) ?? []) drop(sessionId);
			}
		}
	}
	events.listen(changed);
	onPublished(changed);

	return {
		get(sessionId) {
			if (!events.listening()) return undefined;
			const entry = held.get(sessionId);
			if (!entry) return undefined;
			if (entry.heldUntil <= now()) {
				drop(sessionId);
				return undefined;
			}
			return entry;
		},
		mark: () => changes,
		store(sessionId, { session, user }, mark) {
			if (mark !== changes || !events.listening()) return;
			drop(sessionId);
			if (held.size >= MAX_HELD) drop(held.keys().next().value!);
			held.set(sessionId, {
				session: Object.freeze({ ...session }),
				user: Object.freeze({ ...user }),
				userId: user.id,
				heldUntil: now() + HOLD_MS
			});
			let ids = byUser.get(user.id);
			if (!ids) byUser.set(user.id, (ids = new Set()));
			ids.add(sessionId);
		},
		size: () => held.size
	};
}
