// `npm run db:backup [-- <directory>]` and `npm run db:restore -- <directory>`: the embedded
// database (MINISPOD_DATA_DIR/postgres). A backup is taken while MinisPod runs; a restore
// needs MinisPod stopped. With DATABASE_URL, use PostgreSQL's own tools (README, "Backups").
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../src/lib/server/config.js';
import { backupEmbeddedDatabase, restoreEmbeddedDatabase } from '../src/lib/server/db/backup';

const [command, argument] = process.argv.slice(2);
const config = parseConfig();
const database = path.join(config.dataDir, 'postgres');

try {
	if (config.databaseUrl) throw new Error('DATABASE_URL is set: back up that PostgreSQL with pg_dump (README, "Backups").');
	if (command === 'backup') {
		const target = path.resolve(argument ?? path.join(config.dataDir, 'backups', new Date().toISOString().replace(/[:.]/g, '-')));
		const info = await backupEmbeddedDatabase(database, target);
		chmodSync(target, 0o700);
		console.log(`Backed up the embedded database (${info.online ? 'while running' : 'stopped'}) to ${target}`);
	} else if (command === 'restore' && argument) {
		const { keptAs } = restoreEmbeddedDatabase(path.resolve(argument), database);
		console.log(`Restored ${argument} into ${database}.${keptAs ? ` The previous database is kept in ${keptAs}.` : ''}`);
		console.log('Start MinisPod: PostgreSQL replays the backup’s WAL on its first start.');
	} else {
		throw new Error('Usage: npm run db:backup [-- <directory>]  |  npm run db:restore -- <directory>');
	}
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
