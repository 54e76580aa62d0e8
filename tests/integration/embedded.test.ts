import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDb, createDb } from '../../src/lib/server/db/client';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';

const dir = mkdtempSync(path.join(os.tmpdir(), 'minispod-embedded-'));
// PostgreSQL runs as user `postgres` when the tests run as root; it must reach the directory.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(url: string, text: string) {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await client.query(text);
	} finally {
		await client.end();
	}
}

describe('embedded PostgreSQL', () => {
	it('keeps its data across restarts', async () => {
		const dataDir = path.join(dir, 'postgres');
		const first = await startEmbeddedPostgres({ dir: dataDir });
		await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
		await first.stop();

		const second = await startEmbeddedPostgres({ dir: dataDir });
		try {
			expect(second.port).not.toBe(0);
			const result = await query(second.url, 'SELECT note FROM kept');
			expect(result.rows).toEqual([{ note: 'still here' }]);
		} finally {
			await second.stop();
		}
	});

	it('is stopped after the pool has closed its connections, so none is ended under it', async () => {
		const database = await startEmbeddedPostgres({ dir: path.join(dir, 'closing') });
		const errors: Error[] = [];
		const db = createDb(database.url, { max: 6, onPoolError: (error) => errors.push(error) });
		const clients: pg.PoolClient[] = [];
		db.$client.on('connect', (client) => clients.push(client));
		try {
			await Promise.all(Array.from({ length: 6 }, () => db.$client.query('SELECT pg_sleep(0.05)')));
			expect(clients.length).toBe(6);
			await closeDb(db);
			// Every connection has closed when closeDb returns, not only been asked to.
			for (const client of clients) {
				expect((client as unknown as { connection: { stream: { destroyed: boolean } } }).connection.stream.destroyed).toBe(true);
			}
		} finally {
			await database.stop();
		}
		// PostgreSQL's stop ended no connection of the pool's ("terminating connection due to administrator command").
		expect(errors).toEqual([]);
	});
});
