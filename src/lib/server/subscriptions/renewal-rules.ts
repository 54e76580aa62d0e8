// Pure renewal rules: where each period ends (keeping the billing anchor's day), when grace
// ends and data is deleted, and the walk over upcoming renewals that tells a customer how
// long their credit lasts and what is short. No I/O: every rule here has plain unit tests.
import { addMonths } from './billing';

export const DAY_MS = 86_400_000;
/** How long before a suspended app's deletion its owner is warned. */
export const DELETION_WARNING_DAYS = 3;
/** How far ahead a shortfall triggers the low-credit warning. */
export const LOW_CREDIT_DAYS = 7;
/** How far the forecast walks before it says "beyond". */
export const FORECAST_MONTHS = 12;

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Calendar months from `from` to `to` in WIB, ignoring the day (Jan 31 -> Feb 1 is 1). */
function wibMonthsBetween(from: Date, to: Date): number {
	const a = new Date(from.getTime() + WIB_OFFSET_MS);
	const b = new Date(to.getTime() + WIB_OFFSET_MS);
	return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

/**
 * The end of the period that starts at `periodStart`: the first whole number of calendar
 * months after the billing anchor that lies after the start. Counting from the anchor, not
 * from the previous end, keeps its day: 31 Jan -> 28/29 Feb -> 31 Mar -> 30 Apr.
 */
export function nextPeriodEnd(anchor: Date, periodStart: Date): Date {
	return addMonths(anchor, monthsToPeriodEnd(anchor, periodStart));
}

/** How many calendar months after the anchor that period ends (nextPeriodEnd). */
function monthsToPeriodEnd(anchor: Date, periodStart: Date): number {
	let months = Math.max(1, wibMonthsBetween(anchor, periodStart));
	while (months > 1 && addMonths(anchor, months - 1) > periodStart) months -= 1;
	while (addMonths(anchor, months) <= periodStart) months += 1;
	return months;
}

const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

/** The last millisecond of the WIB calendar day `date` falls on (a notice names the day, not the time). */
export function endOfWibDay(date: Date): Date {
	const wib = date.getTime() + WIB_OFFSET_MS;
	return new Date(wib - (((wib % DAY_MS) + DAY_MS) % DAY_MS) + DAY_MS - 1 - WIB_OFFSET_MS);
}

/** A renewal unpaid at `dueAt` keeps the app running until then. */
export const graceEndsAt = (dueAt: Date, graceDays: number) => addDays(dueAt, graceDays);

/** A subscription suspended for non-payment is deleted then. */
export const deletionAt = (suspendedAt: Date, retentionDays: number) => addDays(suspendedAt, retentionDays);

/** When the owner is told the deletion is coming. */
export const deletionWarningAt = (suspendedAt: Date, retentionDays: number) =>
	addDays(suspendedAt, Math.max(0, retentionDays - DELETION_WARNING_DAYS));

/** Whole days left until `end` (rounded up; 0 once it has passed). */
export const daysLeft = (end: Date, now: Date) => Math.max(0, Math.ceil((end.getTime() - now.getTime()) / DAY_MS));

/** Which day of its grace period a past-due renewal is in: 0 on the due day. */
export const graceDay = (dueAt: Date, now: Date) => Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / DAY_MS));

/** A live subscription as the forecast sees it. */
export type RenewingSubscription = {
	id: string;
	name: string;
	billingAnchor: Date;
	/** The next renewal is due then (in the past while it is overdue). */
	endDate: Date;
	/** What each renewal charges: the plan's current monthly price. */
	price: number;
};

export type Renewal = { subscriptionId: string; name: string; dueAt: Date; amount: number };

/** Every renewal of these subscriptions due up to `until`, in the order they are charged. */
export function upcomingRenewals(subscriptions: RenewingSubscription[], until: Date): Renewal[] {
	const renewals: Renewal[] = [];
	for (const { id, name, billingAnchor, endDate, price } of subscriptions) {
		// The period after a renewal due on the anchor's n-th month ends on its (n+1)-th, so the
		// walk finds its place once and then counts (a dashboard walks a year of each app).
		let dueAt = endDate;
		let months = monthsToPeriodEnd(billingAnchor, endDate);
		while (dueAt <= until) {
			renewals.push({ subscriptionId: id, name, dueAt, amount: price });
			dueAt = addMonths(billingAnchor, months++);
		}
	}
	return renewals.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.subscriptionId.localeCompare(b.subscriptionId));
}

/** What is due by `until` and how much of it the balance does not cover. */
export function dueBy(renewals: Renewal[], balance: number, until: Date) {
	const amount = renewals.filter((renewal) => renewal.dueAt <= until).reduce((sum, renewal) => sum + renewal.amount, 0);
	return { amount, shortfall: Math.max(0, amount - balance) };
}

export type Forecast = {
	/** What the live subscriptions cost per month. */
	monthlyTotal: number;
	/**
	 * Renewals already due and not yet paid (a past-due subscription's): owed now, not to come.
	 * They are paid first from the balance; `shortfall` is what the balance lacks for them.
	 */
	overdue: { count: number; amount: number; shortfall: number };
	/**
	 * The first renewal still to come that the balance, once what is owed now is paid, cannot
	 * pay (renewals before it are covered), if any in the horizon; `day`, it and the renewals
	 * due later on its WIB day: what covering that day takes. Both shortfalls include any debt.
	 */
	firstUncovered: (Renewal & { shortfall: number; day: { count: number; amount: number; shortfall: number } }) | null;
	/** The last date the walk looked at: with no uncovered renewal, the credit lasts beyond it. */
	horizon: Date;
	/**
	 * Renewals to come within LOW_CREDIT_DAYS and what the balance lacks for them once what is
	 * owed now is paid (a top-up of it pays both); nothing is lacking when none is due.
	 */
	dueSoon: { amount: number; shortfall: number };
};

const total = (renewals: Renewal[]) => renewals.reduce((sum, renewal) => sum + renewal.amount, 0);

/**
 * Walks the renewals of the next FORECAST_MONTHS in due order, paying what is owed now first
 * and then each renewal to come from the balance, to find the first one the credit does not cover.
 */
export function forecastCredit(subscriptions: RenewingSubscription[], balance: number, now: Date): Forecast {
	const horizon = addMonths(now, FORECAST_MONTHS);
	const renewals = upcomingRenewals(subscriptions, horizon);
	const overdue = renewals.filter((renewal) => renewal.dueAt <= now);
	const coming = renewals.filter((renewal) => renewal.dueAt > now);
	const owed = total(overdue);
	// Below zero while the debt is not covered: every renewal to come is short of it too.
	let left = balance - owed;
	let firstUncovered: Forecast['firstUncovered'] = null;
	for (const [index, renewal] of coming.entries()) {
		if (renewal.amount > left) {
			// A top-up of the shortfall pays this renewal, not one due an hour later the same day.
			const dayEnd = endOfWibDay(renewal.dueAt);
			const sameDay = coming.slice(index).filter((next) => next.dueAt <= dayEnd);
			const amount = total(sameDay);
			firstUncovered = {
				...renewal,
				shortfall: renewal.amount - left,
				day: { count: sameDay.length, amount, shortfall: amount - left }
			};
			break;
		}
		left -= renewal.amount;
	}
	const soon = total(coming.filter((renewal) => renewal.dueAt <= addDays(now, LOW_CREDIT_DAYS)));
	return {
		monthlyTotal: subscriptions.reduce((sum, subscription) => sum + subscription.price, 0),
		overdue: { count: overdue.length, amount: owed, shortfall: Math.max(0, owed - balance) },
		firstUncovered,
		horizon,
		dueSoon: { amount: soon, shortfall: soon === 0 ? 0 : Math.max(0, owed + soon - balance) }
	};
}
