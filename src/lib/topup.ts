// The top-up amount rules, checked in the browser before anything is sent (the server checks
// the same rules again in its input schema and in the wallet service).
import { formatRupiah } from './format';
import { MIN_TOP_UP, TOP_UP_STEP } from './money';
import { m } from './paraglide/messages';
import type { Locale } from './statuses';

/** Why this amount cannot be topped up (in the page's language), or null when it can. */
export function topUpAmountProblem(
	amount: number | null | undefined,
	limits: { maxTopUp: number },
	locale?: Locale
): string | null {
	const options = { locale };
	if (amount === null || amount === undefined || !Number.isFinite(amount) || amount <= 0)
		return m.topup_enter_amount({}, options);
	if (amount < MIN_TOP_UP) return m.topup_min({ amount: formatRupiah(MIN_TOP_UP) }, options);
	if (amount > limits.maxTopUp) return m.topup_max({ amount: formatRupiah(limits.maxTopUp) }, options);
	if (amount % TOP_UP_STEP !== 0) return m.topup_step({ amount: formatRupiah(TOP_UP_STEP) }, options);
	return null;
}

/** The top-up that covers a shortfall: rounded up to the step, and at least the minimum. */
export function suggestedTopUp(shortfall: number): number {
	return Math.max(MIN_TOP_UP, Math.ceil(shortfall / TOP_UP_STEP) * TOP_UP_STEP);
}
