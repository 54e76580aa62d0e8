import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
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
});
