// The top-up amount rules, checked in the browser before anything is sent (the server checks
// the same rules again in its input schema and in the wallet service).
import { formatRupiah } from './format';
import { MIN_TOP_UP, TOP_UP_STEP } from './money';

export const minTopUpMessage = `The smallest top-up is ${formatRupiah(MIN_TOP_UP)}`;
export const topUpStepMessage = `Top up in steps of ${formatRupiah(TOP_UP_STEP)}`;

/** Why this amount cannot be topped up, or null when it can. */
export function topUpAmountProblem(amount: number | null | undefined, limits: { maxTopUp: number }): string | null {
	if (amount === null || amount === undefined || !Number.isFinite(amount) || amount <= 0) return 'Enter an amount';
	if (amount < MIN_TOP_UP) return minTopUpMessage;
	if (amount > limits.maxTopUp) return `The largest top-up is ${formatRupiah(limits.maxTopUp)}`;
	if (amount % TOP_UP_STEP !== 0) return topUpStepMessage;
	return null;
}

/** The top-up that covers a shortfall: rounded up to the step, and at least the minimum. */
export function suggestedTopUp(shortfall: number): number {
	return Math.max(MIN_TOP_UP, Math.ceil(shortfall / TOP_UP_STEP) * TOP_UP_STEP);
}
