// Item 15 of the hardening issue: after a database outage longer than about a second the
// LISTEN connection was never made again, so live streams delivered only their first
// snapshot. The hub reconnects with backoff for as long as it takes, and every open stream
// re-sends its snapshot after a reconnect (events in between were missed). Tested with the
// listener's backend terminated (the short case) and with PostgreSQL stopped and started
// again (the long case), on a PostgreSQL of this file's own.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';
import { parseConfig } from '../../src/lib/server/config';
import { bootMinisPod } from '../../src/boot';
import { createLogger } from '../../src/lib/server/log';
import { notify } from '../../src/lib/server/notifications/service';
import type { Runtime } from '../../src/lib/server/runtime';
import { callerFor, createUser } from '../support/runtime';
import { expectInvariants } from '../support/invariants';

let dir: string;
let port: number;
let postgres: EmbeddedDatabase;
let runtime: Runtime;

beforeAll(async () => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'minispod-outage-'));
	chmodSync(dir, 0o755);
	postgres = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), persistent: true });
	port = postgres.port;
	runtime = await bootMinisPod(
		parseConfig({
			NODE_ENV: 'test',
			DATABASE_URL: postgres.url,
			MINISPOD_DATA_DIR: path.join(dir, 'data'),
			ORIGIN: 'http://127.0.0.1:3999'
		}),
		{ seed: false, work: false, logger: createLogger({ level: 'silent', pretty: false }) }
	);
}, 180_000);
afterAll(async () => {
	await runtime?.close();
	await postgres?.stop();
	rmSync(dir, { recursive: true, force: true });
});

/** A notification stream of a new customer, read one update at a time. */
async function openStream() {
	const user = await createUser(runtime);
	const controller = new AbortController();
	const api = await callerFor(runtime, user, { signal: controller.signal });
	const stream = (await api.notifications.stream())[Symbol.asyncIterator]();
	expect((await stream.next()).value).toEqual({ unread: 0, latest: null, balance: { amount: 0, version: 0 } });
	return {
		user,
		next: () => stream.next().then((result) => result.value),
		close: async () => {
			controller.abort();
			await stream.return?.(undefined);
		}
	};
}

const note = (userId: string, title: string) =>
	notify(runtime.db, { userId, type: 'WALLET_ADJUSTED', title, body: 'A test notice.' });

/** Retries `work` while the database is still coming back. */
async function whenBack<T>(work: () => Promise<T>): Promise<T> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await work();
		} catch (error) {
			if (attempt > 100) throw error;
			await sleep(200);
		}
	}
}

describe('live updates after the listener’s connection is cut', () => {
	it('come back, and the open stream first re-sends its snapshot', async () => {
		const stream = await openStream();
		const resent = stream.next();
		await runtime.db.execute(
			sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'minispod-events'`
		);
		expect(await resent).toEqual({ unread: 0, latest: null, balance: { amount: 0, version: 0 } });

		const update = stream.next();
		await note(stream.user.id, 'After the cut');
		expect(await update).toMatchObject({ unread: 1, latest: { title: 'After the cut' } });
		await stream.close();
	});
});

describe('live updates after PostgreSQL was down for seconds', () => {
	it('come back once it is up again, with the snapshot re-sent first', async () => {
		const stream = await openStream();
		const resent = stream.next();
		await postgres.stop();
		// Longer than the one retry the old listener made.
		await sleep(4_000);
		postgres = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port, persistent: true });

		const snapshot = await resent;
		expect(snapshot).toEqual({ unread: 0, latest: null, balance: { amount: 0, version: 0 } });
		const update = stream.next();
		await whenBack(() => note(stream.user.id, 'After the restart'));
		expect(await update).toMatchObject({ unread: 1, latest: { title: 'After the restart' } });
		await stream.close();
		await expect.poll(() => runtime.events.openStreams()).toBe(0);
		await whenBack(() => expectInvariants(runtime.db));
	});
});
