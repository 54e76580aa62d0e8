import { describe, expect, it } from 'vitest';
import {
	classifyGatewayStatus,
	createOrderId,
	enabledPaymentsFor,
	nextTopUpStep,
	ORDER_ID_PATTERN,
	topUpDescription
} from '../../../src/lib/server/wallet/topup-rules';
import type { TransactionStatus } from '../../../src/lib/server/db/schema';
import { topUpReasons } from '../../../src/lib/server/wallet/topup-reasons';

describe('order ids', () => {
	it('are TXMP- and 26 Crockford characters, 31 in all (Midtrans allows 50)', () => {
		const id = createOrderId();
		expect(id).toMatch(ORDER_ID_PATTERN);
		expect(id).toHaveLength(31);
	});

	it('sort by creation time', () => {
		const random = new Uint8Array(10).fill(255);
		const earlier = createOrderId(1_700_000_000_000, random);
		const later = createOrderId(1_700_000_000_001, new Uint8Array(10));
		expect(earlier < later).toBe(true);
		const ids = [5, 3, 9, 1].map((offset) => createOrderId(1_700_000_000_000 + offset * 1000));
		expect([...ids].sort()).toEqual([1, 3, 5, 9].map((offset) => ids[[5, 3, 9, 1].indexOf(offset)]));
	});

	it('encode time and randomness deterministically', () => {
		expect(createOrderId(0, new Uint8Array(10))).toBe('TXMP-00000000000000000000000000');
		expect(createOrderId(1_700_000_000_000, new Uint8Array(10).fill(255))).toBe('TXMP-01HF7YAT00ZZZZZZZZZZZZZZZZ');
	});

	it('do not repeat', () => {
		const ids = new Set(Array.from({ length: 5_000 }, () => createOrderId()));
		expect(ids.size).toBe(5_000);
	});
});

describe('payment channels', () => {
	it('map a bank to its virtual account (Mandiri to bill payment), or offer all banks', () => {
		expect(enabledPaymentsFor({ method: 'BANK_TRANSFER', bank: 'bca' })).toEqual(['bca_va']);
		expect(enabledPaymentsFor({ method: 'BANK_TRANSFER', bank: 'mandiri' })).toEqual(['echannel']);
		expect(enabledPaymentsFor({ method: 'BANK_TRANSFER', bank: 'permata' })).toEqual(['permata_va']);
		expect(enabledPaymentsFor({ method: 'BANK_TRANSFER' })).toEqual(['bca_va', 'bni_va', 'bri_va', 'echannel', 'permata_va']);
	});

	it('map e-wallets, cards and QRIS', () => {
		expect(enabledPaymentsFor({ method: 'E_WALLET', wallet: 'gopay' })).toEqual(['gopay']);
		expect(enabledPaymentsFor({ method: 'E_WALLET' })).toEqual(['gopay', 'shopeepay']);
		expect(enabledPaymentsFor({ method: 'CREDIT_CARD' })).toEqual(['credit_card']);
		expect(enabledPaymentsFor({ method: 'QRIS' })).toEqual(['other_qris']);
	});

	it('describe the choice for the history', () => {
		expect(topUpDescription({ method: 'BANK_TRANSFER', bank: 'bni' })).toBe('Top-up by bank transfer (BNI)');
		expect(topUpDescription({ method: 'E_WALLET', wallet: 'shopeepay' })).toBe('Top-up by e-wallet (ShopeePay)');
		expect(topUpDescription({ method: 'QRIS' })).toBe('Top-up by QRIS');
		// Each bank as it writes its name, not upper-cased.
		expect(topUpDescription({ method: 'BANK_TRANSFER', bank: 'mandiri' })).toBe('Top-up by bank transfer (Mandiri)');
		expect(topUpDescription({ method: 'BANK_TRANSFER', bank: 'permata' })).toBe('Top-up by bank transfer (Permata)');
	});
});

describe('gateway statuses', () => {
	it('mean money only for settlement and accepted captures', () => {
		expect(classifyGatewayStatus('settlement', null)).toBe('paid');
		expect(classifyGatewayStatus('capture', 'accept')).toBe('paid');
		expect(classifyGatewayStatus('capture', 'challenge')).toBe('waiting');
		expect(classifyGatewayStatus('capture', 'deny')).toBe('failed');
		expect(classifyGatewayStatus('pending', null)).toBe('waiting');
		for (const status of ['deny', 'cancel', 'expire', 'failure']) expect(classifyGatewayStatus(status, null)).toBe('failed');
		for (const status of ['refund', 'partial_refund', 'chargeback', 'partial_chargeback']) {
			expect(classifyGatewayStatus(status, null)).toBe('reversed');
		}
		expect(classifyGatewayStatus('something_new', null)).toBe('unknown');
	});
});

describe('the top-up state machine', () => {
	const step = (
		status: TransactionStatus,
		transactionStatus: string,
		fraudStatus: string | null = null,
		gatewayStatus: string | null = null
	) => nextTopUpStep({ status, gatewayStatus }, { transactionStatus, fraudStatus });

	it('credits a pending top-up on settlement or an accepted capture', () => {
		expect(step('PENDING', 'settlement')).toEqual({ action: 'credit' });
		expect(step('PENDING', 'capture', 'accept')).toEqual({ action: 'credit' });
	});

	it('keeps it pending while waiting for the customer or for fraud review', () => {
		expect(step('PENDING', 'pending')).toEqual({ action: 'wait' });
		expect(step('PENDING', 'capture', 'challenge')).toEqual({ action: 'wait' });
	});

	it('fails it on deny, cancel, expire, failure and a fraud-denied capture, with a reason', () => {
		expect(step('PENDING', 'deny')).toEqual({ action: 'fail', reason: topUpReasons.reason('denied') });
		expect(step('PENDING', 'cancel')).toEqual({ action: 'fail', reason: topUpReasons.reason('payment_cancelled') });
		expect(step('PENDING', 'expire')).toEqual({ action: 'fail', reason: topUpReasons.reason('payment_expired') });
		expect(step('PENDING', 'failure')).toEqual({ action: 'fail', reason: topUpReasons.reason('provider_failed') });
		expect(step('PENDING', 'capture', 'deny')).toMatchObject({ action: 'fail' });
		expect(step('PENDING', 'refund')).toMatchObject({ action: 'fail' });
	});

	it('never moves a completed top-up backwards', () => {
		expect(step('COMPLETED', 'settlement', null, 'settlement')).toEqual({ action: 'ignore', reason: 'duplicate' });
		expect(step('COMPLETED', 'capture', 'accept', 'settlement')).toEqual({ action: 'ignore', reason: 'duplicate' });
		expect(step('COMPLETED', 'pending', null, 'settlement')).toEqual({ action: 'ignore', reason: 'stale' });
		expect(step('COMPLETED', 'capture', 'challenge', 'capture')).toEqual({ action: 'ignore', reason: 'stale' });
	});

	it('flags money going back after a credit, once per gateway status', () => {
		expect(step('COMPLETED', 'refund', null, 'settlement')).toEqual({
			action: 'flag',
			reason: { key: 'reversed', params: { status: 'refund' } }
		});
		expect(step('COMPLETED', 'partial_chargeback', null, 'refund')).toMatchObject({ action: 'flag' });
		expect(step('COMPLETED', 'refund', null, 'refund')).toEqual({ action: 'ignore', reason: 'duplicate' });
		expect(step('COMPLETED', 'cancel', null, 'capture')).toEqual({
			action: 'flag',
			reason: { key: 'unexpected_status', params: { status: 'cancel' } }
		});
	});

	it('never credits a closed top-up automatically, but flags a payment that arrives anyway', () => {
		for (const closed of ['FAILED', 'CANCELLED', 'REFUNDED'] as const) {
			expect(step(closed, 'settlement', null, 'expire')).toMatchObject({ action: 'flag' });
			expect(step(closed, 'settlement', null, 'settlement')).toEqual({ action: 'ignore', reason: 'duplicate' });
			expect(step(closed, 'pending', null, 'expire')).toEqual({ action: 'ignore', reason: 'stale' });
			expect(step(closed, 'expire', null, 'expire')).toEqual({ action: 'ignore', reason: 'stale' });
		}
	});

	it('ignores statuses it does not know', () => {
		expect(step('PENDING', 'teleported')).toEqual({ action: 'ignore', reason: 'unknown_status' });
	});
});
