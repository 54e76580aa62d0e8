import { describe, expect, it } from 'vitest';
import {
	addMonths,
	isUpgrade,
	periodSeconds,
	terminationRefund,
	upgradeCharge
} from '../../../src/lib/server/subscriptions/billing';

/** A WIB wall-clock time as a Date. */
const wib = (text: string) => new Date(`${text}+07:00`);

describe('billing periods', () => {
	it('end one calendar month later at the same WIB time', () => {
		expect(addMonths(wib('2026-03-10T09:30:00'))).toEqual(wib('2026-04-10T09:30:00'));
		expect(addMonths(wib('2026-12-15T00:00:00'))).toEqual(wib('2027-01-15T00:00:00'));
	});

	it('clamp to the last day of shorter months', () => {
		expect(addMonths(wib('2026-01-31T12:00:00'))).toEqual(wib('2026-02-28T12:00:00'));
		expect(addMonths(wib('2028-01-31T12:00:00'))).toEqual(wib('2028-02-29T12:00:00'));
		expect(addMonths(wib('2026-03-31T08:00:00'))).toEqual(wib('2026-04-30T08:00:00'));
	});

	it('count the month in WIB even when the UTC date differs', () => {
		// 31 January 02:00 WIB is still 30 January in UTC.
		expect(addMonths(wib('2026-01-31T02:00:00'))).toEqual(wib('2026-02-28T02:00:00'));
	});

	it('have as many seconds as their calendar month', () => {
		const start = wib('2026-02-01T00:00:00');
		expect(periodSeconds({ start, end: addMonths(start) }, start).total).toBe(28 * 86_400);
		const march = wib('2026-03-01T00:00:00');
		expect(periodSeconds({ start: march, end: addMonths(march) }, march).total).toBe(31 * 86_400);
	});
});

describe('upgrade proration', () => {
	const start = wib('2026-04-01T00:00:00');
	const period = { start, end: addMonths(start) }; // 30 days
	const seconds = 30 * 86_400;

	it('charges the whole difference at the start of the period', () => {
		expect(upgradeCharge({ oldPrice: 49_000, newPrice: 99_000, period, now: start })).toBe(50_000);
	});

	it('charges half the difference in the middle', () => {
		const middle = new Date(start.getTime() + (seconds / 2) * 1000);
		expect(upgradeCharge({ oldPrice: 49_000, newPrice: 99_000, period, now: middle })).toBe(25_000);
	});

	it("rounds down to whole Rp 100, in the customer's favour", () => {
		const third = new Date(start.getTime() + (seconds / 3) * 1000);
		// 50.000 * 2/3 = 33.333,33…
		expect(upgradeCharge({ oldPrice: 49_000, newPrice: 99_000, period, now: third })).toBe(33_300);
		// 50.000 * 0,99999 = 49.999,4…: still below 50.000.
		expect(upgradeCharge({ oldPrice: 49_000, newPrice: 99_000, period, now: new Date(start.getTime() + 26_000) })).toBe(49_900);
	});

	it('charges nothing for the last minutes and after the end', () => {
		const lastSecond = new Date(period.end.getTime() - 1000);
		expect(upgradeCharge({ oldPrice: 49_000, newPrice: 99_000, period, now: lastSecond })).toBe(0);
		const lastHour = new Date(period.end.getTime() - 3_600_000);
		// 50.000 / 720 = 69,4: under Rp 100.
		expect(upgradeCharge({ oldPrice: 49_000, newPrice: 99_000, period, now: lastHour })).toBe(0);
		expect(upgradeCharge({ oldPrice: 49_000, newPrice: 99_000, period, now: period.end })).toBe(0);
	});

	it('follows the length of the month', () => {
		const feb = wib('2026-02-01T00:00:00');
		const febPeriod = { start: feb, end: addMonths(feb) }; // 28 days
		const oneDayIn = new Date(feb.getTime() + 86_400_000);
		// 27 of 28 days left of a Rp 28.000 difference.
		expect(upgradeCharge({ oldPrice: 0, newPrice: 28_000, period: febPeriod, now: oneDayIn })).toBe(27_000);
	});

	it('is exact for large prices', () => {
		const now = new Date(start.getTime() + 1000);
		expect(upgradeCharge({ oldPrice: 0, newPrice: 99_999_999, period, now })).toBe(
			Math.floor((99_999_999 * (seconds - 1)) / seconds / 100) * 100
		);
	});
});

describe('termination refund', () => {
	const start = wib('2026-04-01T00:00:00');
	const period = { start, end: addMonths(start) };

	it("refunds the unused part by the second, rounded up to Rp 100 in the customer's favour", () => {
		expect(terminationRefund({ monthlyPrice: 99_000, period, now: start })).toBe(99_000);
		const third = new Date(start.getTime() + 10 * 86_400_000);
		// 20 of 30 days left: 66.000 exactly.
		expect(terminationRefund({ monthlyPrice: 99_000, period, now: third })).toBe(66_000);
		const odd = new Date(start.getTime() + 7 * 86_400_000 + 1234);
		const remaining = Math.floor((period.end.getTime() - odd.getTime()) / 1000);
		expect(terminationRefund({ monthlyPrice: 99_000, period, now: odd })).toBe(
			Math.ceil((99_000 * remaining) / (30 * 86_400) / 100) * 100
		);
		// Never more than the price: Rp 49.950 a month refunded in full at the start.
		expect(terminationRefund({ monthlyPrice: 49_950, period, now: start })).toBe(49_950);
		expect(terminationRefund({ monthlyPrice: 49_950, period, now: new Date(start.getTime() + 1000) })).toBe(49_950);
	});

	it('refunds nothing for free plans or after the period', () => {
		expect(terminationRefund({ monthlyPrice: 0, period, now: start })).toBe(0);
		expect(terminationRefund({ monthlyPrice: 99_000, period, now: new Date(period.end.getTime() + 5000) })).toBe(0);
	});
});

describe('tiers', () => {
	it('allow only moves to a higher tier', () => {
		expect(isUpgrade('FREE', 'BASIC')).toBe(true);
		expect(isUpgrade('BASIC', 'PREMIUM')).toBe(true);
		expect(isUpgrade('PRO', 'PRO')).toBe(false);
		expect(isUpgrade('PRO', 'BASIC')).toBe(false);
	});
});
