import { describe, expect, it } from 'vitest';
import {
	daysLeft,
	deletionAt,
	deletionWarningAt,
	dueBy,
	endOfWibDay,
	forecastCredit,
	graceDay,
	graceEndsAt,
	nextPeriodEnd,
	upcomingRenewals,
	type RenewingSubscription
} from '../../../src/lib/server/subscriptions/renewal-rules';

/** A WIB wall-clock time as a Date. */
const wib = (text: string) => new Date(`${text}+07:00`);

describe('next period end', () => {
	it('keeps the anchor day across short months: 31 Jan -> 28 Feb -> 31 Mar -> 30 Apr', () => {
		const anchor = wib('2026-01-31T10:00:00');
		const ends = [anchor];
		for (let i = 0; i < 4; i++) ends.push(nextPeriodEnd(anchor, ends.at(-1)!));
		expect(ends.slice(1)).toEqual([
			wib('2026-02-28T10:00:00'),
			wib('2026-03-31T10:00:00'),
			wib('2026-04-30T10:00:00'),
			wib('2026-05-31T10:00:00')
		]);
	});

	it('lands on 29 February in a leap year', () => {
		const anchor = wib('2028-01-31T10:00:00');
		expect(nextPeriodEnd(anchor, anchor)).toEqual(wib('2028-02-29T10:00:00'));
		expect(nextPeriodEnd(anchor, wib('2028-02-29T10:00:00'))).toEqual(wib('2028-03-31T10:00:00'));
	});

	it('counts months in WIB, where 31 January 02:00 is still 30 January in UTC', () => {
		const anchor = wib('2026-01-31T02:00:00');
		expect(nextPeriodEnd(anchor, anchor)).toEqual(wib('2026-02-28T02:00:00'));
		expect(nextPeriodEnd(anchor, wib('2026-02-28T02:00:00'))).toEqual(wib('2026-03-31T02:00:00'));
	});

	it('follows the anchor after a grant of several months and across the year end', () => {
		const anchor = wib('2026-11-30T23:30:00');
		expect(nextPeriodEnd(anchor, wib('2027-02-28T23:30:00'))).toEqual(wib('2027-03-30T23:30:00'));
		expect(nextPeriodEnd(anchor, wib('2026-12-30T23:30:00'))).toEqual(wib('2027-01-30T23:30:00'));
	});

	it('is always after the period start, even when the start is off the anchor day', () => {
		const anchor = wib('2026-01-10T09:00:00');
		// An extension moved the end to the 17th without moving the anchor: the next end is the 10th after it.
		expect(nextPeriodEnd(anchor, wib('2026-02-17T09:00:00'))).toEqual(wib('2026-03-10T09:00:00'));
		expect(nextPeriodEnd(anchor, wib('2026-02-10T08:59:59'))).toEqual(wib('2026-02-10T09:00:00'));
	});
});

describe('grace and deletion dates', () => {
	const due = wib('2026-03-10T09:00:00');

	it('gives the grace days from the due date and counts the days left', () => {
		const end = graceEndsAt(due, 7);
		expect(end).toEqual(wib('2026-03-17T09:00:00'));
		expect(daysLeft(end, wib('2026-03-10T09:00:00'))).toBe(7);
		expect(daysLeft(end, wib('2026-03-16T10:00:00'))).toBe(1);
		expect(daysLeft(end, wib('2026-03-18T00:00:00'))).toBe(0);
	});

	it('numbers the days of grace from 0 on the due day', () => {
		expect(graceDay(due, wib('2026-03-10T20:00:00'))).toBe(0);
		expect(graceDay(due, wib('2026-03-11T09:00:00'))).toBe(1);
		expect(graceDay(due, wib('2026-03-09T09:00:00'))).toBe(0);
	});

	it('deletes after the retention days and warns three days before', () => {
		const suspended = wib('2026-03-17T09:00:00');
		expect(deletionAt(suspended, 14)).toEqual(wib('2026-03-31T09:00:00'));
		expect(deletionWarningAt(suspended, 14)).toEqual(wib('2026-03-28T09:00:00'));
		expect(deletionWarningAt(suspended, 2)).toEqual(suspended);
	});
});

describe('end of a WIB day', () => {
	it('is the last millisecond of the Jakarta calendar day, whatever the UTC date', () => {
		expect(endOfWibDay(wib('2026-12-27T12:01:00'))).toEqual(new Date(wib('2026-12-28T00:00:00').getTime() - 1));
		// 20:00 UTC on the 26th is already the 27th in Jakarta.
		expect(endOfWibDay(new Date('2026-12-26T20:00:00Z'))).toEqual(new Date(wib('2026-12-28T00:00:00').getTime() - 1));
		expect(endOfWibDay(wib('2026-12-27T00:00:00'))).toEqual(new Date(wib('2026-12-28T00:00:00').getTime() - 1));
		expect(endOfWibDay(wib('2026-12-27T23:59:59.999'))).toEqual(wib('2026-12-27T23:59:59.999'));
	});
});

describe('credit forecast', () => {
	const now = wib('2026-03-01T12:00:00');
	const app = (id: string, endDate: string, price: number, anchor = endDate): RenewingSubscription => ({
		id,
		name: id,
		billingAnchor: wib(anchor),
		endDate: wib(endDate),
		price
	});

	it('lists every renewal up to a date in due order, month after month', () => {
		const renewals = upcomingRenewals(
			[app('ghost', '2026-03-05T10:00:00', 50_000), app('n8n', '2026-03-20T10:00:00', 100_000)],
			wib('2026-05-10T00:00:00')
		);
		expect(renewals.map((r) => [r.subscriptionId, r.dueAt])).toEqual([
			['ghost', wib('2026-03-05T10:00:00')],
			['n8n', wib('2026-03-20T10:00:00')],
			['ghost', wib('2026-04-05T10:00:00')],
			['n8n', wib('2026-04-20T10:00:00')],
			['ghost', wib('2026-05-05T10:00:00')]
		]);
		expect(dueBy(renewals, 120_000, wib('2026-04-06T00:00:00'))).toEqual({ amount: 200_000, shortfall: 80_000 });
	});

	it('walks each app as one period end after another would, whatever the anchor and the first due date', () => {
		const anchors = ['2026-01-31T10:00:00', '2026-01-30T23:30:00', '2028-02-29T00:15:00', '2026-03-10T09:00:00'];
		const firstDue = ['2026-02-28T10:00:00', '2026-02-17T09:00:00', '2026-03-31T23:59:59', '2026-12-30T23:30:00'];
		for (const anchor of anchors) {
			for (const due of firstDue) {
				const until = wib('2028-06-01T00:00:00');
				const expected: Date[] = [];
				for (let at = wib(due); at <= until; at = nextPeriodEnd(wib(anchor), at)) expected.push(at);
				const walked = upcomingRenewals([app('a', due, 1, anchor)], until).map((renewal) => renewal.dueAt);
				expect(walked, `anchor ${anchor}, first due ${due}`).toEqual(expected);
			}
		}
	});

	it('says what covering the whole day of the first uncovered renewal takes, not only that renewal', () => {
		// Rp 1.000 left; n8n (49 000) at 12:01 and Ghost (119 000) at 12:04 on 27 March; a third app the next day.
		const subscriptions = [
			app('n8n', '2026-03-27T12:01:00', 49_000),
			app('ghost', '2026-03-27T12:04:00', 119_000),
			app('gitea', '2026-03-28T00:00:00', 30_000)
		];
		const forecast = forecastCredit(subscriptions, 1_000, now);
		expect(forecast.firstUncovered).toMatchObject({
			subscriptionId: 'n8n',
			shortfall: 48_000,
			day: { count: 2, amount: 168_000, shortfall: 167_000 }
		});
		// Alone on its day, the day is the renewal.
		expect(forecastCredit([app('n8n', '2026-03-27T12:01:00', 49_000)], 1_000, now).firstUncovered?.day).toEqual({
			count: 1,
			amount: 49_000,
			shortfall: 48_000
		});
		// A covered renewal earlier that day is paid: the day's shortfall counts what is left after it.
		const later = forecastCredit([app('a', '2026-03-27T08:00:00', 10_000), ...subscriptions.slice(0, 2)], 20_000, now);
		expect(later.firstUncovered).toMatchObject({ subscriptionId: 'n8n', day: { count: 2, amount: 168_000, shortfall: 158_000 } });
	});

	it('finds the first renewal the balance does not cover, and the monthly total', () => {
		const subscriptions = [app('ghost', '2026-03-05T10:00:00', 50_000), app('n8n', '2026-03-20T10:00:00', 100_000)];
		const forecast = forecastCredit(subscriptions, 220_000, now);
		expect(forecast.monthlyTotal).toBe(150_000);
		// 50 000 (5 Mar) + 100 000 (20 Mar) are paid; 70 000 is left for 50 000 on 5 Apr; 20 000 for 100 000 on 20 Apr.
		expect(forecast.firstUncovered).toMatchObject({
			subscriptionId: 'n8n',
			dueAt: wib('2026-04-20T10:00:00'),
			amount: 100_000,
			shortfall: 80_000
		});
		expect(forecast.dueSoon).toEqual({ amount: 50_000, shortfall: 0 });
	});

	it('counts an overdue renewal as owed now and paid first, not as a renewal to come', () => {
		// Ghost's renewal of 25 February is unpaid on 1 March (past due); Rp 30.000 left.
		const forecast = forecastCredit([app('ghost', '2026-02-25T10:00:00', 50_000)], 30_000, now);
		expect(forecast.overdue).toEqual({ count: 1, amount: 50_000, shortfall: 20_000 });
		// The first uncovered renewal is the next one, short of its price and of the debt.
		expect(forecast.firstUncovered).toMatchObject({
			dueAt: wib('2026-03-25T10:00:00'),
			amount: 50_000,
			shortfall: 70_000,
			day: { count: 1, amount: 50_000, shortfall: 70_000 }
		});
		// Nothing else is due in the next seven days.
		expect(forecast.dueSoon).toEqual({ amount: 0, shortfall: 0 });
	});

	it('says what the next seven days take once what is owed now is paid', () => {
		const subscriptions = [app('ghost', '2026-02-25T10:00:00', 50_000), app('n8n', '2026-03-03T10:00:00', 40_000)];
		const short = forecastCredit(subscriptions, 30_000, now);
		expect(short.overdue.shortfall).toBe(20_000);
		expect(short.firstUncovered).toMatchObject({ subscriptionId: 'n8n', dueAt: wib('2026-03-03T10:00:00'), shortfall: 60_000 });
		expect(short.dueSoon).toEqual({ amount: 40_000, shortfall: 60_000 });
		// A balance that pays the debt leaves the rest for the renewals to come.
		const covered = forecastCredit(subscriptions, 100_000, now);
		expect(covered.overdue).toEqual({ count: 1, amount: 50_000, shortfall: 0 });
		expect(covered.dueSoon).toEqual({ amount: 40_000, shortfall: 0 });
		expect(covered.firstUncovered).toMatchObject({
			subscriptionId: 'ghost',
			dueAt: wib('2026-03-25T10:00:00'),
			shortfall: 40_000
		});
	});

	it('covers everything within the horizon when the balance is large, and nothing costs nothing', () => {
		expect(forecastCredit([app('ghost', '2026-03-05T10:00:00', 50_000)], 10_000_000, now).firstUncovered).toBeNull();
		const none = forecastCredit([], 0, now);
		expect(none).toMatchObject({ monthlyTotal: 0, firstUncovered: null, dueSoon: { amount: 0, shortfall: 0 } });
		expect(forecastCredit([app('free', '2026-03-05T10:00:00', 0)], 0, now).firstUncovered).toBeNull();
	});
});
