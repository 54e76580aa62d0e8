// `npm run bench`: how fast buying and provisioning are on this machine. Prints figures
// (nothing passes or fails on timing): subscribe calls per second while many customers
// compete for one plan's slots, and the time from subscribe to RUNNING on the Kubernetes
// emulator with real pg-boss workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { serviceInstances, servicePlans } from '../src/lib/server/db/schema';
import { newCustomer, startTestRuntime, type TestRuntime } from '../tests/support/runtime';
import { planOf, settle } from '../tests/support/fixtures';
import { expectInvariants } from '../tests/support/invariants';
import { summary } from './stats';
import { parseConfig } from '../src/lib/server/config.js';

let runtime: TestRuntime;

/** Each measurement gets its own runtime, so one's queued jobs do not slow the other. */
function withRuntime(work: boolean) {
	beforeAll(async () => {
		runtime = await startTestRuntime({ work });
	});
	afterAll(async () => {
		await expectInvariants(runtime.db);
		await runtime?.close();
	});
}

describe('subscribe under contention', () => {
	// No workers: only the subscribe transactions are measured.
	withRuntime(false);

	it('measures subscribe calls per second with customers racing for slots', async () => {
		const rows = [];
		for (const [racers, slots] of [
			[50, 50],
			[100, 10]
		] as const) {
			const plan = await planOf(runtime.db, 'memos', 'BASIC');
			await runtime.db
				.update(servicePlans)
				.set({ totalQuota: plan.usedQuota + slots })
				.where(eq(servicePlans.id, plan.id));
			const customers = await Promise.all(Array.from({ length: racers }, () => newCustomer(runtime, 100_000)));
			const started = performance.now();
			const { fulfilled, rejected } = await settle(customers.map(({ api }) => api.subscriptions.subscribe({ planId: plan.id })));
			const seconds = (performance.now() - started) / 1000;
			expect(fulfilled).toHaveLength(slots);
			rows.push({
				case: `${racers} customers, ${slots} slots`,
				won: fulfilled.length,
				refused: rejected.length,
				'calls/s': Math.round(racers / seconds)
			});
		}
		console.log('\nSubscribe under contention');
		console.table(rows);
	});
});

describe('provisioning on the emulator', () => {
	withRuntime(true);

	it('measures the time from subscribe to RUNNING', async () => {
		const plan = await planOf(runtime.db, 'uptime-kuma', 'FREE');
		await runtime.db.update(servicePlans).set({ totalQuota: 1000 }).where(eq(servicePlans.id, plan.id));
		const samples: number[] = [];
		for (let round = 0; round < 3; round++) {
			const customers = await Promise.all(Array.from({ length: 4 }, () => newCustomer(runtime, 0)));
			const timings = await Promise.all(
				customers.map(async ({ api }) => {
					const started = performance.now();
					const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
					await untilRunning([instanceId]);
					return performance.now() - started;
				})
			);
			samples.push(...timings);
		}
		console.log(`\nSubscribe to RUNNING (emulator pods ready after ${runtime.config.kube.emulatorPodReadyMs} ms, 4 at a time)`);
		console.table([summary('subscribe to RUNNING', samples)]);
	});
});

describe('a burst of set-ups', () => {
	// Waiting for readiness holds no worker, so a burst drains at the pace of the cluster.
	// Targets: all RUNNING within 5 s of the last call with pods ready at once, within 40 s
	// with pods that take 30 s. The emulator runs in a process of its own, as with `npm start`
	// and as a real API server does, so the figures are MinisPod's and not the stand-in's.
	it('measures a burst of 120 subscribes, with instant pods and with 30-second pods', async () => {
		const rows = [];
		for (const [podReadyDelayMs, target] of [
			[0, 5_000],
			[30_000, 40_000]
		] as const) {
			const emulator = await emulatorProcess(podReadyDelayMs);
			runtime = await startTestRuntime({ work: true, env: { KUBECONFIG: emulator.kubeconfig } });
			try {
				rows.push({ ...(await burst(podReadyDelayMs)), target: `${target / 1000} s` });
				await expectInvariants(runtime.db);
			} finally {
				await runtime.close();
				await emulator.stop();
			}
		}
		console.log('\nBurst of 120 subscribes to RUNNING (subscribe call to RUNNING per app)');
		console.table(rows);
	});
});

/** 120 customers subscribe at once; figures from the first call to the last app RUNNING. */
async function burst(podReadyDelayMs: number) {
	const plan = await planOf(runtime.db, 'memos', 'FREE');
	await runtime.db
		.update(servicePlans)
		.set({ totalQuota: plan.usedQuota + 200 })
		.where(eq(servicePlans.id, plan.id));
	const customers = await Promise.all(Array.from({ length: 120 }, () => newCustomer(runtime, 0)));
	const profiler = await startProfile();
	const queries = await countQueries();
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const calls = await Promise.all(
		customers.map(async ({ api }) => {
			const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
			return { instanceId, calledAt: performance.now() };
		})
	);
	const lastCall = Math.max(...calls.map((call) => call.calledAt));
	const runningAt = await untilRunning(calls.map((call) => call.instanceId));
	const afterLast = Math.max(...runningAt.values()) - lastCall;
	const cpu = process.cpuUsage(cpuBefore);
	const sent = queries.stop();
	await profiler?.stop(`burst-${podReadyDelayMs}`, sent.counts);
	const toRunning = calls.map((call) => runningAt.get(call.instanceId)! - call.calledAt);
	return {
		...summary(`pods ready after ${podReadyDelayMs / 1000} s`, toRunning),
		'burst of calls': `${((lastCall - started) / 1000).toFixed(1)} s`,
		'all RUNNING after last call': `${(afterLast / 1000).toFixed(1)} s`,
		// MinisPod's own CPU (web, workers, and this bench's polling): the share of the burst
		// that does not depend on how busy the rest of the machine is.
		'CPU per app': `${((cpu.user + cpu.system) / 1000 / customers.length).toFixed(1)} ms`,
		'statements per app': Math.round(sent.total / customers.length)
	};
}

/** The emulator in its own process (bench/emulator-process.ts), with its kubeconfig written to a file. */
async function emulatorProcess(podReadyDelayMs: number) {
	const child = fork('bench/emulator-process.ts', [String(podReadyDelayMs), parseConfig({}).kube.ingressNamespace], {
		// With BENCH_PROFILE, the emulator's own CPU profile too (written when it exits).
		execArgv: [
			'--import',
			'tsx',
			...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])
		],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const { kubeconfig } = await new Promise<{ kubeconfig: string }>((resolve, reject) => {
		child.once('message', (message) => resolve(message as { kubeconfig: string }));
		child.once('exit', (code) => reject(new Error(`The emulator process exited (code ${code}) before it was ready`)));
	});
	const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'minispod-bench-kube-')), 'kubeconfig.json');
	writeFileSync(file, kubeconfig, { mode: 0o600 });
	return {
		kubeconfig: file,
		stop: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.disconnect();
			await exited;
			rmSync(path.dirname(file), { recursive: true, force: true });
		}
	};
}

/** Resolves when every instance is RUNNING, with when each became so (performance.now()). */
async function untilRunning(instanceIds: string[]) {
	const runningAt = new Map<string, number>();
	while (runningAt.size < instanceIds.length) {
		const rows = await runtime.db
			.select({ id: serviceInstances.id, status: serviceInstances.status, reason: serviceInstances.statusReason })
			.from(serviceInstances)
			.where(inArray(serviceInstances.id, instanceIds));
		const now = performance.now();
		for (const row of rows) {
			if (row.status === 'ERROR') throw new Error(row.reason ?? 'provisioning failed');
			if (row.status === 'RUNNING' && !runningAt.has(row.id)) runningAt.set(row.id, now);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return runningAt;
}

/**
 * Counts the statements sent to PostgreSQL by this process (app, pg-boss and bench alike),
 * by their text, until stopped.
 */
async function countQueries() {
	const pg = (await import('pg')).default;
	const counts = new Map<string, number>();
	const original = pg.Client.prototype.query;
	pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
		const config = args[0] as string | { text?: string } | undefined;
		const text = typeof config === 'string' ? config : (config?.text ?? '?');
		const key = text.replace(/\s+/g, ' ').trim().slice(0, 120);
		counts.set(key, (counts.get(key) ?? 0) + 1);
		return (original as (...a: unknown[]) => unknown).apply(this, args);
	} as typeof original;
	return {
		stop() {
			pg.Client.prototype.query = original;
			return { total: [...counts.values()].reduce((sum, n) => sum + n, 0), counts };
		}
	};
}

/**
 * With BENCH_PROFILE=<dir>: a CPU profile of this process (app, workers and emulator) and the
 * statements it sent, most frequent first, per case.
 */
async function startProfile() {
	const dir = process.env.BENCH_PROFILE;
	if (!dir) return undefined;
	const { Session } = await import('node:inspector/promises');
	const { writeFile } = await import('node:fs/promises');
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.start');
	return {
		async stop(name: string, queries: Map<string, number>) {
			const { profile } = await session.post('Profiler.stop');
			session.disconnect();
			await writeFile(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
			const lines = [...queries].sort((a, b) => b[1] - a[1]).map(([text, n]) => `${n}\t${text}`);
			await writeFile(`${dir}/${name}.queries.txt`, lines.join('\n') + '\n');
		}
	};
}
