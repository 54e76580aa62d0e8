// The Midtrans webhook under duplicate, late, out-of-order, forged and tampered
// notifications, all sent by the simulator over HTTP to a real loopback server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { paymentEvents, transactions, type User } from '../../src/lib/server/db/schema';
import { createLogger } from '../../src/lib/server/log';
import { applyGatewayStatus } from '../../src/lib/server/wallet/gateway-status';
import { applyBalanceChange } from '../../src/lib/server/wallet/ledger';
import { createOrderId } from '../../src/lib/server/wallet/topup-rules';
import { toGatewayStatus } from '../../src/lib/server/payments/midtrans';
import { callerFor, createUser, reloadUser } from '../support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectMoneyInvariants } from '../support/invariants';

const logLines: string[] = [];
let runtime: WalletTestRuntime;
beforeAll(async () => {
	const logger = createLogger({
		level: 'debug',
		pretty: false,
		destination: { write: (line: string) => void logLines.push(line) }
	});
	runtime = await startWalletRuntime({ logger });
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

async function startTopUp(user: User, amount = 100_000) {
	const api = await callerFor(runtime, user);
	const started = await api.wallet.topUp({ amount, method: 'BANK_TRANSFER', bank: 'bca' });
	return { api, ...started };
}

const row = async (id: string) => (await runtime.db.select().from(transactions).where(eq(transactions.id, id)))[0];
const events = (orderId: string) => runtime.db.select().from(paymentEvents).where(eq(paymentEvents.orderId, orderId));
const outcomes = async (orderId: string) => (await events(orderId)).map((event) => event.outcome).sort();

describe('duplicate delivery', () => {
	it('credits exactly once when 50 identical settlement notices arrive, as many at once as the database serves', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 125_000);
		await runtime.simulator.choose(orderId, 'bca_va', { notify: false });
		await runtime.simulator.settle(orderId, { notify: false });

		// Notices beyond the pool's connections would only queue for one, and on a busy machine
		// that queue outlasts the simulator's 15 s delivery limit; the race is the same.
		const atOnce = runtime.db.$client.options.max;
		expect(atOnce).toBeGreaterThan(1);
		const deliveries = [];
		while (deliveries.length < 50) {
			deliveries.push(...(await runtime.simulator.notify(orderId, { copies: Math.min(atOnce, 50 - deliveries.length) })));
		}
		expect(deliveries.map((delivery) => delivery.status)).toEqual(Array(50).fill(200));

		const recorded = await outcomes(orderId);
		expect(recorded).toHaveLength(50);
		expect(recorded.filter((outcome) => outcome === 'credited')).toHaveLength(1);
		expect(recorded.filter((outcome) => outcome === 'ignored_duplicate')).toHaveLength(49);
		expect(await row(transactionId)).toMatchObject({ status: 'COMPLETED', balanceBefore: 0, balanceAfter: 125_000 });
		expect(await reloadUser(runtime, user.id)).toMatchObject({ creditBalance: 125_000, totalTopUp: 125_000 });
		await expectMoneyInvariants(runtime.db);
	});

	it('stores every notice raw, before acting on it', async () => {
		const user = await createUser(runtime);
		const { orderId } = await startTopUp(user);
		await runtime.simulator.choose(orderId, 'bca_va');
		const [event] = await events(orderId);
		const sent = runtime.simulator.statusBody(orderId)!;
		expect(event.payload).toMatchObject({
			order_id: orderId,
			transaction_status: 'pending',
			status_code: '201',
			gross_amount: '100000.00',
			signature_key: expect.stringMatching(/^[0-9a-f]{128}$/),
			va_numbers: [{ bank: 'bca', va_number: (sent.va_numbers as { va_number: string }[])[0].va_number }]
		});
		expect(event).toMatchObject({
			transactionStatus: 'pending',
			statusCode: '201',
			grossAmount: '100000.00',
			signatureValid: true,
			outcome: 'pending'
		});
	});
});

describe('out-of-order delivery', () => {
	it('does not move a settled top-up back when a stale "pending" arrives late', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 80_000);
		await runtime.simulator.choose(orderId, 'bca_va', { notify: false });
		await runtime.simulator.settle(orderId);
		expect((await row(transactionId)).status).toBe('COMPLETED');

		const [late] = await runtime.simulator.notify(orderId, { transactionStatus: 'pending' });
		const [lateExpire] = await runtime.simulator.notify(orderId, { transactionStatus: 'expire' });
		expect(late.status).toBe(200);
		expect(JSON.parse(late.body)).toMatchObject({ outcome: 'ignored_stale' });
		expect(lateExpire.status).toBe(200);
		expect(await row(transactionId)).toMatchObject({ status: 'COMPLETED', balanceAfter: 80_000, flaggedAt: null });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(80_000);
	});

	it('never regresses even when the gateway itself reports an earlier status', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 40_000);
		await runtime.simulator.settle(orderId);
		const stale = toGatewayStatus({
			...runtime.simulator.statusBody(orderId)!,
			transaction_status: 'pending',
			status_code: '201'
		});
		const result = await applyGatewayStatus(runtime, transactionId, stale, 'refresh');
		expect(result.outcome).toBe('ignored_stale');
		expect(result.transaction.status).toBe('COMPLETED');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(40_000);
	});

	it('credits a card payment held for review only once fraud detection accepts it', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const { orderId, transactionId } = await api.wallet.topUp({ amount: 300_000, method: 'CREDIT_CARD' });
		await runtime.simulator.captureChallenge(orderId);
		expect(await row(transactionId)).toMatchObject({ status: 'PENDING' });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		await runtime.simulator.capture(orderId, 'accept');
		expect(await row(transactionId)).toMatchObject({ status: 'COMPLETED', balanceAfter: 300_000 });
		expect(await outcomes(orderId)).toEqual(['credited', 'pending']);
	});
});

describe('failed payments', () => {
	for (const [label, act] of [
		['deny', (orderId: string) => runtime.simulator.deny(orderId)],
		['expire', (orderId: string) => runtime.simulator.expire(orderId)],
		['card fraud deny', (orderId: string) => runtime.simulator.capture(orderId, 'deny')]
	] as const) {
		it(`marks a top-up FAILED on ${label}, crediting nothing, and ignores a settlement claim afterwards`, async () => {
			const user = await createUser(runtime);
			const { orderId, transactionId } = await startTopUp(user, 55_000);
			await runtime.simulator.choose(orderId, 'bca_va');
			await act(orderId);
			expect(await row(transactionId)).toMatchObject({ status: 'FAILED', balanceAfter: null });

			const [claim] = await runtime.simulator.notify(orderId, { transactionStatus: 'settlement' });
			expect(JSON.parse(claim.body)).toMatchObject({ outcome: 'ignored_stale' });
			expect((await row(transactionId)).status).toBe('FAILED');
			expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		});
	}
});

describe('forged and tampered notifications', () => {
	it('rejects a forged signature with 403 and changes nothing', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 90_000);
		await runtime.simulator.choose(orderId, 'bca_va', { notify: false });
		const before = await row(transactionId);

		const forged = await runtime.simulator.notify(orderId, { transactionStatus: 'settlement', forgeSignature: true, copies: 3 });
		expect(forged.map((delivery) => delivery.status)).toEqual([403, 403, 403]);
		const unsigned = await fetch(runtime.webhook.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ order_id: orderId, status_code: '200', gross_amount: '90000.00', transaction_status: 'settlement' })
		});
		expect(unsigned.status).toBe(403);

		expect(await row(transactionId)).toEqual(before);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		const stored = await events(orderId);
		expect(stored).toHaveLength(4);
		expect(stored.every((event) => !event.signatureValid && event.outcome === 'rejected_signature')).toBe(true);
	});

	it('rejects a notice claiming another amount, flags it, and credits nothing', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 50_000);
		await runtime.simulator.settle(orderId, { notify: false });
		const [delivery] = await runtime.simulator.notify(orderId, { grossAmount: '5000000.00' });
		expect(delivery.status).toBe(422);
		const flagged = await row(transactionId);
		expect(flagged).toMatchObject({ status: 'PENDING', flagReason: expect.stringContaining('5000000.00') });
		expect(flagged.flaggedAt).toBeInstanceOf(Date);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		expect(await outcomes(orderId)).toEqual(['amount_mismatch']);
	});

	it('credits nothing when the gateway reports another amount than was ordered', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 50_000);
		await runtime.simulator.settle(orderId, { notify: false });
		runtime.simulator.tamper(orderId, { grossAmount: 50_001 });
		// The notice itself still claims the ordered amount; Get Status does not.
		const [delivery] = await runtime.simulator.notify(orderId, { grossAmount: '50000.00' });
		expect(delivery.status).toBe(422);
		expect(await row(transactionId)).toMatchObject({ status: 'PENDING', balanceAfter: null });
		expect((await row(transactionId)).flaggedAt).toBeInstanceOf(Date);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});

	it('answers 404 for an order MinisPod never made, and 400 for a body that is not JSON', async () => {
		const orderId = createOrderId();
		await runtime.payments.gateway.createSnapTransaction({
			orderId,
			grossAmount: 10_000,
			enabledPayments: ['gopay'],
			customer: { name: 'Nobody', email: 'nobody@example.com' },
			itemName: 'Not ours',
			callbacks: { finish: 'http://127.0.0.1/', unfinish: 'http://127.0.0.1/', error: 'http://127.0.0.1/' },
			expiryHours: 1
		});
		const [delivery] = await runtime.simulator.settle(orderId);
		expect(delivery.status).toBe(404);
		expect(await outcomes(orderId)).toEqual(['unknown_order']);

		const garbage = await fetch(runtime.webhook.url, { method: 'POST', body: 'not json {' });
		expect(garbage.status).toBe(400);
		expect(logLines.some((line) => line.includes('unknown order') && line.includes(orderId))).toBe(true);
	});

	it('asks Midtrans to retry when the gateway cannot confirm the notice', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 30_000);
		// The gateway has no payment for this order yet, whatever the notice claims.
		const [delivery] = await runtime.simulator.notify(orderId, { transactionStatus: 'settlement' });
		expect(delivery.status).toBe(503);
		expect((await row(transactionId)).status).toBe('PENDING');
		expect(await outcomes(orderId)).toEqual(['status_unavailable']);
	});
});

describe('money going back after a credit', () => {
	it('flags a refund of a credited top-up for an administrator and never touches the balance', async () => {
		const user = await createUser(runtime);
		const { orderId, transactionId } = await startTopUp(user, 200_000);
		await runtime.simulator.settle(orderId);
		// The customer spends most of it before the refund arrives.
		await applyBalanceChange(runtime.db, {
			userId: user.id,
			type: 'SUBSCRIPTION',
			amount: -150_000,
			idempotencyKey: `spend:${orderId}`,
			description: 'A plan',
			at: new Date()
		});

		await runtime.simulator.refund(orderId);
		await runtime.simulator.notify(orderId, { copies: 5 });
		const refunded = await row(transactionId);
		expect(refunded).toMatchObject({ status: 'COMPLETED', amount: 200_000, flagReason: expect.stringContaining('refund') });
		expect(refunded.flaggedAt).toBeInstanceOf(Date);
		expect(refunded.metadata).toMatchObject({ reversals: [{ status: 'refund', amount: 200_000 }] });
		expect(await reloadUser(runtime, user.id)).toMatchObject({ creditBalance: 50_000, totalTopUp: 200_000 });
		expect((await outcomes(orderId)).filter((outcome) => outcome === 'flagged')).toHaveLength(1);

		await runtime.simulator.chargeback(orderId, { amount: 100_000 });
		const chargedBack = await row(transactionId);
		expect(chargedBack.metadata).toMatchObject({
			reversals: [
				{ status: 'refund', amount: 200_000 },
				{ status: 'partial_chargeback', amount: 100_000 }
			]
		});
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(50_000);
	});

	it('flags a payment that arrives after the customer cancelled, instead of losing it', async () => {
		const user = await createUser(runtime);
		const { api, orderId, transactionId } = await startTopUp(user, 45_000);
		await api.wallet.cancelTopUp({ id: transactionId });
		expect(await row(transactionId)).toMatchObject({ status: 'FAILED' });

		// The payment page stays open at the gateway; the customer pays anyway.
		await runtime.simulator.choose(orderId, 'bca_va');
		await runtime.simulator.settle(orderId);
		const late = await row(transactionId);
		expect(late).toMatchObject({ status: 'FAILED', flagReason: expect.stringContaining('paid after') });
		expect(late.flaggedAt).toBeInstanceOf(Date);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});
});

describe('logs', () => {
	it('never contain the server key or a signature', async () => {
		await runtime.simulator.idle();
		const signatures = (await runtime.db.select({ payload: paymentEvents.payload }).from(paymentEvents))
			.map((event) => event.payload.signature_key)
			.filter((value): value is string => typeof value === 'string');
		expect(signatures.length).toBeGreaterThan(50);
		expect(logLines.length).toBeGreaterThan(0);
		const everything = logLines.join('\n');
		expect(everything).not.toContain(runtime.simulator.serverKey);
		for (const signature of new Set(signatures)) expect(everything).not.toContain(signature);
	});
});
