// MinisPod as `npm start` runs it (scripts/start.js, the built app), in a child process on a
// data directory of its own, for crash tests: start it, kill it, start it again.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getFreePort } from '../../src/lib/server/util/net';

/**
 * The heap budget `npm start` and the container image give the process (package.json,
 * Dockerfile; README, "Memory"): the old generation's ceiling and the young generation's
 * semi-spaces, in MB, so what tests and benchmarks start is what runs.
 */
export const HEAP_BUDGET = '--max-old-space-size=160 --max-semi-space-size=24';

/** NODE_OPTIONS with the heap budget first: a budget of the caller's own, later, wins. */
export const withHeapBudget = (options = process.env.NODE_OPTIONS) => `${HEAP_BUDGET} ${options ?? ''}`.trim();

/** The checkout's root. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A new data directory for startApp, once the build is current (scripts/build-if-stale.js, run
 * here so that the app's start does not build). As root the embedded PostgreSQL runs as user
 * `postgres`, which must reach it.
 */
export function builtAppDataDir(prefix: string): string {
	execFileSync(process.execPath, ['scripts/build-if-stale.js'], { cwd: ROOT, stdio: 'inherit' });
	const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
	chmodSync(dir, 0o755);
	return dir;
}

export type AppProcess = {
	child: ChildProcess;
	url: string;
	/** Everything it printed (stdout and stderr). */
	output: () => string;
	exited: Promise<number | null>;
};

/** The bank accounts test runtimes and the browser tests' app offer for manual transfers. */
export const TEST_TRANSFER_ACCOUNTS = 'BCA|123 456 7890|PT MinisPod Uji;Mandiri|137-00-1234567-8|PT MinisPod Uji';

/** `processGroup`: the app leads a process group of its own, as `npm start` in a terminal does. */
export async function startApp(
	dataDir: string,
	env: Record<string, string> = {},
	nodeArgs: string[] = [],
	options: { processGroup?: boolean } = {}
): Promise<AppProcess> {
	const port = await getFreePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [...nodeArgs, 'scripts/start.js'], {
		cwd: ROOT,
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: url,
			MINISPOD_DATA_DIR: dataDir,
			LOG_LEVEL: 'warn',
			NODE_OPTIONS: withHeapBudget(),
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: options.processGroup ?? false
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, url, output: () => output, exited };
}

/** Waits until the app answers /healthz with 200, or fails with what it printed. */
export async function untilHealthy(app: AppProcess, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	void app.exited.then(() => (exited = true));
	while (Date.now() < deadline && !exited) {
		const status = await fetch(`${app.url}/healthz`).then(
			(response) => response.status,
			() => 0
		);
		if (status === 200) return;
		await sleep(250);
	}
	throw new Error(`MinisPod did not become healthy:\n${app.output()}`);
}

/** Stops the app as an operator would (SIGTERM) and waits for it to exit. */
export async function stopApp(app: AppProcess) {
	if (app.child.exitCode === null) app.child.kill('SIGTERM');
	await app.exited;
}

/** The embedded PostgreSQL of a data directory: its port (from postmaster.pid) and password. */
export function embeddedConnection(dataDir: string, database = 'minispod') {
	const pidFile = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
	const password = readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
	return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pidFile[3]}/${database}`;
}

/** The direct children of a process whose command line contains `needle` (Linux /proc). */
export function childPids(parent: number, needle: string): number[] {
	return readdirSync('/proc')
		.filter((entry) => /^\d+$/.test(entry))
		.flatMap((entry) => {
			try {
				const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
				const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
				const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
				return ppid === parent && command.includes(needle) ? [Number(entry)] : [];
			} catch {
				return [];
			}
		});
}
