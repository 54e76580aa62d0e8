// Why a top-up did not go through, stored as a message key (metadata.failureText, and
// metadata.cancelText while MinisPod's cancel waits for the gateway) so each reader gets it in
// their own language: the top-up and transaction pages in the viewer's, the notice in the
// recipient's. metadata.failureReason keeps the English as well: rows written before keys
// show it as it is, and the log reads it.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';

type Message = (inputs: Record<string, never>, options: { locale: Locale }) => string;

const MESSAGES = {
	denied: m.txt6_topup_denied,
	payment_cancelled: m.txt6_topup_payment_cancelled,
	payment_expired: m.txt6_topup_payment_expired,
	provider_failed: m.txt6_topup_provider_failed,
	fraud_rejected: m.txt6_topup_fraud_rejected,
	payment_failed: m.txt6_topup_payment_failed,
	returned: m.txt6_topup_returned,
	cancelled_by_customer: m.txt6_topup_cancelled_by_customer,
	not_paid_in_time: m.txt6_topup_not_paid_in_time,
	gateway_start_failed: m.txt6_topup_gateway_start_failed
} satisfies Record<string, Message>;

export type TopUpReasonKey = keyof typeof MESSAGES;
export type TopUpReason = { key: TopUpReasonKey; params: Record<string, never> };

export const topUpReason = (key: TopUpReasonKey): TopUpReason => ({ key, params: {} });

/** The reason's sentence in a language; null for a key this version does not know. */
export const renderTopUpReason = (reason: TopUpReason, locale: Locale): string | null =>
	(MESSAGES as Partial<Record<string, Message>>)[reason.key]?.({}, { locale }) ?? null;

/** The reason's English, as metadata.failureReason keeps it. */
export const topUpReasonEnglish = (reason: TopUpReason): string => renderTopUpReason(reason, 'en') ?? reason.key;

/** What a reader sees: the keyed sentence in their language, else the stored text as it is. */
export const topUpReasonFor = (text: TopUpReason | undefined, stored: string | undefined, locale: Locale): string | null =>
	(text && renderTopUpReason(text, locale)) ?? stored ?? null;
