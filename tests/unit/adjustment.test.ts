import { describe, expect, it } from 'vitest';
import { readRupiah, rupiahReadingProblem } from '../../src/lib/amount';
import {
	adjustmentAmountProblem,
	adjustmentRefusal,
	balanceAfterAdjustment,
	standingRefusal,
	type AdjustmentDraft
} from '../../src/lib/adjustment';
import type { ErrorInfo } from '../../src/lib/errors';
import { AMOUNT_SANITY_MAX } from '../../src/lib/money';
import { m } from '../../src/lib/paraglide/messages';
import { adjustmentInput } from '../../src/lib/server/wallet/schemas';

const userId = '00000000-0000-4000-8000-000000000001';
const accepted = (amount: number) =>
	adjustmentInput.safeParse({ userId, direction: 'credit', amount, reason: 'Goodwill credit' }).success;

describe("an administrator's adjustment amount", () => {
	const problemOf = (text: string) => adjustmentAmountProblem(readRupiah(text));

	it('is read as rupiah are written, as the top-up reads it, and sent as the number the server takes', () => {
		for (const [text, amount] of [
			['1', 1],
			['50000', 50_000],
			['50.000', 50_000],
			['Rp 1.500.000', 1_500_000],
			['Rp 250.000,-', 250_000]
		] as const) {
			expect(readRupiah(text).amount, text).toBe(amount);
			expect(problemOf(text), text).toBeNull();
			expect(accepted(amount), text).toBe(true);
		}
	});

	it('is refused in the browser as the server refuses it, in the sentence the top-up uses', () => {
		// Not an amount: refused before anything is sent, so the server never sees it.
		for (const text of ['50,5', 'abc', '-1', '1.5', '50,000', ''])
			expect(problemOf(text), text).toBe(rupiahReadingProblem(readRupiah(text)));
		expect(problemOf('50,5')).toBe(m.txt17_amount_whole());
		expect(problemOf('abc')).toBe(m.txt17_amount_unreadable());
		// An amount, but not one the server takes.
		expect(problemOf('0')).toBe(m.srv2_amount_above_zero());
		expect(accepted(0)).toBe(false);
		expect(problemOf(String(AMOUNT_SANITY_MAX + 1))).toBe(m.srv_amount_too_large());
		expect(accepted(AMOUNT_SANITY_MAX + 1)).toBe(false);
		for (const amount of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(accepted(amount)).toBe(false);
	});

	it('leaves the balance the review shows', () => {
		expect(balanceAfterAdjustment(50_000, 'credit', 10_000)).toBe(60_000);
		expect(balanceAfterAdjustment(50_000, 'debit', 10_000)).toBe(40_000);
		expect(balanceAfterAdjustment(5_000, 'debit', 10_000)).toBe(-5_000);
	});
});

describe("an adjustment's refusal", () => {
	const draft: AdjustmentDraft = { direction: 'debit', amount: 99_999_999, reason: 'Chargeback', override: false };
	const info = (over: Partial<ErrorInfo>): ErrorInfo => ({
		code: 'BAD_REQUEST',
		message: 'Refused',
		field: null,
		fieldErrors: {},
		details: {},
		...over
	});
	const belowZero = adjustmentRefusal(
		info({ code: 'INSUFFICIENT_CREDIT', field: 'amount', message: 'This debit would take the balance below zero' }),
		draft
	);

	it('is told beside the field it is about, else above the form', () => {
		expect(belowZero).toMatchObject({ amount: 'This debit would take the balance below zero', form: undefined });
		const long = adjustmentRefusal(info({ field: 'reason', fieldErrors: { reason: ['At most 500 characters'] } }), draft);
		expect(long).toMatchObject({ reason: 'At most 500 characters', amount: undefined, form: undefined });
		expect(adjustmentRefusal(info({ code: 'FORBIDDEN', message: 'Not allowed' }), draft).form).toBe('Not allowed');
	});

	it('stands while the form is as it was refused', () => {
		expect(standingRefusal(belowZero, { ...draft })).toEqual({
			amount: 'This debit would take the balance below zero',
			reason: undefined,
			form: undefined
		});
		expect(standingRefusal(null, draft)).toEqual({});
	});

	it("goes when what it is about changes: the amount's with the amount or the direction", () => {
		expect(standingRefusal(belowZero, { ...draft, direction: 'credit' }).amount).toBeUndefined();
		expect(standingRefusal(belowZero, { ...draft, amount: 1000 }).amount).toBeUndefined();
		// A reason typed afresh says nothing new about the amount.
		expect(standingRefusal(belowZero, { ...draft, reason: 'Other' }).amount).toBe(belowZero.amount);
	});

	it("goes when what it is about changes: the reason's with the reason, the form's with the adjustment", () => {
		const long = adjustmentRefusal(info({ fieldErrors: { reason: ['At most 500 characters'] } }), draft);
		expect(standingRefusal(long, { ...draft, reason: '' }).reason).toBeUndefined();
		expect(standingRefusal(long, { ...draft, amount: 1 }).reason).toBe('At most 500 characters');
		const cap = adjustmentRefusal(info({ message: 'Tick the box to pass the cap' }), { ...draft, direction: 'credit' });
		expect(standingRefusal(cap, { ...draft, direction: 'credit' }).form).toBe('Tick the box to pass the cap');
		expect(standingRefusal(cap, { ...draft, direction: 'credit', override: true }).form).toBeUndefined();
		expect(standingRefusal(cap, { ...draft, direction: 'debit' }).form).toBeUndefined();
	});
});
