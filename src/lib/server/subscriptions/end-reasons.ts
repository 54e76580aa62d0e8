// Why a subscription ended (or will end), stored as a message key (subscriptions.cancel_reason_text)
// so each reader gets it in their own language: the subscription's view in the viewer's, the
// termination notice in the recipient's. An administrator's own reason is a person's words and
// stays as written. The cancel_reason column keeps the English as well: rows written before
// keys show it as it is.
import { m } from '$lib/paraglide/messages';
import { fixedReasons, type FixedReason } from '../fixed-reasons';

/** `endReasons.reason(key)` writes one; `.render`, `.english` and `.readFor` read it. */
export const endReasons = fixedReasons({
	customer_period_end: m.txt6_end_customer_period_end,
	customer_terminated: m.txt6_end_customer_terminated,
	deleted_unpaid: m.txt6_end_deleted_unpaid
});

export type EndReasonKey = Parameters<typeof endReasons.reason>[0];
export type EndReason = FixedReason<EndReasonKey>;

/** MinisPod's reason (a key) or an administrator's (their words), as the columns keep it. */
export const endReasonColumns = (reason: EndReason | string) =>
	typeof reason === 'string'
		? { cancelReason: reason, cancelReasonText: null }
		: { cancelReason: endReasons.english(reason), cancelReasonText: reason };
