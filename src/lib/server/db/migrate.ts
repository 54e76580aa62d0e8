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
