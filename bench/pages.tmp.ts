import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { embeddedConnection, startApp, stopApp, untilHealthy } from '../tests/support/app-process';
import { signedIn, withApps } from './request-path-setup';
const dataDir = mkdtempSync(path.join(tmpdir(), 'minispod-pages-'));
chmodSync(dataDir, 0o755);
const app = await startApp(dataDir, { LOG_LEVEL: 'error' });
try {
	await untilHealthy(app, 600_000);
	const pool = new pg.Pool({ connectionString: embeddedConnection(dataDir), max: 2 });
	const customer = await signedIn(pool, 'USER');
	await withApps(pool, app.url, customer, 3);
	for (const route of ['/catalog', '/subscriptions']) {
		const res = await fetch(app.url + route, { headers: { cookie: customer.cookie, accept: 'text/html' } });
		const text = await res.text();
		writeFileSync('/tmp/page' + route.replace('/', '-') + '.html', text);
		console.log(route, res.status, text.length);
	}
	await pool.end();
} finally {
	await stopApp(app);
	rmSync(dataDir, { recursive: true, force: true });
}
