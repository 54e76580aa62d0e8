import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh database cloned from the migrated template; dropped by the returned function. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const { adminUrl, template } = inject('postgres');
	const name = `test_${randomBytes(6).toString('hex')}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
	} finally {
		await admin.end();
	}
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const client = new pg.Client({ connectionString: adminUrl });
			await client.connect();
			try {
				await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			} finally {
				await client.end();
			}
		}
	};
}
