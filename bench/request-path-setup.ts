// What the request-path benchmark runs against: the built app as `npm start` runs it (with
// its stand-ins in a child process), the bare baseline server, signed-in sessions made
// straight in the database, and the pgbench-like writes on tables of their own.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Target } from './load';

export type Account = { id: string; cookie: string };

/** A user with a session: the cookie a browser would send after logging in. */
export async function signedIn(pool: pg.Pool, role: 'USER' | 'ADMINISTRATOR'): Promise<Account> {
	const { rows } = await pool.query(
		`INSERT INTO users (name, email, password_hash, role, email_verified_at) VALUES ($1, $2, 'x', $3, now()) RETURNING id`,
		[`Bench ${role}`, `bench-${randomUUID()}@minispod.local`, role]
	);
	const token = randomBytes(20).toString('hex');
	await pool.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '30 days')`, [
		createHash('sha256').update(token).digest('hex'),
		rows[0].id
	]);
	return { id: rows[0].id, cookie: `minispod_session=${token}` };
}

/**
 * Gives the reading customer a dashboard to show: `count` apps on free plans of different
 * services, subscribed through the app, and waits until their set-up is over so it does not
 * run under the measurements.
 */
export async function withApps(pool: pg.Pool, appUrl: string, account: Account, count: number) {
	const { rows: plans } = await pool.query(
		`SELECT DISTINCT ON (service_id) id FROM service_plans
		 WHERE is_active AND monthly_price = 0 AND total_quota > used_quota ORDER BY service_id, sort_order LIMIT $1`,
		[count]
	);
	if (plans.length < count) throw new Error(`only ${plans.length} free plans with a slot`);
	for (const [index, plan] of plans.entries()) {
		const response = await fetch(`${appUrl}/api/trpc/subscriptions.subscribe`, {
			method: 'POST',
			headers: { cookie: account.cookie, origin: appUrl, 'content-type': 'application/json' },
			body: JSON.stringify({ json: { planId: plan.id, name: `Bench app ${index + 1}` } })
		});
		if (!response.ok) throw new Error(`subscribing the bench customer failed: ${response.status}`);
	}
	const settled = async () => {
		const { rows } = await pool.query(
			`SELECT count(*)::int AS n FROM service_instances i JOIN subscriptions s ON s.id = i.subscription_id
			 WHERE s.user_id = $1 AND i.status IN ('RUNNING', 'ERROR')`,
			[account.id]
		);
		return rows[0].n === count;
	};
	const until = performance.now() + 300_000;
	while (!(await settled())) {
		if (performance.now() > until) throw new Error('the dashboard apps did not finish setting up');
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** admin.wallet.adjust through tRPC as `admin`: a credit of Rp 1.000 to the customer `pick` names. */
export function adjustment(appUrl: string, admin: Account, pick: () => string, reason = 'Benchmark load'): Target {
	return {
		url: `${appUrl}/api/trpc/admin.wallet.adjust`,
		method: 'POST',
		headers: { cookie: admin.cookie, origin: appUrl },
		body: () => JSON.stringify({ json: { userId: pick(), direction: 'credit', amount: 1000, reason, requestId: randomUUID() } })
	};
}

/** A history to page through: `count` credits of Rp 1.000 to `account`, through the app as an administrator. */
export async function withCredits(pool: pg.Pool, appUrl: string, account: Account, count: number) {
	const credit = adjustment(appUrl, await signedIn(pool, 'ADMINISTRATOR'), () => account.id, 'Benchmark history');
	for (let i = 0; i < count; i++) {
		const response = await fetch(credit.url, {
			method: 'POST',
			headers: { ...credit.headers, 'content-type': 'application/json' },
			body: credit.body!()
		});
		if (!response.ok) throw new Error(`crediting the bench customer failed: ${response.status}`);
	}
}

export type Baseline = { url: string; pid: number; stop: () => Promise<void> };

export async function startBaseline(databaseUrl: string): Promise<Baseline> {
	const root = path.resolve(import.meta.dirname, '..');
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/baseline-server.ts'], {
		cwd: root,
		env: { ...process.env, DATABASE_URL: databaseUrl },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const port = await new Promise<string>((resolve, reject) => {
		child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
		child.once('exit', (code) => reject(new Error(`the baseline server exited (${code})`)));
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	return {
		url: `http://127.0.0.1:${port}`,
		pid: child.pid!,
		stop: async () => {
			child.kill('SIGTERM');
			await exited;
		}
	};
}

/**
 * pgbench's idea of a money write, through pg on the same database: one transaction with a
 * single-row UPDATE of an account and the INSERT of a ledger-like row (prepared statements,
 * as `pgbench -M prepared`).
 */
export async function pgbenchTables(pool: pg.Pool, accounts: number) {
	await pool.query(`DROP TABLE IF EXISTS bench_ledger, bench_accounts`);
	await pool.query(`CREATE TABLE bench_accounts (id int PRIMARY KEY, balance bigint NOT NULL)`);
	await pool.query(`CREATE TABLE bench_ledger (id bigserial PRIMARY KEY, account_id int NOT NULL REFERENCES bench_accounts,
		amount bigint NOT NULL, balance_after bigint NOT NULL, idempotency_key text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now())`);
	await pool.query(`INSERT INTO bench_accounts SELECT g, 0 FROM generate_series(1, $1::int) AS g`, [accounts]);
}

/**
 * One pgbench-like write; with `notify`, the INSERT also sends a pg_notify in the same
 * statement, as MinisPod's notifications do, to show what a notification inside a money
 * transaction costs (PostgreSQL serialises notifying commits on one queue lock).
 * https://www.postgresql.org/docs/current/sql-notify.html
 */
export async function pgbenchWrite(client: pg.PoolClient, account: number, notify = false) {
	await client.query('BEGIN');
	const { rows } = await client.query({
		name: 'bench-update',
		text: 'UPDATE bench_accounts SET balance = balance + $2 WHERE id = $1 RETURNING balance',
		values: [account, 1000]
	});
	await client.query({
		name: notify ? 'bench-insert-notify' : 'bench-insert',
		text: notify
			? `WITH row AS (INSERT INTO bench_ledger (account_id, amount, balance_after, idempotency_key) VALUES ($1, $2, $3, $4) RETURNING id)
				SELECT pg_notify('bench_events', json_build_object('account', $1::int, 'id', row.id)::text) FROM row`
			: 'INSERT INTO bench_ledger (account_id, amount, balance_after, idempotency_key) VALUES ($1, $2, $3, $4)',
		values: [account, 1000, rows[0].balance, randomUUID()]
	});
	await client.query('COMMIT');
}
