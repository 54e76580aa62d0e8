// The Midtrans simulator speaks Midtrans's wire protocol, checked here through the real
// midtrans-client adapter and plain HTTP, with a small server standing in for the webhook.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import midtransClient from 'midtrans-client';
import {
	createMidtransGateway,
	PaymentGatewayError,
	type PaymentGateway,
	type SnapTransactionRequest
} from '../../../src/lib/server/payments/midtrans';
import { verifyMidtransSignature } from '../../../src/lib/server/payments/signature';
import { midtransTime, startMidtransSimulator, statusCodeFor, type MidtransSimulator } from '../../../standins/midtrans';
import { createOrderId } from '../../../src/lib/server/wallet/topup-rules';

let simulator: MidtransSimulator;
let gateway: PaymentGateway;
let webhook: http.Server;
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
	webhook = http.createServer(async (request, response) => {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
		response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
	});
	await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
	simulator = await startMidtransSimulator({ webhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook` });
	gateway = createMidtransGateway({
		serverKey: simulator.serverKey,
		isProduction: false,
		apiBaseUrl: simulator.apiBaseUrl,
		snapBaseUrl: simulator.snapBaseUrl
	});
});
afterAll(async () => {
	await simulator?.close();
	await new Promise((resolve) => webhook?.close(resolve));
});
afterEach(() => {
	vi.useRealTimers();
	received.length = 0;
});

const request = (overrides: Partial<SnapTransactionRequest> = {}): SnapTransactionRequest => ({
	orderId: createOrderId(),
	grossAmount: 50_000,
	enabledPayments: ['bca_va', 'gopay'],
	customer: { name: 'Ayu Lestari', email: 'ayu@example.com' },
	itemName: 'Credit',
	callbacks: { finish: 'http://127.0.0.1:9/wallet/topups/1', unfinish: 'http://127.0.0.1:9/u', error: 'http://127.0.0.1:9/e' },
	expiryHours: 24,
	...overrides
});

describe('the adapter against the simulator', () => {
	it('redirects only its own clients: midtrans-client defaults stay Midtrans', () => {
		const plain = new midtransClient.Snap({ isProduction: false, serverKey: 'x' });
		expect(plain.apiConfig.getSnapApiBaseUrl()).toBe('https://app.sandbox.midtrans.com/snap/v1');
		expect(plain.apiConfig.getCoreApiBaseUrl()).toBe('https://api.sandbox.midtrans.com');
	});

	it('creates a Snap transaction with a token and a hosted page', async () => {
		const snap = await gateway.createSnapTransaction(request());
		expect(snap.token).toMatch(/^[0-9a-f-]{36}$/);
		expect(snap.redirectUrl).toBe(`${simulator.url}/snap/v4/redirection/${snap.token}`);
	});

	it('is refused with the wrong server key, as Midtrans answers 401', async () => {
		const wrong = createMidtransGateway({
			serverKey: 'wrong',
			isProduction: false,
			apiBaseUrl: simulator.apiBaseUrl,
			snapBaseUrl: simulator.snapBaseUrl
		});
		await expect(wrong.createSnapTransaction(request())).rejects.toMatchObject({ name: 'PaymentGatewayError', httpStatus: 401 });
		await expect(wrong.getStatus('TXMP-X')).rejects.toBeInstanceOf(PaymentGatewayError);
	});

	it('refuses a reused order id and an amount that is not the sum of the items', async () => {
		const first = request();
		await gateway.createSnapTransaction(first);
		await expect(gateway.createSnapTransaction(first)).rejects.toMatchObject({
			httpStatus: 400,
			gatewayMessages: ['transaction_details.order_id sudah digunakan']
		});
		const response = await fetch(`${simulator.snapBaseUrl}/transactions`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${Buffer.from(`${simulator.serverKey}:`).toString('base64')}`,
				'content-type': 'application/json'
			},
			body: JSON.stringify({
				transaction_details: { order_id: createOrderId(), gross_amount: 10_000 },
				item_details: [{ price: 5_000, quantity: 1 }]
			})
		});
		expect(response.status).toBe(400);
	});

	it('reports no transaction until the customer picks a channel, then a signed pending status', async () => {
		const order = request();
		await gateway.createSnapTransaction(order);
		expect(await gateway.getStatus(order.orderId)).toBeNull();
		await simulator.choose(order.orderId, 'bca_va');
		const status = await gateway.getStatus(order.orderId);
		expect(status).toMatchObject({
			transactionStatus: 'pending',
			statusCode: '201',
			grossAmount: '50000.00',
			paymentType: 'bank_transfer'
		});
		expect(status!.raw.va_numbers).toEqual([{ bank: 'bca', va_number: expect.stringMatching(/^\d{11}$/) }]);
		expect(gateway.verifySignature(status!.raw)).toBe(true);
		expect(received).toHaveLength(1);
		expect(received[0]).toMatchObject({ order_id: order.orderId, transaction_status: 'pending', status_code: '201' });
		expect(verifyMidtransSignature(received[0], simulator.serverKey)).toBe(true);
	});

	it('answers 407 for an expired payment, which the client still accepts', async () => {
		const order = request();
		await gateway.createSnapTransaction(order);
		await simulator.choose(order.orderId, 'gopay', { notify: false });
		await simulator.expire(order.orderId);
		expect(await gateway.getStatus(order.orderId)).toMatchObject({ transactionStatus: 'expire', statusCode: '407' });
		expect(received[0]).toMatchObject({ transaction_status: 'expire', status_code: '202' });
	});

	it('cancels a pending payment and notifies, but refuses to cancel a settled one', async () => {
		const pending = request();
		await gateway.createSnapTransaction(pending);
		await simulator.choose(pending.orderId, 'bca_va', { notify: false });
		expect(await gateway.cancel(pending.orderId)).toMatchObject({ transactionStatus: 'cancel', statusCode: '200' });
		await simulator.idle();
		expect(received.map((body) => body.transaction_status)).toEqual(['cancel']);

		const settled = request();
		await gateway.createSnapTransaction(settled);
		await simulator.settle(settled.orderId, { notify: false });
		await expect(gateway.cancel(settled.orderId)).rejects.toMatchObject({ httpStatus: 412 });
		expect(await gateway.cancel(createOrderId())).toBeNull();
	});
});

describe('notifications for tests', () => {
	it('send duplicates at once, stale and forged ones, and tampered amounts correctly signed', async () => {
		const order = request();
		await gateway.createSnapTransaction(order);
		await simulator.settle(order.orderId, { notify: false });
		const copies = await simulator.notify(order.orderId, { copies: 7 });
		expect(copies.map((delivery) => delivery.status)).toEqual(Array(7).fill(200));
		expect(new Set(received.map((body) => JSON.stringify(body))).size).toBe(1);

		await simulator.notify(order.orderId, { transactionStatus: 'pending' });
		expect(received.at(-1)).toMatchObject({ transaction_status: 'pending', status_code: '201' });
		expect(verifyMidtransSignature(received.at(-1)!, simulator.serverKey)).toBe(true);

		await simulator.notify(order.orderId, { forgeSignature: true });
		expect(verifyMidtransSignature(received.at(-1)!, simulator.serverKey)).toBe(false);

		await simulator.notify(order.orderId, { grossAmount: '1.00' });
		expect(received.at(-1)).toMatchObject({ gross_amount: '1.00' });
		expect(verifyMidtransSignature(received.at(-1)!, simulator.serverKey)).toBe(true);
	});

	it('report refunds and chargebacks with their amounts', async () => {
		const order = request();
		await gateway.createSnapTransaction(order);
		expect(() => simulator.refund(order.orderId)).toThrow(/not paid/);
		await simulator.capture(order.orderId, 'accept', { notify: false });
		await simulator.refund(order.orderId, { amount: 10_000 });
		expect(received.at(-1)).toMatchObject({
			transaction_status: 'partial_refund',
			refund_amount: '10000.00',
			payment_type: 'credit_card'
		});
		await simulator.chargeback(order.orderId);
		expect(received.at(-1)).toMatchObject({ transaction_status: 'chargeback', refund_amount: '50000.00' });
	});
});

describe('the hosted payment page', () => {
	it('offers only the enabled channels and sends the customer back with the result', async () => {
		const order = request({ enabledPayments: ['shopeepay', 'other_qris'] });
		const { redirectUrl } = await gateway.createSnapTransaction(order);
		const html = await (await fetch(redirectUrl)).text();
		expect(html).toContain('ShopeePay');
		expect(html).toContain('QRIS');
		expect(html).not.toContain('BCA');
		expect(html).toContain('Rp 50.000');

		const sneaky = await fetch(`${redirectUrl}/choose`, {
			method: 'POST',
			body: new URLSearchParams({ channel: 'bca_va' }),
			redirect: 'manual'
		});
		expect(sneaky.status).toBe(303);
		expect(simulator.transaction(order.orderId)!.channel).toBeNull();

		await fetch(`${redirectUrl}/choose`, {
			method: 'POST',
			body: new URLSearchParams({ channel: 'other_qris' }),
			redirect: 'manual'
		});
		expect(await (await fetch(redirectUrl)).text()).toContain('Scan the QRIS code');
		const paid = await fetch(`${redirectUrl}/pay`, { method: 'POST', redirect: 'manual' });
		expect(paid.headers.get('location')).toBe(
			`http://127.0.0.1:9/wallet/topups/1?order_id=${order.orderId}&status_code=200&transaction_status=settlement`
		);
		expect(await (await fetch(redirectUrl)).text()).toContain('Payment received.');
		const again = await fetch(`${redirectUrl}/deny`, { method: 'POST', redirect: 'manual' });
		expect(again.status).toBe(303);
		expect(simulator.transaction(order.orderId)!.status).toBe('settlement');
		expect(await (await fetch(`${simulator.url}/snap/v4/redirection/not-a-token`)).status).toBe(404);
	});

	it('sends a denied card payment to the error callback', async () => {
		const order = request({ enabledPayments: ['credit_card'] });
		const { redirectUrl } = await gateway.createSnapTransaction(order);
		await fetch(`${redirectUrl}/choose`, {
			method: 'POST',
			body: new URLSearchParams({ channel: 'credit_card' }),
			redirect: 'manual'
		});
		expect(await (await fetch(redirectUrl)).text()).toContain('4811 1111 1111 1114');
		const denied = await fetch(`${redirectUrl}/deny`, { method: 'POST', redirect: 'manual' });
		expect(denied.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:9\/e\?order_id=.*transaction_status=deny$/);
	});

	it('expires a pending payment once its expiry passes', async () => {
		const order = request({ expiryHours: 1 });
		const { redirectUrl } = await gateway.createSnapTransaction(order);
		await simulator.choose(order.orderId, 'bca_va', { notify: false });
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(Date.now() + 61 * 60_000);
		expect(await (await fetch(redirectUrl)).text()).toContain('The payment expired.');
		await simulator.idle();
		expect(received.at(-1)).toMatchObject({ order_id: order.orderId, transaction_status: 'expire' });
	});
});

describe('wire details', () => {
	it('use Midtrans status codes and Jakarta timestamps', () => {
		expect(statusCodeFor('settlement', 'accept')).toBe('200');
		expect(statusCodeFor('pending', null)).toBe('201');
		expect(statusCodeFor('capture', 'challenge')).toBe('201');
		expect(statusCodeFor('deny', null)).toBe('202');
		expect(statusCodeFor('expire', null)).toBe('202');
		expect(statusCodeFor('expire', null, true)).toBe('407');
		expect(midtransTime(new Date('2025-01-31T17:05:09Z'))).toBe('2025-02-01 00:05:09');
	});
});
