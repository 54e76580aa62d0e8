// Live events across processes: a change is published with pg_notify (inside the
// transaction that makes it, so it is delivered only if that commits), and each process
// holds one LISTEN connection that fans events out to the streams its clients have open.
import { EventEmitter, on } from 'node:events';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './db/client';

const CHANNEL = 'minispod_events';

export type LiveEvent =
	| { type: 'instance'; userId: string; instanceId: string }
	| { type: 'notification'; userId: string; notificationId: string }
	/** The catalog editor changed categories, services or plans (for caches of the catalog). */
	| { type: 'catalog' };

export async function publish(db: DbOrTx, event: LiveEvent) {
	await db.execute(sql`SELECT pg_notify(${CHANNEL}, ${JSON.stringify(event)})`);
}

export type EventHub = {
	/** Events matching `filter` until `signal` aborts. */
	stream<T extends LiveEvent>(filter: (event: LiveEvent) => event is T, signal: AbortSignal): AsyncGenerator<T>;
	/** How many streams are open (for tests: streams must end with their clients). */
	openStreams(): number;
	close(): Promise<void>;
};

export async function startEventHub(connectionString: string, onError: (error: Error) => void): Promise<EventHub> {
	const emitter = new EventEmitter();
	emitter.setMaxListeners(0);
	let open = 0;
	let closed = false;
	let client: pg.Client;

	async function connect() {
		client = new pg.Client({ connectionString, application_name: 'minispod-events' });
		client.on('notification', (message) => {
			if (message.channel !== CHANNEL || !message.payload) return;
			try {
				emitter.emit('event', JSON.parse(message.payload) as LiveEvent);
			} catch (error) {
				onError(error as Error);
			}
		});
		client.on('error', (error) => {
			onError(error);
			// Reconnect after a lost connection; events in between are re-read by the streams'
			// own initial snapshot when the client reconnects.
			if (!closed) setTimeout(() => void connect().catch(onError), 1000);
		});
		await client.connect();
		await client.query(`LISTEN ${CHANNEL}`);
	}
	await connect();

	return {
		async *stream<T extends LiveEvent>(filter: (event: LiveEvent) => event is T, signal: AbortSignal) {
			open += 1;
			try {
				for await (const [event] of on(emitter, 'event', { signal })) {
					if (filter(event as LiveEvent)) yield event as T;
				}
			} catch (error) {
				if ((error as Error).name !== 'AbortError') throw error;
			} finally {
				open -= 1;
			}
		},
		openStreams: () => open,
		async close() {
			closed = true;
			await client.end().catch(() => undefined);
		}
	};
}
