// What a ledger row says in the wallet history, stored as a message key and its parameters
// (transactions.text) so each reader gets it in their own language, like notifications
// (notifications/texts.ts). Dates are kept as values and formatted for the reader. The
// description column keeps the English as well: rows written before texts existed show it
// as it is, and anyone reading the table understands it.
import { formatDate, formatPeriod } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';
import type { TopUpMethod } from './topup-rules';

type Service = { service: string; plan: string };

/** Every text, with the parameters its message takes (dates as ISO strings). */
type Texts = {
	charge: Service & { period: [string, string] };
	refund_unused: Service;
	refund_setup_failed: Service;
	upgrade: { service: string; from: string; to: string; date: string };
	refund_upgrade_failed: { plan: string };
	admin_credit: Record<string, never>;
	admin_debit: Record<string, never>;
	welcome_credit: Record<string, never>;
	top_up: { method: TopUpMethod; detail: string };
	transfer_proof: Record<string, never>;
};

export type LedgerTextKey = keyof Texts;
export type LedgerText = { [K in LedgerTextKey]: { key: K; params: Texts[K] } }[LedgerTextKey];

export const ledgerText = <K extends LedgerTextKey>(key: K, params: Texts[K]) => ({ key, params }) as LedgerText;

const METHODS: Record<TopUpMethod, (inputs: object, options: { locale: Locale }) => string> = {
	BANK_TRANSFER: m.cust_txn_method_bank_transfer,
	E_WALLET: m.cust_txn_method_e_wallet,
	CREDIT_CARD: m.cust_txn_method_credit_card,
	QRIS: m.cust_txn_method_qris
};

/** The row's sentence in a language; null for a key this version does not know. */
export function renderLedgerText(text: LedgerText, locale: Locale): string | null {
	const options = { locale };
	switch (text.key) {
		case 'charge':
			return m.cust_txn_charge(
				{ ...text.params, period: formatPeriod(text.params.period[0], text.params.period[1], locale) },
				options
			);
		case 'refund_unused':
			return m.cust_txn_refund_unused(text.params, options);
		case 'refund_setup_failed':
			return m.cust_txn_refund_setup_failed(text.params, options);
		case 'upgrade':
			return m.cust_txn_upgrade({ ...text.params, date: formatDate(text.params.date, locale) }, options);
		case 'refund_upgrade_failed':
			return m.cust_txn_refund_upgrade_failed(text.params, options);
		case 'admin_credit':
			return m.cust_txn_admin_credit({}, options);
		case 'admin_debit':
			return m.cust_txn_admin_debit({}, options);
		case 'welcome_credit':
			return m.cust_txn_welcome_credit({}, options);
		case 'top_up':
			return m.cust_txn_top_up(
				{ method: METHODS[text.params.method]?.({}, options) ?? text.params.method, detail: text.params.detail },
				options
			);
		case 'transfer_proof':
			return m.cust_txn_transfer_proof({}, options);
		default:
			return null;
	}
}
