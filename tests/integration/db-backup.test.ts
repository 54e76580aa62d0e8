// A backup of the embedded database taken while it runs restores to exactly what was there
// when it was taken, with every later change gone.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';
import { backupEmbeddedDatabase, restoreEmbeddedDatabase, runningServerPort } from '../../src/lib/server/db/backup';
import { scaled } from '../support/processes';

const root = mkdtempSync(path.join(os.tmpdir(), 'minispod-backup-'));
// As root the server runs as user `postgres`, which must reach the directory.
chmodSync(root, 0o755);
const dir = path.join(root, 'postgres');
let server: EmbeddedDatabase | undefined;

afterAll(async () => {
	await server?.stop();
	rmSync(root, { recursive: true, force: true });
});

async function query(sql: string) {
	const client = new pg.Client({ connectionString: server!.url });
	await client.connect();
	try {
		return (await client.query(sql)).rows;
	} finally {
		await client.end();
	}
}

describe('embedded database backups', () => {
	it('back up a running database and restore it without the changes made after', { timeout: scaled(180_000) }, async () => {
		server = await startEmbeddedPostgres({ dir });
		await query('CREATE TABLE ledger (id serial PRIMARY KEY, note text)');
		await query("INSERT INTO ledger (note) SELECT 'before ' || n FROM generate_series(1, 1000) n");

		const backup = path.join(root, 'backup');
		const info = await backupEmbeddedDatabase(dir, backup);
		expect(info.online).toBe(true);
		await query("INSERT INTO ledger (note) VALUES ('after the backup')");

		expect(() => restoreEmbeddedDatabase(backup, dir)).toThrow(/stop MinisPod first/);
		await server.stop();
		expect(runningServerPort(dir)).toBeNull();
		const { keptAs } = restoreEmbeddedDatabase(backup, dir);
		expect(keptAs).toMatch(/postgres\.before-restore-/);

		server = await startEmbeddedPostgres({ dir });
		expect(await query('SELECT count(*)::int AS rows FROM ledger')).toEqual([{ rows: 1000 }]);
		expect(await query("SELECT count(*)::int AS rows FROM ledger WHERE note = 'after the backup'")).toEqual([{ rows: 0 }]);
	});
});
