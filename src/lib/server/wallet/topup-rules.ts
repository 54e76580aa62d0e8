// The pure rules of a gateway top-up: order ids, which Snap channels a choice enables, and
// the state machine that decides what a gateway status means for a top-up.
import { randomBytes } from 'node:crypto';
import type { PaymentMethod, TransactionStatus } from '../db/schema';
import { ledgerText, type LedgerText } from './ledger-texts';
import { topUpReasons, type TopUpReason, type TopUpReasonKey } from './topup-reasons';
import { flagReason, type FlagReason } from './flag-reasons';

export const TOP_UP_METHODS = ['BANK_TRANSFER', 'E_WALLET', 'CREDIT_CARD', 'QRIS'] as const;
export const BANKS = ['bca', 'bni', 'bri', 'mandiri', 'permata'] as const;
export const E_WALLETS = ['gopay', 'shopeepay'] as const;

export type TopUpMethod = (typeof TOP_UP_METHODS)[number];
export type Bank = (typeof BANKS)[number];
export type EWallet = (typeof E_WALLETS)[number];
export type TopUpChoice = { method: TopUpMethod; bank?: Bank; wallet?: EWallet };

/** Snap `enabled_payments` codes per bank (Mandiri's is its bill payment, `echannel`). */
const BANK_CHANNELS: Record<Bank, string> = {
	bca: 'bca_va',
	bni: 'bni_va',
	bri: 'bri_va',
	mandiri: 'echannel',
	permata: 'permata_va'
};
const WALLET_CHANNELS: Record<EWallet, string> = { gopay: 'gopay', shopeepay: 'shopeepay' };

/** The channels the payment page offers for a choice: one when a bank or wallet is named. */
export function enabledPaymentsFor(choice: TopUpChoice): string[] {
	switch (choice.method) {
		case 'BANK_TRANSFER':
			return choice.bank ? [BANK_CHANNELS[choice.bank]] : Object.values(BANK_CHANNELS);
		case 'E_WALLET':
			return choice.wallet ? [WALLET_CHANNELS[choice.wallet]] : Object.values(WALLET_CHANNELS);
		case 'CREDIT_CARD':
			return ['credit_card'];
		case 'QRIS':
			return ['other_qris'];
	}
}

export const PAYMENT_METHOD_FOR: Record<TopUpMethod, PaymentMethod> = {
	BANK_TRANSFER: 'MIDTRANS_BANK_TRANSFER',
	E_WALLET: 'MIDTRANS_E_WALLET',
	CREDIT_CARD: 'MIDTRANS_CREDIT_CARD',
	QRIS: 'MIDTRANS_QRIS'
};

const METHOD_LABELS: Record<TopUpMethod, string> = {
	BANK_TRANSFER: 'bank transfer',
	E_WALLET: 'e-wallet',
	CREDIT_CARD: 'card',
	QRIS: 'QRIS'
};

/** Each bank and e-wallet as it writes its own name: BCA, but Mandiri and Permata. */
const BANK_NAMES: Record<Bank, string> = { bca: 'BCA', bni: 'BNI', bri: 'BRI', mandiri: 'Mandiri', permata: 'Permata' };
const WALLET_NAMES: Record<EWallet, string> = { gopay: 'GoPay', shopeepay: 'ShopeePay' };

/** The bank or e-wallet a choice names, in brackets after the method; nothing for the others. */
function choiceDetail(choice: TopUpChoice): string {
	const name = choice.bank ? BANK_NAMES[choice.bank] : choice.wallet ? WALLET_NAMES[choice.wallet] : undefined;
	return name ? ` (${name})` : '';
}

export function topUpDescription(choice: TopUpChoice): string {
	return `Top-up by ${METHOD_LABELS[choice.method]}${choiceDetail(choice)}`;
}

/** The same in both languages: the method's message and the bank or e-wallet's name. */
export function topUpText(choice: TopUpChoice): LedgerText {
	return ledgerText('top_up', { method: choice.method, detail: choiceDetail(choice) });
}

// Crockford base32: no I, L, O or U, so ids read aloud and type back unambiguously.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ORDER_ID_PATTERN = /^TXMP-[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * `TXMP-` and a ULID: 10 characters of millisecond time (so ids sort by creation) and 16 of
 * randomness; 31 characters, inside Midtrans's 50.
 */
export function createOrderId(now: number = Date.now(), random: Uint8Array = randomBytes(10)): string {
	if (random.length < 10) throw new Error('An order id needs 10 random bytes');
	let time = '';
	let rest = now;
	for (let i = 0; i < 10; i++) {
		time = CROCKFORD[rest % 32] + time;
		rest = Math.floor(rest / 32);
	}
	let bits = 0n;
	for (const byte of random.subarray(0, 10)) bits = (bits << 8n) | BigInt(byte);
	let tail = '';
	for (let i = 0; i < 16; i++) {
		tail = CROCKFORD[Number(bits & 31n)] + tail;
		bits >>= 5n;
	}
	return `TXMP-${time}${tail}`;
}

// ---------------------------------------------------------------------------------------
// The state machine
// ---------------------------------------------------------------------------------------

/** What a gateway status means, whatever the channel. */
export type GatewayOutcome = 'paid' | 'waiting' | 'failed' | 'reversed' | 'unknown';

export function classifyGatewayStatus(transactionStatus: string, fraudStatus: string | null): GatewayOutcome {
	switch (transactionStatus) {
		case 'settlement':
			return 'paid';
		case 'capture':
			// A card capture is money only once fraud detection accepts it.
			if (fraudStatus === 'challenge') return 'waiting';
			if (fraudStatus === 'deny') return 'failed';
			return 'paid';
		case 'pending':
		case 'authorize':
			return 'waiting';
		case 'deny':
		case 'cancel':
		case 'expire':
		case 'failure':
			return 'failed';
		case 'refund':
		case 'partial_refund':
		case 'chargeback':
		case 'partial_chargeback':
			return 'reversed';
		default:
			return 'unknown';
	}
}

export type TopUpStep =
	/** Complete the top-up and credit the wallet. */
	| { action: 'credit' }
	/** Still waiting for the customer or for review; stays PENDING. */
	| { action: 'wait' }
	/** The payment did not happen; the top-up becomes FAILED, saying why in the reader's language. */
	| { action: 'fail'; reason: TopUpReason }
	/** Money moved after the top-up was settled either way; an administrator must look. */
	| { action: 'flag'; reason: FlagReason }
	/** Nothing to do: a repeat of what is known, or a status that would move backwards. */
	| { action: 'ignore'; reason: 'duplicate' | 'stale' | 'unknown_status' };

const FAILURE_REASONS: Record<string, TopUpReasonKey> = {
	deny: 'denied',
	cancel: 'payment_cancelled',
	expire: 'payment_expired',
	failure: 'provider_failed',
	capture: 'fraud_rejected'
};

/**
 * What to do with a top-up, given its status here and the status the gateway reports.
 * Final statuses never move backwards: a completed top-up is never uncredited (a refund or
 * chargeback flags it for an administrator instead), and a failed one is never credited
 * automatically (a late payment is flagged so an administrator can credit it by hand).
 */
export function nextTopUpStep(
	current: { status: TransactionStatus; gatewayStatus: string | null },
	gateway: { transactionStatus: string; fraudStatus: string | null }
): TopUpStep {
	const outcome = classifyGatewayStatus(gateway.transactionStatus, gateway.fraudStatus);
	if (outcome === 'unknown') return { action: 'ignore', reason: 'unknown_status' };
	const repeat = current.gatewayStatus === gateway.transactionStatus;

	if (current.status === 'PENDING') {
		if (outcome === 'paid') return { action: 'credit' };
		if (outcome === 'waiting') return { action: 'wait' };
		if (outcome === 'failed') {
			return { action: 'fail', reason: topUpReasons.reason(FAILURE_REASONS[gateway.transactionStatus] ?? 'payment_failed') };
		}
		return { action: 'fail', reason: topUpReasons.reason('returned') };
	}

	if (current.status === 'COMPLETED') {
		if (outcome === 'paid') return { action: 'ignore', reason: 'duplicate' };
		if (outcome === 'waiting') return { action: 'ignore', reason: 'stale' };
		if (repeat) return { action: 'ignore', reason: 'duplicate' };
		const status = { status: gateway.transactionStatus };
		return { action: 'flag', reason: flagReason(outcome === 'reversed' ? 'reversed' : 'unexpected_status', status) };
	}

	// FAILED, CANCELLED or REFUNDED: closed here. Only money arriving anyway needs a person.
	if (outcome === 'paid' && !repeat) {
		return { action: 'flag', reason: flagReason('paid_after_close', {}) };
	}
	return { action: 'ignore', reason: outcome === 'paid' ? 'duplicate' : 'stale' };
}
