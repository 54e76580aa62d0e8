import { describe, expect, it } from 'vitest';
import { suggestedTopUp, topUpAmountProblem } from '../../src/lib/topup';
import { insufficientCredit } from '../../src/lib/server/errors';
import { topUpInput } from '../../src/lib/server/wallet/schemas';

const limits = { maxTopUp: 10_000_000 };

describe('top-up amounts', () => {
	it('are checked in the browser: at least the minimum, at most the maximum, in steps of Rp 1.000', () => {
		expect(topUpAmountProblem(5_000, limits, 'en')).toBe('The smallest top-up is Rp 10.000');
		expect(topUpAmountProblem(10_500, limits, 'en')).toBe('Top up in steps of Rp 1.000');
		expect(topUpAmountProblem(20_000_000, limits, 'en')).toBe('The largest top-up is Rp 10.000.000');
		expect(topUpAmountProblem(null, limits, 'en')).toBe('Enter an amount');
		expect(topUpAmountProblem(25_000, limits)).toBeNull();
	});

	it('off the step are refused by the server too, naming the amount', () => {
		const parsed = topUpInput.safeParse({ amount: 10_500, method: 'QRIS' });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0]).toMatchObject({ path: ['amount'], message: 'Top up in steps of Rp 1.000' });
		expect(topUpInput.safeParse({ amount: 11_000, method: 'QRIS' }).success).toBe(true);
	});

	it('suggested for a shortfall are valid top-ups', () => {
		expect(suggestedTopUp(2_500)).toBe(10_000);
		expect(suggestedTopUp(25_001)).toBe(26_000);
		expect(suggestedTopUp(59_000)).toBe(59_000);
		expect(insufficientCredit({ shortfall: 12_345, balance: 0, required: 12_345 }).details.topUpUrl).toBe('/wallet?amount=13000');
	});
});
