// Why a top-up did not go through, as the top-up and transaction pages and the notice read
// it: a keyed reason in the reader's language, a row from before keys with its stored English.
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../../../src/lib/server/db/schema';
import { toTransactionDetail } from '../../../src/lib/server/wallet/views';
import { topUpReasons } from '../../../src/lib/server/wallet/topup-reasons';
import { asRupiah, asTopUpReason, renderText } from '../../../src/lib/server/notifications/texts';
import type { WalletMetadata } from '../../../src/lib/server/wallet/metadata';
import type { Locale } from '../../../src/lib/statuses';
import { inLocale } from '../../support/locale';

const at = new Date('2026-11-01T03:00:00Z');
const failedTopUp = (metadata: WalletMetadata) =>
	({
		id: 't',
		userId: 'u',
		type: 'TOP_UP',
		status: 'FAILED',
		amount: 50_000,
		balanceBefore: null,
		balanceAfter: null,
		description: 'Top-up',
		text: null,
		paymentMethod: 'BANK_TRANSFER',
		orderId: 'o',
		metadata,
		createdAt: at,
		completedAt: null,
		flaggedAt: null,
		flagResolvedAt: null,
		paymentProof: null
	}) as unknown as Transaction;

const reasonIn = (row: Transaction, locale: Locale) => inLocale(locale, async () => toTransactionDetail(row).failureReason);

describe('a failed top-up’s reason in the viewer’s language', () => {
	it('shows a row written before reason keys with its stored text, in either language', async () => {
		const old = failedTopUp({ failureReason: 'You cancelled this top-up.' });
		expect(await reasonIn(old, 'id')).toBe('You cancelled this top-up.');
		expect(await reasonIn(old, 'en')).toBe('You cancelled this top-up.');
	});

	it('writes a keyed reason in each language', async () => {
		const text = topUpReasons.reason('not_paid_in_time');
		const row = failedTopUp({ failureReason: topUpReasons.english(text), failureText: text });
		expect(await reasonIn(row, 'en')).toBe('The top-up was not paid in time.');
		expect(await reasonIn(row, 'id')).toBe('Isi saldo tidak dibayar tepat waktu.');
	});

	it('is said in the notice in the recipient’s language', () => {
		const text = topUpReasons.reason('denied');
		const notice = {
			key: 'top_up_failed' as const,
			params: { amount: asRupiah(50_000), reason: asTopUpReason(text, topUpReasons.english(text)) }
		};
		expect(renderText(notice, 'id')?.body).toBe(
			'Isi saldo Anda sebesar Rp 50.000 tidak dibayar: Pembayaran ditolak. Tidak ada biaya yang dipotong.'
		);
		expect(renderText(notice, 'en')?.body).toBe(
			'Your top-up of Rp 50.000 was not paid: The payment was denied. Nothing was charged.'
		);
	});
});
