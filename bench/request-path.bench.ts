// `npm run bench`: MinisPod's request path and money writes against what PostgreSQL and a
// bare node:http + pg server allow, on this machine, in one run (issue 16's targets are
// ratios of these). The built app runs as `npm start` runs it (build first: `npm run build`),
// on its own embedded PostgreSQL; the bare baseline (bench/baseline-server.ts) and the
// pgbench-like writes use the same database. Each case runs interleaved with its baseline
// for several rounds and the tables show medians. Nothing here passes or fails on timing.
// The money writes show where a write's CPU goes: the web process's and PostgreSQL's (its
// postmaster and every process it started) per adjustment, and PostgreSQL's per pgbench-like write.
// BENCH_SECONDS (per run, default 3), BENCH_ROUNDS (default 3), BENCH_MIXED_SECONDS (default 60);
// BENCH_MEMORY_MINUTES (default 0, off) adds a quiet mixed load of that many minutes with the
// RSS sampled (`-t memory` runs only the memory cases). BENCH_ONLY (comma-separated parts of
// case labels, e.g. `balance,SSR`) keeps only those read cases; with `-t 'request path'` the
// run measures just them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { childPids, embeddedConnection, startApp, stopApp, untilHealthy, type AppProcess } from '../tests/support/app-process';
import { closedLoop, cpuMsOf, fixedRate, median, postgresCpu, rssMbOf, type RunResult, type Target } from './load';
import {
	adjustment,
	pgbenchTables,
	pgbenchWrite,
	signedIn,
	startBaseline,
	withApps,
	withCredits,
	type Account,
	type Baseline
} from './request-path-setup';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MIXED_SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const MEMORY_MINUTES = Number(process.env.BENCH_MEMORY_MINUTES ?? 0);

let dataDir: string;
let app: AppProcess;
let appPid: number;
let baseline: Baseline;
let pool: pg.Pool;
let customer: Account;
let admin: Account;
let writers: Account[];

beforeAll(async () => {
	dataDir = mkdtempSync(path.join(tmpdir(), 'minispod-bench-'));
	// Embedded PostgreSQL runs as the postgres user when this runs as root: it must enter the directory.
	chmodSync(dataDir, 0o755);
	app = await startApp(dataDir, { LOG_LEVEL: 'error' });
	// A stale build is rebuilt first (scripts/build-if-stale.js), which takes minutes here.
	await untilHealthy(app, 600_000);
	appPid = app.child.pid!;
	pool = new pg.Pool({ connectionString: embeddedConnection(dataDir), max: 10 });
	customer = await signedIn(pool, 'USER');
	admin = await signedIn(pool, 'ADMINISTRATOR');
	writers = [];
	for (let i = 0; i < 8; i++) writers.push(await signedIn(pool, 'USER'));
	baseline = await startBaseline(embeddedConnection(dataDir));
	// A history to page through: 25 credits on the reading customer, through the app.
	await withCredits(pool, app.url, customer, 25);
	await withApps(pool, app.url, customer, 3);
}, 900_000);

afterAll(async () => {
	await baseline?.stop();
	await pool?.end();
	if (app) await stopApp(app);
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const trpc = (procedure: string) => `/api/trpc/${procedure}`;

/** `target`: issue 16's throughput target for the case, as a share of the bare server's rate. */
type ReadCase = { label: string; app: string; baseline: string; target: number };
const ALL_READS: ReadCase[] = [
	{ label: 'catalog.services', app: trpc('catalog.services'), baseline: '/catalog.services', target: 0.7 },
	{ label: 'wallet.balance', app: trpc('wallet.balance'), baseline: '/wallet.balance', target: 0.7 },
	{ label: 'wallet.transactions', app: trpc('wallet.transactions'), baseline: '/wallet.transactions', target: 0.7 },
	{ label: 'GET /catalog (SSR)', app: '/catalog', baseline: '/catalog', target: 0.5 },
	{ label: 'GET /subscriptions (SSR dashboard)', app: '/subscriptions', baseline: '/subscriptions', target: 0.5 }
];
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean) ?? [];
const READS = only.length ? ALL_READS.filter((read) => only.some((part) => read.label.includes(part))) : ALL_READS;

function read(base: string, route: string): Target {
	return { url: base + route, headers: { cookie: customer.cookie, accept: 'text/html,application/json' } };
}

/** An adjustment by the bench's administrator to the customer `pick` names. */
const adjust = (pick: () => string) => adjustment(app.url, admin, pick);

const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The length of one answer's body. */
async function bodyBytes(target: Target): Promise<number> {
	const response = await fetch(target.url, { headers: target.headers });
	return (await response.arrayBuffer()).byteLength;
}
const ratio = (value: number) => value.toFixed(2);
const cpuPerRequest = (run: RunResult) => run.cpuMs / Math.max(1, run.requests);

type AtTen = { bareRps: number; oursCpu: number };
/** Each read case at 10 connections as the throughput test measured it: the floors' table reads it. */
const atTen = new Map<string, AtTen>();

/** A read case at 10 connections, interleaved with its baseline, when the throughput test did not run. */
async function measureAtTen(target: ReadCase): Promise<AtTen> {
	const [bareRps, oursCpu]: number[][] = [[], []];
	await closedLoop(read(app.url, target.app), 10, SECONDS * 1000, appPid);
	await closedLoop(read(baseline.url, target.baseline), 10, SECONDS * 1000, baseline.pid);
	for (let round = 0; round < ROUNDS; round++) {
		oursCpu.push(cpuPerRequest(await closedLoop(read(app.url, target.app), 10, SECONDS * 1000, appPid)));
		bareRps.push((await closedLoop(read(baseline.url, target.baseline), 10, SECONDS * 1000, baseline.pid)).rps);
	}
	return { bareRps: median(bareRps), oursCpu: median(oursCpu) };
}

describe('request path: MinisPod against a bare node:http + pg server on the same SQL', () => {
	it('measures throughput and CPU per request at 10 and 50 connections', async () => {
		// Answers first, then a warm-up of every case on both servers (JIT, prepared statements, pools).
		// The size of each answer is shown beside the ratios: writing the bytes is part of the cost.
		const sizes = new Map<string, string>();
		for (const target of READS) {
			const [ours, bare] = await Promise.all([
				bodyBytes(read(app.url, target.app)),
				bodyBytes(read(baseline.url, target.baseline))
			]);
			sizes.set(target.label, `${kb(ours)} / ${kb(bare)}`);
			expect((await closedLoop(read(app.url, target.app), 1, 200, appPid)).errors, target.label).toBe(0);
			expect((await closedLoop(read(baseline.url, target.baseline), 1, 200, baseline.pid)).errors, target.label).toBe(0);
			await closedLoop(read(app.url, target.app), 10, SECONDS * 1000, appPid);
			await closedLoop(read(baseline.url, target.baseline), 10, SECONDS * 1000, baseline.pid);
		}
		const runs = new Map<string, { app: RunResult[]; bare: RunResult[] }>();
		for (let round = 0; round < ROUNDS; round++) {
			for (const target of READS) {
				for (const connections of [10, 50]) {
					const key = `${target.label}|${connections}`;
					const entry = runs.get(key) ?? { app: [], bare: [] };
					runs.set(key, entry);
					// Alternate which goes first, so a drift in the machine's load hits both alike.
					const order = round % 2 === 0 ? ['app', 'bare'] : ['bare', 'app'];
					for (const which of order) {
						if (which === 'app') entry.app.push(await closedLoop(read(app.url, target.app), connections, SECONDS * 1000, appPid));
						else
							entry.bare.push(await closedLoop(read(baseline.url, target.baseline), connections, SECONDS * 1000, baseline.pid));
					}
				}
			}
		}
		const rows = [...runs].map(([key, { app: ours, bare }]) => {
			const [label, connections] = key.split('|');
			const oursRps = median(ours.map((run) => run.rps));
			const bareRps = median(bare.map((run) => run.rps));
			const oursCpu = median(ours.map(cpuPerRequest));
			const bareCpu = median(bare.map(cpuPerRequest));
			if (connections === '10') atTen.set(label, { bareRps, oursCpu });
			return {
				case: label,
				connections: Number(connections),
				'MinisPod req/s': Math.round(oursRps),
				'bare req/s': Math.round(bareRps),
				'throughput ratio': ratio(oursRps / bareRps),
				'MinisPod CPU/req': ms(oursCpu),
				'bare CPU/req': ms(bareCpu),
				'CPU ratio': `${(oursCpu / bareCpu).toFixed(1)}x`,
				'MinisPod p99': ms(median(ours.map((run) => run.p99))),
				'KB per answer, MinisPod / bare': sizes.get(label),
				errors: ours.reduce((sum, run) => sum + run.errors, 0)
			};
		});
		console.log(`\nRequest path, medians of ${ROUNDS} interleaved rounds of ${SECONDS} s`);
		console.table(rows);
	});

	it('measures the cheapest call and page MinisPod serves against the CPU each target leaves a request', async () => {
		// The cheapest call: a signed-in query whose answer the process holds (the catalog's
		// categories): the session lookup and the direct path's handling of a tRPC call, no other
		// SQL. The cheapest page: a signed-in visit to a path no route serves, the site's layout
		// around the 404 message: the session lookup, the server hook and SvelteKit rendering a
		// page with the layout's data, and no load of its own.
		const floors = {
			call: read(app.url, trpc('catalog.categories')),
			page: { ...read(app.url, '/no-such-page'), status: 404 }
		};
		const kinds = ['call', 'page'] as const;
		const cpu = { call: [] as number[], page: [] as number[] };
		for (const kind of kinds) {
			expect((await closedLoop(floors[kind], 1, 200, appPid)).errors, kind).toBe(0);
			await closedLoop(floors[kind], 10, SECONDS * 1000, appPid);
		}
		for (let round = 0; round < ROUNDS; round++) {
			for (const kind of kinds) cpu[kind].push(cpuPerRequest(await closedLoop(floors[kind], 10, SECONDS * 1000, appPid)));
		}
		const floor = { call: median(cpu.call), page: median(cpu.page) };
		const ms2 = (value: number) => `${value.toFixed(2)} ms`;
		const rows = [];
		for (const target of READS) {
			const measured = atTen.get(target.label) ?? (await measureAtTen(target));
			// The web process is one thread: at the target rate, one core's CPU shared by its requests.
			const budget = 1000 / (target.target * measured.bareRps);
			const kind = target.app.startsWith('/api/trpc/') ? 'call' : 'page';
			rows.push({
				case: target.label,
				target: target.target,
				'bare req/s': Math.round(measured.bareRps),
				'CPU a request may take': ms2(budget),
				'MinisPod CPU/req': ms2(measured.oursCpu),
				floor: `${kind} ${ms2(floor[kind])}`,
				'left for the case itself': ms2(budget - floor[kind])
			});
		}
		console.log(
			`\nThe cheapest signed-in call (catalog.categories, held in the process) and page (a 404 in the site's layout), medians of ${ROUNDS} rounds` +
				` of ${SECONDS} s at 10 connections: ${ms2(floor.call)} and ${ms2(floor.page)} of CPU.` +
				' A case reaches its target only if its CPU per request fits in one core at the target rate (the web process is one thread):'
		);
		console.table(rows);
	});

	it('measures p99 at a fixed 200 requests per second on up to 50 connections', async () => {
		const rows = [];
		for (const target of READS) {
			const ours = await fixedRate(read(app.url, target.app), 200, SECONDS * 2000, 50, appPid);
			const bare = await fixedRate(read(baseline.url, target.baseline), 200, SECONDS * 2000, 50, baseline.pid);
			rows.push({
				case: target.label,
				'MinisPod req/s': Math.round(ours.rps),
				'MinisPod p50': ms(ours.p50),
				'MinisPod p99': ms(ours.p99),
				'bare req/s': Math.round(bare.rps),
				'bare p99': ms(bare.p99),
				errors: ours.errors
			});
		}
		console.log('\nFixed rate: 200 req/s offered for', SECONDS * 2, 's (latency from when each request was due)');
		console.table(rows);
	});
});

/**
 * `clients` loops of pgbench-like writes for `durationMs`; each client on `account(i)`. Returns
 * writes per second and PostgreSQL's CPU per write (read before the connections close).
 */
async function pgbenchRun(clients: number, account: (client: number) => number, durationMs: number, notify = false) {
	const bench = new pg.Pool({ connectionString: embeddedConnection(dataDir), max: clients });
	let operations = 0;
	const postgresUsed = postgresCpu(dataDir);
	const started = performance.now();
	const until = started + durationMs;
	await Promise.all(
		Array.from({ length: clients }, async (_, index) => {
			const client = await bench.connect();
			try {
				while (performance.now() < until) {
					await pgbenchWrite(client, account(index), notify);
					operations += 1;
				}
			} finally {
				client.release();
			}
		})
	);
	const seconds = (performance.now() - started) / 1000;
	const postgresMs = postgresUsed() / operations;
	await bench.end();
	return { rps: operations / seconds, postgresMs };
}

/** Seconds until the outbox has no mail waiting to be sent. */
async function mailsSent(): Promise<number> {
	const started = performance.now();
	for (;;) {
		const { rows } = await pool.query(`SELECT count(*)::int AS n FROM mail_outbox WHERE status = 'QUEUED'`);
		if (rows[0].n === 0) return (performance.now() - started) / 1000;
		if (performance.now() - started > 600_000) throw new Error(`${rows[0].n} mails still queued after 10 minutes`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe('money writes: admin.wallet.adjust against pgbench-like UPDATE + INSERT', () => {
	it('measures 8 clients on 8 customers and 8 clients on one', async () => {
		await pgbenchTables(pool, 8);
		let next = 0;
		const spread = adjust(() => writers[next++ % writers.length].id);
		const hot = adjust(() => writers[0].id);
		// target: issue 16's share of the pgbench-like rate.
		const cases = [
			{ label: '8 clients, 8 customers', ours: spread, bare: (client: number) => client + 1, target: 0.3 },
			{ label: '8 clients, 1 customer', ours: hot, bare: () => 1, target: 0.5 }
		];
		const rows = [];
		const ms = (values: number[]) => `${median(values).toFixed(2)} ms`;
		for (const { label, ours, bare, target } of cases) {
			const [answeredRps, oursRps, bareRps, drainSeconds]: number[][] = [[], [], [], []];
			// CPU per write: the web process's and PostgreSQL's for an adjustment with its mail
			// sent, PostgreSQL's for a pgbench-like write (all on the same two cores as the load
			// generator).
			const [webMs, postgresMs, barePostgresMs]: number[][] = [[], [], []];
			for (let round = 0; round < ROUNDS; round++) {
				const postgresUsed = postgresCpu(dataDir);
				const webBefore = cpuMsOf(appPid);
				const run = await closedLoop(ours, 8, SECONDS * 1000, appPid);
				expect(run.errors, label).toBe(0);
				answeredRps.push(run.rps);
				// Each adjustment mails the customer: the worker sends the mails after the answers,
				// and a backlog left running would slow the pgbench-like round that follows.
				const drain = await mailsSent();
				drainSeconds.push(drain);
				oursRps.push(run.requests / (run.seconds + drain));
				webMs.push((cpuMsOf(appPid) - webBefore) / run.requests);
				postgresMs.push(postgresUsed() / run.requests);
				const pgbench = await pgbenchRun(8, bare, SECONDS * 1000);
				bareRps.push(pgbench.rps);
				barePostgresMs.push(pgbench.postgresMs);
			}
			rows.push({
				case: label,
				'answered/s': Math.round(median(answeredRps)),
				'mails sent after': `${median(drainSeconds).toFixed(1)} s`,
				'adjust/s': Math.round(median(oursRps)),
				'pgbench-like/s': Math.round(median(bareRps)),
				ratio: ratio(median(oursRps) / median(bareRps)),
				'answered ratio': ratio(median(answeredRps) / median(bareRps)),
				'web CPU/adjust': ms(webMs),
				'PostgreSQL CPU/adjust': ms(postgresMs),
				'PostgreSQL CPU/pgbench-like': ms(barePostgresMs),
				// The two cores' CPU per adjustment at the target rate, for the web process,
				// PostgreSQL and the load generator together.
				'CPU an adjustment may take': `${(2000 / (target * median(bareRps))).toFixed(2)} ms`
			});
		}
		console.log(
			`\nMoney writes, medians of ${ROUNDS} interleaved rounds of ${SECONDS} s. adjust/s counts an adjustment done when` +
				' the mail it causes is sent too (the time until the outbox has nothing queued); answered/s counts the answers alone.' +
				' At the target rate (0.3 of the pgbench-like rate on 8 rows, 0.5 on one) the two cores leave an adjustment the CPU in the last column.'
		);
		console.table(rows);
	});

	it('measures what a pg_notify inside the write transaction costs pgbench-like writes', async () => {
		await pgbenchTables(pool, 8);
		const rows = [];
		for (const { label, account } of [
			{ label: '8 clients, 8 rows', account: (client: number) => client + 1 },
			{ label: '8 clients, 1 row', account: () => 1 }
		]) {
			const plain: number[] = [];
			const notifying: number[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				plain.push((await pgbenchRun(8, account, SECONDS * 1000)).rps);
				notifying.push((await pgbenchRun(8, account, SECONDS * 1000, true)).rps);
			}
			rows.push({
				case: label,
				'pgbench-like/s': Math.round(median(plain)),
				'with pg_notify/s': Math.round(median(notifying)),
				ratio: ratio(median(notifying) / median(plain))
			});
		}
		console.log(`\npg_notify in the transaction, medians of ${ROUNDS} interleaved rounds of ${SECONDS} s`);
		console.table(rows);
	});
});

/**
 * The reads in turn on `connections` connections for `durationMs` (each request takes the
 * next read case).
 */
function mixedReads(connections: number, durationMs: number) {
	let turn = 0;
	const reads = READS.map((target) => app.url + target.app);
	return closedLoop(
		{
			get url() {
				return reads[turn++ % reads.length];
			},
			headers: { cookie: customer.cookie, accept: 'text/html,application/json' }
		},
		connections,
		durationMs,
		appPid
	);
}

describe('memory after a mixed load', () => {
	it('reports the web process and the stand-ins process (Kubernetes emulator, Midtrans simulator) apart', async () => {
		const [standIns] = childPids(appPid, 'standins/main.ts');
		const before = { web: rssMbOf(appPid), standIns: standIns ? rssMbOf(standIns) : NaN };
		const cpuBefore = cpuMsOf(appPid);
		// Each request takes the next read case in turn; the adjustments run after them.
		const run = await mixedReads(20, MIXED_SECONDS * 1000);
		const writes = await closedLoop(
			adjust(() => customer.id),
			4,
			Math.min(10, MIXED_SECONDS) * 1000,
			appPid
		);
		const after = { web: rssMbOf(appPid), standIns: standIns ? rssMbOf(standIns) : NaN };
		console.log(`\nMemory (RSS) before and after ${MIXED_SECONDS} s of mixed reads (20 connections) and 10 s of adjustments`);
		console.table([
			{ process: 'web (SvelteKit + tRPC + workers)', 'before MB': before.web, 'after MB': after.web },
			{
				process: 'stand-ins (Kubernetes emulator + Midtrans simulator)',
				'before MB': before.standIns,
				'after MB': after.standIns
			}
		]);
		console.log(
			`mixed load: ${run.requests} reads (${Math.round(run.rps)}/s), ${writes.requests} adjustments, web CPU ${Math.round(cpuMsOf(appPid) - cpuBefore)} ms; load average ${execSync('cat /proc/loadavg').toString().trim()}`
		);
		expect(run.errors + writes.errors).toBe(0);
	});
});

describe.runIf(MEMORY_MINUTES > 0)('memory over a quiet mixed load (BENCH_MEMORY_MINUTES)', () => {
	it(
		'samples the RSS of the web process and of the stand-ins process apart',
		async () => {
			const [standIns] = childPids(appPid, 'standins/main.ts');
			const samples: { minute: number; web: number; standIns: number }[] = [];
			const sample = (minute: number) =>
				samples.push({ minute, web: rssMbOf(appPid), standIns: standIns ? rssMbOf(standIns) : NaN });
			sample(0);
			let reads = 0;
			let writes = 0;
			let errors = 0;
			// Each minute: 50 s of reads on 4 connections and 10 s of adjustments on one, about a
			// third of what the machine can serve, so the figure is memory, not a backlog.
			for (let minute = 1; minute <= MEMORY_MINUTES; minute++) {
				const read = await mixedReads(4, 50_000);
				const write = await closedLoop(
					adjust(() => customer.id),
					1,
					10_000,
					appPid
				);
				reads += read.requests;
				writes += write.requests;
				errors += read.errors + write.errors;
				sample(minute);
			}
			const web = samples.map((entry) => entry.web);
			console.log(`\nMemory (RSS, MB) over ${MEMORY_MINUTES} minutes of quiet mixed load: ${reads} reads, ${writes} adjustments`);
			console.table(samples);
			console.log(
				`web: ${web.at(-1)} MB at the end, ${Math.max(...web)} MB at most; stand-ins: ${samples.at(-1)!.standIns} MB; load average ${execSync('cat /proc/loadavg').toString().trim()}`
			);
			expect(errors).toBe(0);
		},
		(MEMORY_MINUTES * 60 + 120) * 1000
	);
});
