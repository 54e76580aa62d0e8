// Part of `npm run bench` (build first: `npm run build`): issue 16's read cases served by one
// web process and by two on the same machine, beside the bare baseline. The web process is one
// thread, so its CPU per request bounds its rate; DESIGN.md lets web replicas run as separate
// processes on one database (`MINISPOD_ROLE=web`), and this measures what a second one on the
// same two cores gives. The first process runs as `npm start` runs it (web and workers, the
// embedded PostgreSQL, the stand-ins); the second is `MINISPOD_ROLE=web` on the first's
// database and secret key (it starts stand-ins of its own, which stay idle). Each round runs
// the bare server on 10 connections, then the first process alone on 10, then both at once on
// 5 each. The table shows medians; nothing passes or fails on timing. BENCH_SECONDS (3),
// BENCH_ROUNDS (3), BENCH_ONLY as in request-path.bench.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { embeddedConnection, startApp, stopApp, untilHealthy, type AppProcess } from '../tests/support/app-process';
import { closedLoop, median, postgresCpu, rssMbOf, type RunResult, type Target } from './load';
import { signedIn, startBaseline, withApps, withCredits, type Account, type Baseline } from './request-path-setup';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const CASES = [
	{ label: 'wallet.balance', app: '/api/trpc/wallet.balance', bare: '/wallet.balance' },
	{ label: 'wallet.transactions', app: '/api/trpc/wallet.transactions', bare: '/wallet.transactions' },
	{ label: 'GET /catalog (SSR)', app: '/catalog', bare: '/catalog' },
	{ label: 'GET /subscriptions (SSR dashboard)', app: '/subscriptions', bare: '/subscriptions' }
];
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean) ?? [];
const SELECTED = only.length ? CASES.filter((entry) => only.some((part) => entry.label.includes(part))) : CASES;

const dirs: string[] = [];
let first: AppProcess;
let second: AppProcess;
let baseline: Baseline;
let customer: Account;

function dataDir() {
	const dir = mkdtempSync(path.join(tmpdir(), 'minispod-bench-'));
	// Embedded PostgreSQL runs as the postgres user when this runs as root: it must enter the directory.
	chmodSync(dir, 0o755);
	dirs.push(dir);
	return dir;
}

beforeAll(async () => {
	const firstDir = dataDir();
	first = await startApp(firstDir, { LOG_LEVEL: 'error' });
	await untilHealthy(first, 600_000);
	const database = embeddedConnection(firstDir);
	second = await startApp(dataDir(), {
		LOG_LEVEL: 'error',
		MINISPOD_ROLE: 'web',
		DATABASE_URL: database,
		MINISPOD_SECRET_KEY: readFileSync(path.join(firstDir, 'secret.key'), 'utf8').trim()
	});
	await untilHealthy(second, 600_000);
	baseline = await startBaseline(database);
	const pool = new pg.Pool({ connectionString: database, max: 2 });
	try {
		customer = await signedIn(pool, 'USER');
		await withCredits(pool, first.url, customer, 25);
		await withApps(pool, first.url, customer, 3);
	} finally {
		await pool.end();
	}
}, 900_000);

afterAll(async () => {
	await baseline?.stop();
	if (second) await stopApp(second);
	if (first) await stopApp(first);
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const target = (base: string, route: string): Target => ({
	url: base + route,
	headers: { cookie: customer.cookie, accept: 'text/html,application/json' }
});

type Run = { rps: number; webCpu: number; pgCpu: number; errors: number };

/** Closed loops on each server at once (connections each), with the CPU of the web processes and PostgreSQL per request. */
async function together(servers: { url: string; pid: number }[], route: string, connections: number): Promise<Run> {
	const postgresUsed = postgresCpu(dirs[0]);
	const runs: RunResult[] = await Promise.all(
		servers.map((server) => closedLoop(target(server.url, route), connections, SECONDS * 1000, server.pid))
	);
	const requests = runs.reduce((sum, run) => sum + run.requests, 0);
	return {
		rps: runs.reduce((sum, run) => sum + run.rps, 0),
		webCpu: runs.reduce((sum, run) => sum + run.cpuMs, 0) / Math.max(1, requests),
		pgCpu: postgresUsed() / Math.max(1, requests),
		errors: runs.reduce((sum, run) => sum + run.errors, 0)
	};
}

describe('web processes: one against two on the same two cores, beside the bare server', () => {
	it('measures throughput and CPU per request of the read cases', async () => {
		const bareServer = () => ({ url: baseline.url, pid: baseline.pid });
		const one = () => [{ url: first.url, pid: first.child.pid! }];
		const two = () => [...one(), { url: second.url, pid: second.child.pid! }];
		const rows = [];
		for (const entry of SELECTED) {
			// Answers first, then a warm-up of each (JIT, prepared statements, pools).
			for (const server of two()) expect((await together([server], entry.app, 1)).errors, entry.label).toBe(0);
			await together([bareServer()], entry.bare, 10);
			await together(two(), entry.app, 5);
			const runs = { bare: [] as Run[], one: [] as Run[], two: [] as Run[] };
			for (let round = 0; round < ROUNDS; round++) {
				runs.bare.push(await together([bareServer()], entry.bare, 10));
				runs.one.push(await together(one(), entry.app, 10));
				runs.two.push(await together(two(), entry.app, 5));
			}
			const of = (list: Run[], key: keyof Run) => median(list.map((run) => run[key]));
			const bareRps = of(runs.bare, 'rps');
			const cpu = (list: Run[]) => `${of(list, 'webCpu').toFixed(2)} + ${of(list, 'pgCpu').toFixed(2)} ms`;
			rows.push({
				case: entry.label,
				'bare req/s': Math.round(bareRps),
				'one process req/s (ratio)': `${Math.round(of(runs.one, 'rps'))} (${(of(runs.one, 'rps') / bareRps).toFixed(2)})`,
				'two processes req/s (ratio)': `${Math.round(of(runs.two, 'rps'))} (${(of(runs.two, 'rps') / bareRps).toFixed(2)})`,
				'CPU/req web + PostgreSQL, bare': cpu(runs.bare),
				'one process': cpu(runs.one),
				'two processes': cpu(runs.two),
				errors: [...runs.one, ...runs.two].reduce((sum, run) => sum + run.errors, 0)
			});
		}
		console.log(`\nOne web process against two, medians of ${ROUNDS} interleaved rounds of ${SECONDS} s (10 connections in all)`);
		console.table(rows);
		console.log(`RSS after the runs: first process ${rssMbOf(first.child.pid!)} MB, second ${rssMbOf(second.child.pid!)} MB`);
	});
});
