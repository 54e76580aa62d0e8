// MinisPod split as it runs in production: two web processes, one worker and the stand-ins
// process (Midtrans simulator + Kubernetes emulator), each its own OS process, on one
// PostgreSQL. A customer tops up through one web process and is credited as seen from the
// other, subscribes, the worker provisions the app, its live log streams through both web
// processes, and SIGTERM drains a web process (its streams end with a reconnect hint).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, closeDb, type Db } from '../../src/lib/server/db/client';
import { users } from '../../src/lib/server/db/schema';
import { hashPassword } from '../../src/lib/server/auth/passwords';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/sessions';
import { HOLD_MS } from '../../src/lib/server/auth/session-cache';
import { getFreePort } from '../../src/lib/server/util/net';
import { buildIfStale } from '../../scripts/build-if-stale.js';
import { createTestDatabase } from '../support/db';
import { completeHostedPayment } from '../support/payments';
import {
	httpClient,
	openEventStream,
	scaled,
	startMinisPodProcess,
	startStandInsProcess,
	stopProcess,
	waitUntilReady,
	type Started
} from '../support/processes';
import { planOf } from '../support/fixtures';

type Process = Started & { origin: string; metrics: string };

let database: { url: string; drop(): Promise<void> };
let db: Db;
let dataDir: string;
let standIns: Started & { env: Record<string, string> };
let web1: Process;
let web2: Process;
let worker: Process;
let token: string;

const origin = (port: number) => `http://127.0.0.1:${port}`;

beforeAll(async () => {
	buildIfStale();
	database = await createTestDatabase();
	db = createDb(database.url, { max: 2 });
	dataDir = mkdtempSync(path.join(os.tmpdir(), 'minispod-split-'));
	const [web1Port, web2Port, workerPort, kubePort, midtransPort, ...metricsPorts] = await Promise.all(
		Array.from({ length: 8 }, () => getFreePort())
	);
	standIns = await startStandInsProcess({
		dir: path.join(dataDir, 'standins'),
		kubePort,
		midtransPort,
		webhook: `${origin(web1Port)}/api/webhooks/midtrans`,
		env: { MINISPOD_EMULATOR_POD_READY_MS: '200' }
	});
	const start = (role: string, port: number, metricsPort: number): Process => ({
		...startMinisPodProcess({
			...standIns.env,
			DATABASE_URL: database.url,
			MINISPOD_DATA_DIR: path.join(dataDir, role),
			MINISPOD_ROLE: role === 'worker' ? 'worker' : 'web',
			MINISPOD_DEMO: 'false',
			PORT: String(port),
			ORIGIN: origin(port),
			MINISPOD_METRICS_PORT: String(metricsPort),
			SHUTDOWN_TIMEOUT: '10'
		}),
		origin: origin(port),
		metrics: `${origin(metricsPort)}/metrics`
	});
	web1 = start('web1', web1Port, metricsPorts[0]);
	web2 = start('web2', web2Port, metricsPorts[1]);
	worker = start('worker', workerPort, metricsPorts[2]);
	await Promise.all([web1, web2, worker].map((p) => waitUntilReady(p, `${p.origin}/healthz/ready`)));

	const [user] = await db
		.insert(users)
		.values({
			name: 'Split Customer',
			email: 'split@example.com',
			passwordHash: await hashPassword('correct horse battery'),
			// Verified: a top-up needs it.
			emailVerifiedAt: new Date()
		})
		.returning();
	token = generateSessionToken();
	await createSession(db, token, user.id, { days: 1 });
}, scaled(600_000));

afterAll(async () => {
	await Promise.all([web1, web2, worker, standIns].filter(Boolean).map((p) => stopProcess(p)));
	if (db) await closeDb(db);
	await database?.drop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, scaled(120_000));

/** A new signed-in account's session token. */
async function newSession(role: 'USER' | 'ADMINISTRATOR' = 'USER') {
	const [user] = await db
		.insert(users)
		.values({ name: 'Split Session', email: `split-${generateSessionToken()}@example.com`, passwordHash: 'unused', role })
		.returning();
	const session = generateSessionToken();
	await createSession(db, session, user.id, { days: 1 });
	return { userId: user.id, token: session };
}

/** Whether a call with this token is refused as signed out (tRPC's UNAUTHORIZED). */
const refused = (origin: string, session: string) =>
	httpClient(origin, session)
		.wallet.balance.query()
		.then(
			() => false,
			(error: { data?: { code?: string } }) => error.data?.code === 'UNAUTHORIZED'
		);

describe('web ×2 + worker + stand-ins as separate processes', () => {
	it('ends a session in the other web process too, once a logout or a block through one commits', async () => {
		// Each web process holds a session it validated for up to HOLD_MS (auth/session-cache.ts);
		// the database's triggers tell the other one, well before that.
		const customer = await newSession();
		expect(await refused(web2.origin, customer.token)).toBe(false);
		const loggedOut = Date.now();
		await httpClient(web1.origin, customer.token).auth.logout.mutate();
		expect(await refused(web1.origin, customer.token)).toBe(true);
		await expect.poll(() => refused(web2.origin, customer.token), { timeout: scaled(30_000), interval: 50 }).toBe(true);
		expect(Date.now() - loggedOut).toBeLessThan(HOLD_MS);

		const blocked = await newSession();
		const admin = await newSession('ADMINISTRATOR');
		expect(await refused(web2.origin, blocked.token)).toBe(false);
		const blockedAt = Date.now();
		await httpClient(web1.origin, admin.token).admin.customers.block.mutate({ userId: blocked.userId, reason: 'Abuse report' });
		expect(await refused(web1.origin, blocked.token)).toBe(true);
		await expect.poll(() => refused(web2.origin, blocked.token), { timeout: scaled(30_000), interval: 50 }).toBe(true);
		expect(Date.now() - blockedAt).toBeLessThan(HOLD_MS);
	});

	it('tops up, provisions and streams logs through both web processes, then drains one on SIGTERM', async () => {
		const api1 = httpClient(web1.origin, token);
		const api2 = httpClient(web2.origin, token);

		// Top-up through web 1; the simulator notifies web 1's webhook; web 2 sees the credit.
		const topUp = await api1.wallet.topUp.mutate({ amount: 200_000, method: 'BANK_TRANSFER', bank: 'bca' });
		await completeHostedPayment(topUp.redirectUrl, 'bca_va', 'pay');
		await expect.poll(async () => (await api2.wallet.balance.query()).balance, { timeout: scaled(30_000) }).toBe(200_000);

		// Subscribe through web 2; only the worker works the queues, so it provisions the app.
		const plan = await planOf(db, 'uptime-kuma', 'BASIC');
		const { instanceId } = await api2.subscriptions.subscribe.mutate({ planId: plan.id });
		await expect
			.poll(async () => (await api1.instances.get.query({ id: instanceId })).status, {
				timeout: scaled(60_000),
				interval: 250
			})
			.toBe('RUNNING');

		// Each process serves its own metrics: web 2 timed the subscribe, the worker the job.
		const scrape = (p: Process) => fetch(p.metrics).then((response) => response.text());
		expect(await scrape(web2)).toMatch(
			/^minispod_http_request_duration_seconds_count\{method="POST",route="\/api\/trpc\/\[\.\.\.trpc\]",status="200"\} [1-9]/m
		);
		expect(await scrape(worker)).toMatch(
			/^minispod_job_duration_seconds_count\{queue="provision-instance",outcome="completed"\} 1$/m
		);

		// The live log through each web process (each opens its own stream to the cluster).
		const streams = await Promise.all(
			[web1, web2].map((web) => openEventStream(web.origin, token, 'instances.logs', { id: instanceId, tailLines: 10 }))
		);
		for (const stream of streams) {
			expect(stream.response.status).toBe(200);
			expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
		}
		const lines = (text: string) => (text.match(/"kind":"line"/g) ?? []).length;
		const [seen1, seen2] = await Promise.all(streams.map((stream) => stream.readUntil((text) => lines(text) >= 2)));
		expect(lines(seen1)).toBeGreaterThanOrEqual(2);
		expect(lines(seen2)).toBeGreaterThanOrEqual(2);

		// SIGTERM to web 1: its stream ends with a reconnect hint, it exits cleanly; web 2 goes on.
		web1.process.kill('SIGTERM');
		const ended = await streams[0].readUntil(() => false);
		expect(ended).toMatch(/retry: \d+\n\n$/);
		expect(await web1.exited).toBe(0);
		const before = lines(seen2);
		const more = await streams[1].readUntil((text) => lines(text) > before);
		expect(lines(more)).toBeGreaterThan(before);
		streams[1].close();
		expect((await api2.wallet.balance.query()).balance).toBe(200_000 - plan.monthlyPrice);

		// The worker drains and exits cleanly too.
		expect(await stopProcess(worker)).toBe(0);
	});

	it('offers no manual transfer where no account to pay into is configured', async () => {
		const page = (path: string) =>
			fetch(`${web2.origin}${path}`, { headers: { cookie: `minispod_session=${token}`, accept: 'text/html' } });
		const wallet = await page('/wallet');
		expect(wallet.status).toBe(200);
		const walletHtml = await wallet.text();
		expect(walletHtml).toContain('id="top-up-heading"');
		expect(walletHtml).not.toContain('href="/wallet/transfer"');
		const transfer = await page('/wallet/transfer');
		expect(transfer.status).toBe(200);
		const transferHtml = await transfer.text();
		expect(transferHtml).toContain('Transfer bank manual tidak tersedia.');
		expect(transferHtml).not.toContain('name="file"');
	});
});
