// Pure billing arithmetic: billing periods, upgrade proration, termination refunds and the
// plan tier order. No I/O, so every rule here is checked by plain unit tests.
import { PLAN_TYPES, type PlanType } from '$lib/statuses';
import type { Subscription, Transaction } from '../db/schema';

/** Customers are in Indonesia: calendar months are counted in WIB (UTC+7, no DST). */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * The same wall-clock time one calendar month later in WIB, clamped to the month's last
 * day (31 January -> 28 or 29 February).
 */
export function addMonths(date: Date, months = 1): Date {
	const wib = new Date(date.getTime() + WIB_OFFSET_MS);
	const year = wib.getUTCFullYear();
	const month = wib.getUTCMonth() + months;
	const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
	const day = Math.min(wib.getUTCDate(), lastDay);
	const shifted = Date.UTC(
		year,
		month,
		day,
		wib.getUTCHours(),
		wib.getUTCMinutes(),
		wib.getUTCSeconds(),
		wib.getUTCMilliseconds()
	);
	return new Date(shifted - WIB_OFFSET_MS);
}

export type Period = { start: Date; end: Date };

/** Whole seconds of the period, and of it left at `now` (0 once it has ended). */
export function periodSeconds(period: Period, now: Date) {
	const total = Math.max(1, Math.floor((period.end.getTime() - period.start.getTime()) / 1000));
	const remaining = Math.min(total, Math.max(0, Math.floor((period.end.getTime() - now.getTime()) / 1000)));
	return { total, remaining };
}

/**
 * Proration is shown and charged in whole Rp 100, rounded in the customer's favour (issue
 * 12, "money made legible"): an upgrade charge rounds down, a refund rounds up. This departs
 * from DESIGN.md's "ceil to the rupiah"; the README says why.
 */
export const PRORATION_STEP = 100;

/** a * b / c rounded down to a multiple of `step`, in exact integer arithmetic. */
function mulDivFloorTo(a: number, b: number, c: number, step: number): number {
	const unit = BigInt(c) * BigInt(step);
	return Number(((BigInt(a) * BigInt(b)) / unit) * BigInt(step));
}

/** a * b / c rounded up to a multiple of `step`, in exact integer arithmetic. */
function mulDivCeilTo(a: number, b: number, c: number, step: number): number {
	const unit = BigInt(c) * BigInt(step);
	return Number(((BigInt(a) * BigInt(b) + unit - 1n) / unit) * BigInt(step));
}

/**
 * What an upgrade costs now: the price difference for the rest of the period,
 * `(newPrice - oldPrice) * remainingSeconds / periodSeconds`, rounded down to Rp 100.
 */
export function upgradeCharge(options: { oldPrice: number; newPrice: number; period: Period; now: Date }): number {
	const difference = options.newPrice - options.oldPrice;
	if (difference <= 0) return 0;
	const { total, remaining } = periodSeconds(options.period, options.now);
	return mulDivFloorTo(difference, remaining, total, PRORATION_STEP);
}

/**
 * The unused part of the period at the current price, by the second, rounded up to Rp 100
 * and never more than the price itself.
 */
export function terminationRefund(options: { monthlyPrice: number; period: Period; now: Date }): number {
	return unusedPart({ paid: options.monthlyPrice, period: options.period, now: options.now });
}

/**
 * The unused part of a payment for `period` (a period's charge, an upgrade's for the rest of
 * it), by the second, rounded up to Rp 100 and never more than the payment itself.
 */
export function unusedPart(options: { paid: number; period: Period; now: Date }): number {
	if (options.paid <= 0) return 0;
	const { total, remaining } = periodSeconds(options.period, options.now);
	return Math.min(options.paid, mulDivCeilTo(options.paid, remaining, total, PRORATION_STEP));
}

/** The tiers in upgrade order, as the plan_type enum lists them. */
export const PLAN_TIERS: readonly PlanType[] = PLAN_TYPES;

export function tierRank(planType: PlanType): number {
	return PLAN_TIERS.indexOf(planType);
}

/** Upgrade-only policy: a subscription may move only to a higher tier. */
export function isUpgrade(from: PlanType, to: PlanType): boolean {
	return tierRank(to) > tierRank(from);
}

/** The ledger key of a period's charge: it names the subscription and the period's start. */
export const periodChargeKey = (subscriptionId: string, periodStart: Date) =>
	`subscription:${subscriptionId}:charge:${periodStart.toISOString()}`;

/**
 * What terminating now would give back, from the subscription's ledger rows: the unused part
 * of each payment for the current period (periodPayments); nothing for a grant. Rows other
 * than completed charges, upgrades and refunds are passed over.
 */
export function terminationRefundFrom(subscription: Subscription, ledger: Transaction[], now: Date): number {
	if (subscription.isGrant) return 0;
	const rows = ledger.filter((row) => row.status === 'COMPLETED' && ['SUBSCRIPTION', 'UPGRADE', 'REFUND'].includes(row.type));
	return periodPayments(subscription, rows).reduce(
		(refund, payment) => refund + unusedPart({ paid: payment.paid, period: payment.period, now }),
		0
	);
}

/**
 * What was paid for the subscription's current period, each payment with the span it paid
 * for: the period's charge (its key names the period's start) up to the end it was charged
 * for, so days an administrator added later are free and never refunded; and the upgrades
 * charged within the period, from the upgrade to the period's end. Each net of what was
 * refunded of it (a failed set-up's refund, a rolled-back upgrade's).
 */
function periodPayments(subscription: Subscription, ledger: Transaction[]) {
	const start = subscription.currentPeriodStart;
	// The end a payment was made up to, as its row records it.
	const endOf = (row: Transaction, otherwise: Date) => {
		const end = row.metadata.periodEnd;
		return typeof end === 'string' ? new Date(end) : otherwise;
	};
	const refundedOf = (matches: (metadata: Record<string, unknown>) => boolean) =>
		ledger.filter((row) => row.type === 'REFUND' && matches(row.metadata)).reduce((sum, row) => sum + row.amount, 0);

	const key = periodChargeKey(subscription.id, start);
	const charge = ledger.find((row) => row.type === 'SUBSCRIPTION' && row.idempotencyKey === key);
	const paidEnd = charge ? endOf(charge, subscription.endDate) : subscription.endDate;
	const payments: { paid: number; period: Period }[] = [];
	if (charge) {
		payments.push({
			paid: -charge.amount - refundedOf((metadata) => metadata.chargeId === charge.id),
			period: { start, end: paidEnd }
		});
	}
	for (const upgrade of ledger) {
		const at = upgrade.completedAt;
		if (upgrade.type !== 'UPGRADE' || !at || at < start || at >= subscription.endDate) continue;
		const { upgradeId } = upgrade.metadata;
		payments.push({
			paid: -upgrade.amount - refundedOf((metadata) => upgradeId !== undefined && metadata.upgradeId === upgradeId),
			// An upgrade's row from before it recorded its end was charged up to the paid end.
			period: { start: at, end: endOf(upgrade, paidEnd) }
		});
	}
	return payments;
}
