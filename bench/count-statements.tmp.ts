import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { embeddedConnection, startApp, stopApp, untilHealthy } from '../tests/support/app-process';
import { signedIn, withApps } from './request-path-setup';

const dataDir = mkdtempSync(path.join(tmpdir(), 'minispod-bench-'));
chmodSync(dataDir, 0o755);
const app = await startApp(dataDir, { LOG_LEVEL: 'error' });
try {
	await untilHealthy(app, 600_000);
	const pool = new pg.Pool({ connectionString: embeddedConnection(dataDir), max: 2 });
	const customer = await signedIn(pool, 'USER');
	await withApps(pool, app.url, customer, 3);
	const routes = process.argv.slice(2);
	for (const route of routes) {
		const n = 300;
		for (let i = 0; i < 20; i++) await fetch(app.url + route, { headers: { cookie: customer.cookie, accept: 'text/html,application/json' } }).then((r) => r.text());
		const x = async () => Number((await pool.query(`select xact_commit + xact_rollback as n from pg_stat_database where datname = 'minispod'`)).rows[0].n);
		await pool.query('select pg_stat_clear_snapshot()');
		const before = await x();
		for (let i = 0; i < n; i++) await fetch(app.url + route, { headers: { cookie: customer.cookie, accept: 'text/html,application/json' } }).then((r) => r.text());
		await new Promise((r) => setTimeout(r, 1500));
		await pool.query('select pg_stat_clear_snapshot()');
		const after = await x();
		console.log(route, ((after - before - 1) / n).toFixed(2), 'transactions per request');
	}
	await pool.end();
} finally {
	await stopApp(app);
	rmSync(dataDir, { recursive: true, force: true });
}
