// Why a top-up did not go through, stored as a message key (metadata.failureText, and
// metadata.cancelText while MinisPod's cancel waits for the gateway) so each reader gets it in
// their own language: the top-up and transaction pages in the viewer's, the notice in the
// recipient's. metadata.failureReason keeps the English as well: rows written before keys
// show it as it is, and the log reads it.
import { m } from '$lib/paraglide/messages';
import { fixedReasons, type FixedReason } from '../fixed-reasons';

/**
 * `topUpReasons.reason(key)` writes one; `.render` and `.readFor` read it, `.english` is what
 * metadata.failureReason keeps.
 */
export const topUpReasons = fixedReasons({
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
});

export type TopUpReasonKey = Parameters<typeof topUpReasons.reason>[0];
export type TopUpReason = FixedReason<TopUpReasonKey>;
