// Ledger rows read in the reader's language: a stored text is rendered per request; a row
// written before texts existed keeps its English description.
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { overwriteServerAsyncLocalStorage } from '../../../src/lib/paraglide/runtime';
import { ledgerText, renderLedgerText } from '../../../src/lib/server/wallet/ledger-texts';
import { topUpText } from '../../../src/lib/server/wallet/topup-rules';
import { toTransactionView } from '../../../src/lib/server/wallet/views';
import type { Transaction } from '../../../src/lib/server/db/schema';
import type { Locale } from '../../../src/lib/statuses';

const requests = new AsyncLocalStorage<{ locale?: Locale }>();
overwriteServerAsyncLocalStorage(requests as never);

const charge = ledgerText('charge', {
	service: 'Ghost',
	plan: 'Basic',
	period: ['2026-07-31T17:00:00.000Z', '2026-08-31T17:00:00.000Z']
});

describe('ledger texts', () => {
	it('write a charge, a top-up and a refund in both languages, with WIB dates', () => {
		expect(renderLedgerText(charge, 'en')).toBe('Ghost Basic, 1 Aug 2026 – 1 Sep 2026');
		expect(renderLedgerText(charge, 'id')).toBe('Ghost Basic, 1 Agu 2026 – 1 Sep 2026');
		expect(renderLedgerText(topUpText({ method: 'BANK_TRANSFER', bank: 'bca' }), 'en')).toBe('Top-up by bank transfer (BCA)');
		expect(renderLedgerText(topUpText({ method: 'E_WALLET', wallet: 'gopay' }), 'id')).toBe('Isi ulang lewat e-wallet (GoPay)');
		expect(renderLedgerText(ledgerText('refund_unused', { service: 'Ghost', plan: 'Basic' }), 'id')).toBe(
			'Pengembalian dana untuk sisa Ghost Basic yang tidak terpakai'
		);
	});

	it("show in the wallet history in the request's language; older rows keep their description", () => {
		const row = {
			id: 'x',
			type: 'SUBSCRIPTION',
			status: 'COMPLETED',
			metadata: {},
			description: 'Ghost Basic, 1 Aug 2026 – 1 Sep 2026'
		};
		const withText = { ...row, text: charge } as unknown as Transaction;
		const old = { ...row, text: null } as unknown as Transaction;
		requests.run({ locale: 'id' }, () => {
			expect(toTransactionView(withText).description).toBe('Ghost Basic, 1 Agu 2026 – 1 Sep 2026');
			expect(toTransactionView(old).description).toBe('Ghost Basic, 1 Aug 2026 – 1 Sep 2026');
		});
		expect(toTransactionView(withText).description).toBe('Ghost Basic, 1 Aug 2026 – 1 Sep 2026');
	});
});
