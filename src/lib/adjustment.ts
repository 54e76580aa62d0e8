// An administrator's credit or debit of a wallet, as its two forms (the adjustments page and a
// customer's page) check and review it in the browser. The server checks the same rules again
// (wallet/schemas.ts `adjustmentInput`, wallet/admin.ts).
import { rupiahReadingProblem, type RupiahReading } from './amount';
import type { ErrorInfo } from './errors';
import { AMOUNT_SANITY_MAX } from './money';
import { m } from './paraglide/messages';

export type AdjustmentDirection = 'credit' | 'debit';

/** What the form holds when it is sent. */
export type AdjustmentDraft = { direction: AdjustmentDirection; amount: number | null; reason: string; override: boolean };

/**
 * Why the amount field's text cannot be credited or debited, or null: read as the top-up reads
 * rupiah ("50.000", "Rp 1.500.000"; not "50,5" or "abc"), then above zero and below the
 * server's bound, in the server's own sentences.
 */
export function adjustmentAmountProblem(reading: RupiahReading): string | null {
	if (reading.problem !== null) return rupiahReadingProblem(reading);
	if (reading.amount <= 0) return m.srv2_amount_above_zero();
	if (reading.amount > AMOUNT_SANITY_MAX) return m.srv_amount_too_large();
	return null;
}

/** The balance an adjustment leaves (below zero for a debit the server will refuse). */
export function balanceAfterAdjustment(balance: number, direction: AdjustmentDirection, amount: number): number {
	return direction === 'credit' ? balance + amount : balance - amount;
}

/** A refusal of one draft, by where the form tells it. */
export type AdjustmentRefusal = { draft: AdjustmentDraft; amount?: string; reason?: string; form?: string };

export function adjustmentRefusal(info: ErrorInfo, draft: AdjustmentDraft): AdjustmentRefusal {
	const amount = info.fieldErrors.amount?.[0] ?? (info.field === 'amount' ? info.message : undefined);
	const reason = info.fieldErrors.reason?.[0] ?? (info.field === 'reason' ? info.message : undefined);
	return { draft: { ...draft }, amount, reason, form: amount || reason ? undefined : info.message };
}

/**
 * The refusal's sentences that still apply to the form as it is now: a field's stands while
 * that field is unchanged; the amount's and the form's while the direction is too (a debit's
 * "below zero" says nothing about a credit), and the form's while the cap's override is.
 */
export function standingRefusal(refusal: AdjustmentRefusal | null, draft: AdjustmentDraft) {
	if (!refusal) return {};
	const sameAmount = refusal.draft.direction === draft.direction && refusal.draft.amount === draft.amount;
	return {
		amount: sameAmount ? refusal.amount : undefined,
		reason: refusal.draft.reason === draft.reason ? refusal.reason : undefined,
		form: sameAmount && refusal.draft.override === draft.override ? refusal.form : undefined
	};
}
