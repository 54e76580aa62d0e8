import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { snapParameter, toGatewayStatus } from '../../../src/lib/server/payments/midtrans';
import {
	formatGrossAmount,
	midtransSignature,
	parseGrossAmount,
	verifyMidtransSignature
} from '../../../src/lib/server/payments/signature';
import { loopbackWebhookUrl } from '../../../src/lib/server/payments';

const serverKey = 'SB-Mid-server-unit-test-key';

describe('notification signatures', () => {
	const fields = { order_id: 'TXMP-01HZX3V8K2ABCDEFGHJKMNPQRS', status_code: '200', gross_amount: '150000.00' };

	it('are SHA-512 of order id, status code, gross amount and server key, in hex', () => {
		const expected = createHash('sha512').update(`TXMP-01HZX3V8K2ABCDEFGHJKMNPQRS200150000.00${serverKey}`).digest('hex');
		expect(midtransSignature(fields, serverKey)).toBe(expected);
		expect(expected).toHaveLength(128);
	});

	it('verify a genuine notification, in either letter case', () => {
		const signature = midtransSignature(fields, serverKey);
		expect(verifyMidtransSignature({ ...fields, signature_key: signature }, serverKey)).toBe(true);
		expect(verifyMidtransSignature({ ...fields, signature_key: signature.toUpperCase() }, serverKey)).toBe(true);
	});

	it('reject one signed with another key, or for other fields', () => {
		const signature = midtransSignature(fields, serverKey);
		expect(verifyMidtransSignature({ ...fields, signature_key: midtransSignature(fields, 'another-key') }, serverKey)).toBe(
			false
		);
		expect(verifyMidtransSignature({ ...fields, gross_amount: '1500000.00', signature_key: signature }, serverKey)).toBe(false);
		expect(verifyMidtransSignature({ ...fields, status_code: '201', signature_key: signature }, serverKey)).toBe(false);
		expect(verifyMidtransSignature({ ...fields, order_id: 'TXMP-OTHER', signature_key: signature }, serverKey)).toBe(false);
	});

	it('reject missing, malformed or mistyped fields without throwing', () => {
		const signature = midtransSignature(fields, serverKey);
		expect(verifyMidtransSignature({ ...fields }, serverKey)).toBe(false);
		expect(verifyMidtransSignature({ ...fields, signature_key: 'abc' }, serverKey)).toBe(false);
		expect(verifyMidtransSignature({ ...fields, signature_key: 'z'.repeat(128) }, serverKey)).toBe(false);
		expect(verifyMidtransSignature({ ...fields, gross_amount: 150000, signature_key: signature }, serverKey)).toBe(false);
		expect(verifyMidtransSignature({}, serverKey)).toBe(false);
	});
});

describe('gross amounts', () => {
	it('read Midtrans’s two-decimal strings as whole rupiah', () => {
		expect(parseGrossAmount('150000.00')).toBe(150_000);
		expect(parseGrossAmount('10000.0')).toBe(10_000);
		expect(parseGrossAmount('10000')).toBe(10_000);
		expect(parseGrossAmount(10_000)).toBe(10_000);
		expect(formatGrossAmount(150_000)).toBe('150000.00');
	});

	it('refuse fractions, signs, exponents and junk', () => {
		for (const value of ['10000.50', '-10000.00', '1e5', '', 'abc', '10,000.00', null, undefined, 10.5, '99999999999999999.00']) {
			expect(parseGrossAmount(value)).toBeNull();
		}
	});
});

describe('the Snap request', () => {
	it('carries the order, one item, the customer, channels, callbacks and expiry', () => {
		const parameter = snapParameter({
			orderId: 'TXMP-X',
			grossAmount: 50_000,
			enabledPayments: ['bca_va'],
			customer: { name: '  Siti  Nur Aisyah ', email: 'siti@example.com', phone: null },
			itemName: 'MinisPod credit top-up',
			callbacks: { finish: 'https://app/f', unfinish: 'https://app/u', error: 'https://app/e' },
			expiryHours: 24
		});
		expect(parameter).toEqual({
			transaction_details: { order_id: 'TXMP-X', gross_amount: 50_000 },
			item_details: [{ id: 'credit-top-up', price: 50_000, quantity: 1, name: 'MinisPod credit top-up' }],
			customer_details: { first_name: 'Siti', last_name: 'Nur Aisyah', email: 'siti@example.com', phone: undefined },
			enabled_payments: ['bca_va'],
			callbacks: { finish: 'https://app/f', unfinish: 'https://app/u', error: 'https://app/e' },
			expiry: { unit: 'hour', duration: 24 }
		});
	});

	it('reads a status response into what MinisPod needs', () => {
		expect(
			toGatewayStatus({
				order_id: 'TXMP-X',
				transaction_status: 'capture',
				fraud_status: 'challenge',
				status_code: '201',
				gross_amount: '50000.00'
			})
		).toMatchObject({
			orderId: 'TXMP-X',
			transactionStatus: 'capture',
			fraudStatus: 'challenge',
			statusCode: '201',
			paymentType: null
		});
	});
});

describe('the loopback webhook address', () => {
	it('uses 127.0.0.1 for wildcard and localhost hosts, never a name that may resolve to ::1', () => {
		expect(loopbackWebhookUrl({ host: '0.0.0.0', port: 3000 })).toBe('http://127.0.0.1:3000/api/webhooks/midtrans');
		expect(loopbackWebhookUrl({ host: 'localhost', port: 4100 })).toBe('http://127.0.0.1:4100/api/webhooks/midtrans');
		expect(loopbackWebhookUrl({ host: '::', port: 80 })).toBe('http://127.0.0.1:80/api/webhooks/midtrans');
		expect(loopbackWebhookUrl({ host: '10.0.0.5', port: 3000 })).toBe('http://10.0.0.5:3000/api/webhooks/midtrans');
		expect(loopbackWebhookUrl({ host: '::1', port: 3000 })).toBe('http://[::1]:3000/api/webhooks/midtrans');
	});
});
