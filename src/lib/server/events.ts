// Live events across processes: a change is published with pg_notify (inside the
// transaction that makes it, so it is delivered only if that commits), and each process
// holds one LISTEN connection that fans events out to the streams its clients have open.
// The connection is made again after any loss, with backoff and for as long as it takes;
// notifications sent while it was down are lost (LISTEN has no history), so after every
// reconnect each open stream is told to resync: it re-sends its snapshot.
import { EventEmitter, on } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './db/client';

const CHANNEL = 'minispod_events';

export type LiveEvent =
	| { type: 'instance'; userId: string; instanceId: string }
	| { type: 'notification'; userId: string; notificationId: string }
	/** Some of the user's notifications were marked read (so every open tab's badge drops). */
	| { type: 'notifications-read'; userId: string }
	/** The billing clock was moved (test clock): every process takes the new offset. */
	| { type: 'clock'; offsetMs: number }
	/** The catalog editor changed categories, services or plans, or a plan's slots moved (for caches of the catalog). */
	| { type: 'catalog' }
	/**
	 * Sessions of these users ended or changed, or the users did (null: any user's). Sent by
	 * the database's triggers (drizzle/0025_session-notify.sql), for the session caches.
	 */
	| { type: 'sessions'; userIds: string[] | null };

/** Sent to every stream after the listener reconnected: events may have been missed. */
export type ResyncEvent = { type: 'resync' };

/**
 * Every event this process publishes, told to this process at once, before the transaction
 * commits (and even if it rolls back): a cache here drops its copy then, so the process that
 * made a change never serves its own change stale while the notification is on its way. A
 * copy loaded between this and the commit is dropped again by the notification.
 */
const published = new EventEmitter();
published.setMaxListeners(0);

/** Calls `listener` with each event this process publishes, until the returned function is called. */
export function onPublished(listener: (event: LiveEvent) => void): () => void {
	published.on('event', listener);
	return () => published.off('event', listener);
}

/** Tells this process's listeners (onPublished) of events sent with a statement of the caller's own. */
export function publishedLocally(...events: LiveEvent[]) {
	for (const event of events) published.emit('event', event);
}

export async function publish(db: DbOrTx, event: LiveEvent) {
	await publishMany(db, [event]);
}

/** Publishes several events in one statement. */
export async function publishMany(db: DbOrTx, events: LiveEvent[]) {
	if (events.length === 0) return;
	const payloads = events.map((event) => JSON.stringify(event));
	await db.execute(sql`SELECT pg_notify(${CHANNEL}, payload) FROM unnest(${sql.param(payloads)}::text[]) AS payload`);
	publishedLocally(...events);
}

/**
 * The notification of an instance change as an SQL expression, for a statement that changes
 * the instance and tells its viewers in one round trip (the same event as `publish`).
 */
export function notifyInstanceSql(userId: SQL, instanceId: SQL): SQL {
	return sql`pg_notify(${CHANNEL}, json_build_object('type', 'instance', 'userId', ${userId}, 'instanceId', ${instanceId})::text)`;
}

/** The notification event of a new in-app notification as an SQL expression (see notifyInstanceSql). */
export function notifyNotificationSql(userId: SQL, notificationId: SQL): SQL {
	return sql`pg_notify(${CHANNEL}, json_build_object('type', 'notification', 'userId', ${userId}, 'notificationId', ${notificationId})::text)`;
}

/**
 * The catalog event as an SQL expression, for the statement that changes a plan's slots (see
 * notifyInstanceSql); the caller tells this process with publishedLocally.
 */
export function notifyCatalogSql(): SQL {
	return sql`pg_notify(${CHANNEL}, ${JSON.stringify({ type: 'catalog' } satisfies LiveEvent)})`;
}

export type EventHub = {
	/**
	 * A resync first (read the snapshot now: the stream is listening), then events matching
	 * `filter`, and every resync, until `signal` aborts.
	 */
	stream<T extends LiveEvent>(filter: (event: LiveEvent) => event is T, signal: AbortSignal): AsyncGenerator<T | ResyncEvent>;
	/** Calls `listener` with every event, and every resync, until the returned function is called (for this process's own use). */
	listen(listener: (event: LiveEvent | ResyncEvent) => void): () => void;
	/** How many streams are open (for tests: streams must end with their clients). */
	openStreams(): number;
	/**
	 * Whether the listener is connected. While it is not, events are missed, and a copy kept
	 * in the process may be stale; a resync follows the reconnect.
	 */
	listening(): boolean;
	close(): Promise<void>;
};

export type EventHubOptions = {
	/** First wait before reconnecting; doubled after each failed attempt up to `maxBackoffMs`. */
	backoffMs?: number;
	maxBackoffMs?: number;
};

/** The wait before reconnect attempt `attempt` (0-based): doubling, capped, with jitter. */
export function reconnectDelay(attempt: number, { backoffMs = 250, maxBackoffMs = 15_000 }: EventHubOptions = {}) {
	const base = Math.min(maxBackoffMs, backoffMs * 2 ** attempt);
	return Math.round(base / 2 + Math.random() * (base / 2));
}

export async function startEventHub(
	connectionString: string,
	onError: (error: Error) => void,
	options: EventHubOptions = {}
): Promise<EventHub> {
	const emitter = new EventEmitter();
	emitter.setMaxListeners(0);
	let open = 0;
	let closed = false;
	let client: pg.Client | undefined;
	let reconnecting: Promise<void> | undefined;

	async function listen(): Promise<pg.Client> {
		const next = new pg.Client({ connectionString, application_name: 'minispod-events' });
		next.on('notification', (message) => {
			if (message.channel !== CHANNEL || !message.payload) return;
			try {
				emitter.emit('event', JSON.parse(message.payload) as LiveEvent);
			} catch (error) {
				onError(error as Error);
			}
		});
		// Errors end the connection; 'end' follows and starts the reconnect.
		next.on('error', onError);
		next.on('end', () => {
			if (client === next) reconnect();
		});
		try {
			await next.connect();
			await next.query(`LISTEN ${CHANNEL}`);
		} catch (error) {
			next.removeAllListeners('end');
			await next.end().catch(() => undefined);
			throw error;
		}
		return next;
	}

	function reconnect() {
		client = undefined;
		reconnecting ??= (async () => {
			for (let attempt = 0; !closed; attempt++) {
				await sleep(reconnectDelay(attempt, options));
				if (closed) return;
				try {
					client = await listen();
					emitter.emit('event', { type: 'resync' } satisfies ResyncEvent);
					return;
				} catch (error) {
					onError(error as Error);
				}
			}
		})().finally(() => (reconnecting = undefined));
	}

	client = await listen();

	return {
		async *stream<T extends LiveEvent>(filter: (event: LiveEvent) => event is T, signal: AbortSignal) {
			open += 1;
			try {
				// Listening starts before the caller reads what the stream updates: the first item
				// is a resync, sent once the listener is on, so no change falls between the two.
				const events = on(emitter, 'event', { signal });
				yield { type: 'resync' } as ResyncEvent;
				for await (const [event] of events) {
					const live = event as LiveEvent | ResyncEvent;
					if (live.type === 'resync' || filter(live)) yield live as T | ResyncEvent;
				}
			} catch (error) {
				if ((error as Error).name !== 'AbortError') throw error;
			} finally {
				open -= 1;
			}
		},
		listen(listener) {
			emitter.on('event', listener);
			return () => emitter.off('event', listener);
		},
		openStreams: () => open,
		listening: () => client !== undefined,
		async close() {
			closed = true;
			const current = client;
			client = undefined;
			await current?.end().catch(() => undefined);
			await reconnecting;
		}
	};
}
