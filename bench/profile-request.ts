// A CPU profile of the built app serving one request kind (issue 16's "whatever the profile
// says next"): `npx tsx bench/profile-request.ts <route> [seconds] [connections]`, e.g.
// `/api/trpc/wallet.balance`; writes a .cpuprofile into BENCH_PROFILE (default a temp dir)
// and prints where it is. Build first (`npm run build`).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { embeddedConnection, startApp, stopApp, untilHealthy } from '../tests/support/app-process';
import { closedLoop, type Target } from './load';
import { adjustment, signedIn, withApps, withCredits, type Account } from './request-path-setup';

const [route = '/api/trpc/wallet.balance', seconds = '10', connections = '10'] = process.argv.slice(2);
const profileDir = process.env.BENCH_PROFILE ?? mkdtempSync(path.join(tmpdir(), 'minispod-profile-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'minispod-bench-'));
chmodSync(dataDir, 0o755);
const app = await startApp(dataDir, { LOG_LEVEL: 'error' }, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
try {
	await untilHealthy(app, 600_000);
	const pool = new pg.Pool({ connectionString: embeddedConnection(dataDir), max: 2 });
	const customer = await signedIn(pool, route.includes('admin') ? 'ADMINISTRATOR' : 'USER');
	// The dashboard shows the customer's apps: give it some.
	if (route.startsWith('/subscriptions')) await withApps(pool, app.url, customer, 3);
	// The history to page through, as the benchmark gives it: 25 credits through the app.
	if (route.includes('wallet.transactions')) await withCredits(pool, app.url, customer, 25);
	const target: Target = route.endsWith('admin.wallet.adjust')
		? await adjustments(pool, customer)
		: { url: app.url + route, headers: { cookie: customer.cookie, accept: 'text/html,application/json' } };
	await pool.end();
	await closedLoop(target, Number(connections), 2_000, app.child.pid!);
	const run = await closedLoop(target, Number(connections), Number(seconds) * 1000, app.child.pid!);
	console.log(`${route}: ${run.requests} requests, ${(run.cpuMs / run.requests).toFixed(2)} ms CPU each, errors ${run.errors}`);
} finally {
	await stopApp(app);
	rmSync(dataDir, { recursive: true, force: true });
}
console.log(`profile in ${profileDir}`);

/** `/api/trpc/admin.wallet.adjust`: credits of Rp 1.000 by the signed-in administrator, to 8 customers in turn. */
async function adjustments(pool: pg.Pool, admin: Account): Promise<Target> {
	const customers: Account[] = [];
	for (let i = 0; i < 8; i++) customers.push(await signedIn(pool, 'USER'));
	let next = 0;
	return adjustment(app.url, admin, () => customers[next++ % 8].id, 'Profile');
}
