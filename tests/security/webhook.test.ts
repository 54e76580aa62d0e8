// The Midtrans webhook under the corpus of bodies an attacker sends (item 9 and the webhook
// corpus of the hardening issue): unsigned bodies are not stored whole, odd bytes and odd
// amounts never give a 500 or move money, and one address cannot flood it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { midtransSignature } from '../../src/lib/server/payments/signature';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { appFetch } from '../support/http';
import { expectInvariants } from '../support/invariants';
import { callerFor, createUser, reloadUser } from '../support/runtime';
import { LIMITS } from '../../src/lib/server/rate-limit';

let runtime: WalletTestRuntime;
beforeAll(async () => {
	runtime = await startWalletRuntime();
});
afterAll(() => runtime?.close());

let nextAddress = 10;
/** A fresh client address per test, so one test's requests do not use up another's limit. */
const freshAddress = () => `198.51.100.${nextAddress++}`;

const post = (body: string, address: string) =>
	appFetch(runtime, '/api/webhooks/midtrans', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body,
		address
	});

function signed(fields: Record<string, unknown>) {
	const body: Record<string, unknown> = {
		status_code: '200',
		transaction_status: 'settlement',
		gross_amount: '100000.00',
		...fields
	};
	const signature_key = midtransSignature(
		{ order_id: String(body.order_id), status_code: String(body.status_code), gross_amount: String(body.gross_amount) },
		runtime.simulator.serverKey
	);
	return JSON.stringify({ ...body, signature_key });
}

const storedBytes = async () =>
	Number(
		(
			await runtime.db.execute<{ bytes: string }>(
				sql`SELECT coalesce(sum(pg_column_size(payload)), 0) AS bytes FROM payment_events`
			)
		).rows[0].bytes
	);

describe('refused notices', () => {
	it('are stored as their metadata and a bounded excerpt, not whole', async () => {
		const before = await storedBytes();
		const address = freshAddress();
		// Random, so that PostgreSQL's compression cannot hide what was kept.
		const padding = randomBytes(30_000).toString('hex');
		for (let i = 0; i < 20; i++) {
			const response = await post(
				JSON.stringify({ order_id: `TXMP-FAKE-${i}`, transaction_status: 'settlement', padding }),
				address
			);
			expect(response.status).toBe(403);
		}
		const grown = (await storedBytes()) - before;
		// 20 bodies of 60 KB were sent; at most a couple of kilobytes each may stay.
		expect(grown).toBeLessThan(20 * 2_000);
	});
});

describe('the webhook corpus', () => {
	it('answers every odd body with a 4xx, stores it safely and moves no money', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const { orderId } = await api.wallet.topUp({ amount: 100_000, method: 'BANK_TRANSFER', bank: 'bca' });
		const address = freshAddress();
		const bodies = [
			'',
			'not json',
			'[1,2,3]',
			'null',
			'{"order_id": "\\u0000"}',
			JSON.stringify({ order_id: `${orderId}\u0000`, transaction_status: 'settlement' }),
			signed({ order_id: `${orderId}\u0000` }),
			signed({ order_id: orderId, gross_amount: '0x186a0' }),
			signed({ order_id: orderId, gross_amount: '1e5' }),
			signed({ order_id: orderId, gross_amount: '1e400' }),
			signed({ order_id: orderId, gross_amount: '-100000.00' }),
			signed({ order_id: orderId, gross_amount: '99999999999999999999999.00' }),
			signed({ order_id: '<script>alert(1)</script>' }),
			signed({ order_id: 'x'.repeat(10_000) }),
			signed({ order_id: orderId, transaction_status: 'settlement\u001b[31m' }),
			JSON.stringify({ order_id: orderId, signature_key: 'a'.repeat(128), status_code: '200', gross_amount: '100000.00' })
		];
		for (const body of bodies) {
			const response = await post(body, address);
			expect(response.status, body.slice(0, 80)).toBeGreaterThanOrEqual(400);
			expect(response.status, body.slice(0, 80)).toBeLessThan(500);
		}
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		await expectInvariants(runtime.db);
	});

	it('refuses a flood from one address before storing it', async () => {
		const address = freshAddress();
		const { points } = LIMITS['webhook:address'];
		const before = await runtime.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM payment_events`);
		const statuses: number[] = [];
		for (let i = 0; i < points + 5; i++) statuses.push((await post('{"order_id":"flood"}', address)).status);
		expect(statuses.slice(0, points).every((status) => status === 403)).toBe(true);
		expect(statuses.slice(points)).toEqual(Array(5).fill(429));
		const after = await runtime.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM payment_events`);
		expect(Number(after.rows[0].n) - Number(before.rows[0].n)).toBe(points);
		// Another address is not affected.
		expect((await post('{"order_id":"flood"}', freshAddress())).status).toBe(403);
	});
});

describe('/healthz', () => {
	it('tells anonymous callers whether it is healthy, never where the database is', async () => {
		const healthy = await appFetch(runtime, '/healthz');
		expect(healthy.status).toBe(200);
		expect(await healthy.json()).toEqual({ ok: true, database: { ok: true }, queue: { ok: true } });

		const { pool } = { pool: runtime.db.$client };
		const query = pool.query.bind(pool);
		pool.query = (() => Promise.reject(new Error('connect ECONNREFUSED 10.20.30.40:5432'))) as typeof pool.query;
		try {
			const failing = await appFetch(runtime, '/healthz');
			expect(failing.status).toBe(503);
			const text = await failing.text();
			expect(text).not.toContain('10.20.30.40');
			expect(text).not.toContain('5432');
			expect(JSON.parse(text)).toMatchObject({ ok: false, database: { ok: false } });
		} finally {
			pool.query = query;
		}
	});
});
