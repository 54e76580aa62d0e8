// Why a subscription ended (or will end), stored as a message key (subscriptions.cancel_reason_text)
// so each reader gets it in their own language: the subscription's view in the viewer's, the
// termination notice in the recipient's. An administrator's own reason is a person's words and
// stays as written. The cancel_reason column keeps the English as well: rows written before
// keys show it as it is.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';

type Message = (inputs: Record<string, never>, options: { locale: Locale }) => string;

const MESSAGES = {
	customer_period_end: m.txt6_end_customer_period_end,
	customer_terminated: m.txt6_end_customer_terminated,
	deleted_unpaid: m.txt6_end_deleted_unpaid
} satisfies Record<string, Message>;

export type EndReasonKey = keyof typeof MESSAGES;
export type EndReason = { key: EndReasonKey; params: Record<string, never> };

export const endReason = (key: EndReasonKey): EndReason => ({ key, params: {} });

/** The reason's sentence in a language; null for a key this version does not know. */
export const renderEndReason = (reason: EndReason, locale: Locale): string | null =>
	(MESSAGES as Partial<Record<string, Message>>)[reason.key]?.({}, { locale }) ?? null;

/** MinisPod's reason (a key) or an administrator's (their words), as the columns keep it. */
export const endReasonColumns = (reason: EndReason | string) =>
	typeof reason === 'string'
		? { cancelReason: reason, cancelReasonText: null }
		: { cancelReason: renderEndReason(reason, 'en') ?? reason.key, cancelReasonText: reason };

/** What a reader sees: the keyed sentence in their language, else the stored text as it is. */
export const endReasonFor = (text: EndReason | null, stored: string | null, locale: Locale): string | null =>
	(text && renderEndReason(text, locale)) ?? stored;
