import path from 'node:path';
import { existsSync } from 'node:fs';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Db } from './client';

/** The committed migrations folder, found from the project root (where the app runs). */
export function migrationsFolder() {
	const candidates = [path.resolve('drizzle'), path.resolve(import.meta.dirname ?? '.', '../../../../drizzle')];
	const found = candidates.find((dir) => existsSync(path.join(dir, 'meta', '_journal.json')));
	if (!found) throw new Error(`Migrations folder not found (looked in ${candidates.join(', ')})`);
	return found;
}

export async function runMigrations(db: Db) {
	await migrate(db, { migrationsFolder: migrationsFolder(), migrationsSchema: 'drizzle' });
}

/** The advisory lock that makes replicas starting together migrate one after the other. */
export const MIGRATION_LOCK_ID = 727001;

/** Migrations under an advisory lock, so replicas starting together do not collide. */
export async function migrateOnce(db: Db) {
	await withSchemaLock(db, () => runMigrations(db));
}

/**
 * Runs schema work (migrations, pg-boss queue tables) while holding the migration lock, so
 * replicas starting together do it one after the other instead of deadlocking.
 */
export async function withSchemaLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
	const client = await db.$client.connect();
	try {
		await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
		return await work();
	} finally {
		await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
		client.release();
	}
}
