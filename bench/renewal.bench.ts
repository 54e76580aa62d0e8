// `npm run bench`: renewals per second. 100,000 subscriptions fall due at once on one
// database and two worker processes sweep them together (FOR UPDATE SKIP LOCKED); afterwards
// every one must have been charged exactly once and the money invariants must hold.
// Prints the figure (nothing fails on timing; the target is all of them in under 60 s on
// a 2-core machine).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { startTestRuntime, type TestRuntime } from '../tests/support/runtime';
import { planOf } from '../tests/support/fixtures';
import { expectInvariants } from '../tests/support/invariants';

/** BENCH_RENEWALS runs it smaller (to look at a change quickly). */
const SUBSCRIPTIONS = Number(process.env.BENCH_RENEWALS ?? 100_000);
const WORKERS = 2;
const CREDIT = 1_000_000;

let runtime: TestRuntime;
let dataDir: string;
beforeAll(async () => {
	runtime = await startTestRuntime();
	dataDir = mkdtempSync(path.join(os.tmpdir(), 'minispod-bench-workers-'));
});
afterAll(async () => {
	await runtime?.close();
	rmSync(dataDir, { recursive: true, force: true });
});

/** Customers with credit (a completed ledger row each) and one ACTIVE subscription due at `due`. */
async function seedDue(count: number, due: Date) {
	const plan = await planOf(runtime.db, 'memos', 'PRO');
	const start = new Date(due.getTime() - 30 * 86_400_000);
	// The anchor is the due moment itself, so the next period ends a month after it.
	await runtime.db.execute(sql`
		INSERT INTO users (name, email, password_hash, credit_balance, total_top_up)
		SELECT 'Bench ' || i, 'bench-' || i || '@example.com', 'not-a-login', ${CREDIT}, ${CREDIT}
		FROM generate_series(1, ${count}) AS i`);
	await runtime.db.execute(sql`
		INSERT INTO transactions (user_id, type, status, amount, balance_before, balance_after, description, idempotency_key, payment_method, completed_at)
		SELECT id, 'TOP_UP', 'COMPLETED', ${CREDIT}, 0, ${CREDIT}, 'Benchmark credit', 'bench-credit:' || id, 'ADMIN_MANUAL', now()
		FROM users WHERE email LIKE 'bench-%'`);
	await runtime.db.execute(sql`
		INSERT INTO subscriptions (user_id, service_id, plan_id, status, start_date, billing_anchor, current_period_start, end_date, monthly_price)
		SELECT id, ${plan.serviceId}, ${plan.id}, 'ACTIVE', ${start}, ${due}, ${start}, ${due}, ${plan.monthlyPrice}
		FROM users WHERE email LIKE 'bench-%'`);
	await runtime.db.execute(sql`
		UPDATE service_plans SET total_quota = used_quota + ${count}, used_quota = used_quota + ${count} WHERE id = ${plan.id}`);
	await runtime.db.execute(sql`ANALYZE`);
	return plan;
}

type WorkerResult = { renewed: number; pastDue: number; failed: number; ms: number };

/** A worker process, booted and waiting for `go`. */
async function startWorker(databaseUrl: string, now: Date) {
	const child: ChildProcess = spawn(
		process.execPath,
		['--import', 'tsx', 'bench/renewal-worker.ts', databaseUrl, now.toISOString()],
		{
			env: { ...process.env, BENCH_DATA_DIR: dataDir },
			stdio: ['pipe', 'pipe', 'inherit']
		}
	);
	const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
	const next = async () => {
		const { value, done } = await lines.next();
		if (done) throw new Error('the benchmark worker stopped early');
		return String(value);
	};
	while ((await next()) !== 'ready');
	return {
		go: async (): Promise<WorkerResult> => {
			child.stdin!.write('go\n');
			for (;;) {
				const line = await next();
				if (line.startsWith('{')) return JSON.parse(line) as WorkerResult;
			}
		},
		exited: new Promise<number | null>((resolve) => child.once('exit', resolve))
	};
}

describe('renewal sweep', () => {
	it(`renews ${SUBSCRIPTIONS.toLocaleString('en-US')} due subscriptions with ${WORKERS} worker processes, each exactly once`, async () => {
		const due = new Date(Date.now() - 86_400_000);
		const seeding = performance.now();
		const plan = await seedDue(SUBSCRIPTIONS, due);
		const seeded = (performance.now() - seeding) / 1000;
		console.log(`seeded ${SUBSCRIPTIONS} due subscriptions in ${seeded.toFixed(1)} s`);

		const now = new Date();
		const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(runtime.config.databaseUrl!, now)));
		const started = performance.now();
		const results = await Promise.all(workers.map((worker) => worker.go()));
		const seconds = (performance.now() - started) / 1000;
		await Promise.all(workers.map((worker) => worker.exited));

		const charged = await runtime.db.execute<{ subscriptions: number; charges: number; twice: number }>(sql`
			SELECT count(DISTINCT subscription_id)::int AS subscriptions, count(*)::int AS charges,
				(SELECT count(*)::int FROM (
					SELECT subscription_id FROM transactions
					WHERE type = 'SUBSCRIPTION' AND metadata->>'periodStart' = ${due.toISOString()}
					GROUP BY subscription_id HAVING count(*) > 1) AS doubled) AS twice
			FROM transactions WHERE type = 'SUBSCRIPTION' AND metadata->>'periodStart' = ${due.toISOString()}`);
		const { subscriptions, charges, twice } = charged.rows[0];
		expect(twice).toBe(0);
		expect(subscriptions).toBe(SUBSCRIPTIONS);
		expect(charges).toBe(SUBSCRIPTIONS);
		expect(results.reduce((sum, result) => sum + result.renewed, 0)).toBe(SUBSCRIPTIONS);
		const left = await runtime.db.execute<{ n: number }>(
			sql`SELECT count(*)::int AS n FROM subscriptions WHERE plan_id = ${plan.id} AND end_date <= ${now}`
		);
		expect(left.rows[0].n).toBe(0);
		await expectInvariants(runtime.db);

		console.log(`\nRenewal sweep (${WORKERS} worker processes, one database; seeding took ${seeded.toFixed(1)} s)`);
		console.table([
			...results.map((result, index) => ({
				case: `worker ${index + 1}`,
				renewed: result.renewed,
				'past due': result.pastDue,
				failed: result.failed,
				seconds: (result.ms / 1000).toFixed(1)
			})),
			{
				case: 'all',
				renewed: SUBSCRIPTIONS,
				'past due': 0,
				failed: 0,
				seconds: seconds.toFixed(1),
				'renewals/s': Math.round(SUBSCRIPTIONS / seconds)
			}
		]);
	});
});
