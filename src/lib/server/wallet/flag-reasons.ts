// Why a top-up was flagged for an administrator (money moved after it was settled, or the
// gateway reported another amount), stored as a message key (metadata.flagText) so the admin
// panel reads it in the administrator's language. transactions.flag_reason keeps the English:
// flags raised before keys show it as it is, and the audit log quotes it. A refund or
// chargeback reads as a sentence of its own in each language; any other status word, and an
// amount the gateway reported, stay as it sent them.
import { formatRupiah } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import type { GatewayReversal, Locale } from '$lib/statuses';

type Texts = {
	/** A refund or chargeback, whole or partial, of a credited top-up. */
	reversed: { status: string };
	/** Any other status the gateway reports for a credited top-up. */
	unexpected_status: { status: string };
	/** A payment that arrived after the top-up was closed here. */
	paid_after_close: Record<string, never>;
	/** The gateway's amount is not the top-up's (`amount` in rupiah). */
	amount_mismatch: { reported: string; amount: number };
};

export type FlagReason = { [K in keyof Texts]: { key: K; params: Texts[K] } }[keyof Texts];

export const flagReason = <K extends keyof Texts>(key: K, params: Texts[K]) => ({ key, params }) as FlagReason;

const REVERSED: Record<GatewayReversal, (inputs: Record<string, never>, options: { locale: Locale }) => string> = {
	refund: m.txt13_flag_refund,
	partial_refund: m.txt13_flag_partial_refund,
	chargeback: m.txt13_flag_chargeback,
	partial_chargeback: m.txt13_flag_partial_chargeback
};

/** The reason's sentence in a language; null for a key this version does not know. */
export function renderFlagReason(reason: FlagReason, locale: Locale): string | null {
	const options = { locale };
	switch (reason.key) {
		case 'reversed': {
			const { status } = reason.params;
			if (Object.hasOwn(REVERSED, status)) return REVERSED[status as GatewayReversal]({}, options);
			return m.txt7_flag_reversed({ status: status.replace('_', ' ') }, options);
		}
		case 'unexpected_status':
			return m.txt7_flag_unexpected_status(reason.params, options);
		case 'paid_after_close':
			return m.txt7_flag_paid_after_close({}, options);
		case 'amount_mismatch':
			return m.txt7_flag_amount_mismatch(
				{ reported: reason.params.reported.slice(0, 30), amount: formatRupiah(reason.params.amount) },
				options
			);
		default:
			return null;
	}
}

/** The English transactions.flag_reason keeps. */
export const flagReasonEnglish = (reason: FlagReason): string => renderFlagReason(reason, 'en') ?? reason.key;

/** What an administrator reads: the keyed sentence in their language, else the stored text. */
export const flagReasonFor = (text: FlagReason | undefined, stored: string | null, locale: Locale): string | null =>
	(text && renderFlagReason(text, locale)) ?? stored;
