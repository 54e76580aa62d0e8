// What the customer's credit covers: the upcoming renewals of all their live subscriptions
// walked against the balance (renewal-rules.ts), for the wallet page and the dashboard, and
// for the renewal notices and low-credit warnings.
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { services, subscriptions, type Subscription } from '../db/schema';
import { topUpUrl } from '../errors';
import { balanceOf } from './queries';
import { daysLeft, forecastCredit, LOW_CREDIT_DAYS, type RenewingSubscription } from './renewal-rules';
import { priceForPeriod } from '../catalog/plan-terms';

/** Subscriptions that renew from the credit: live, auto-renew, not suspended or unpaid. */
export const RENEWING_STATUSES = ['ACTIVE', 'PAST_DUE', 'PENDING_UPGRADE'] as const;

/** The renewing subscriptions of these customers, as the forecast sees them, by customer. */
export async function renewingSubscriptions(db: DbOrTx, userIds: string[]) {
	const byUser = new Map<string, (RenewingSubscription & { status: string; gracePeriodEnd: Date | null })[]>();
	if (userIds.length === 0) return byUser;
	const rows = await db
		.select({
			id: subscriptions.id,
			userId: subscriptions.userId,
			name: subscriptions.name,
			serviceName: services.name,
			status: subscriptions.status,
			billingAnchor: subscriptions.billingAnchor,
			endDate: subscriptions.endDate,
			gracePeriodEnd: subscriptions.gracePeriodEnd,
			monthlyPrice: subscriptions.monthlyPrice,
			pendingMonthlyPrice: subscriptions.pendingMonthlyPrice,
			pendingPriceFrom: subscriptions.pendingPriceFrom
		})
		.from(subscriptions)
		.innerJoin(services, eq(services.id, subscriptions.serviceId))
		.where(
			and(
				inArray(subscriptions.userId, userIds),
				inArray(subscriptions.status, [...RENEWING_STATUSES]),
				eq(subscriptions.autoRenew, true)
			)
		);
	for (const { monthlyPrice, pendingMonthlyPrice, pendingPriceFrom, ...row } of rows) {
		const list = byUser.get(row.userId) ?? [];
		// What the next renewal charges, by the rule renewal itself uses.
		const { price } = priceForPeriod({ monthlyPrice, pendingMonthlyPrice, pendingPriceFrom }, row.endDate);
		list.push({ ...row, price, name: row.name ?? row.serviceName });
		byUser.set(row.userId, list);
	}
	return byUser;
}

/** The customer's forecast: how long the credit lasts, what is due soon and what is owed now. */
export async function creditForecast(db: DbOrTx, userId: string, now: Date) {
	const [balance, byUser] = await Promise.all([balanceOf(db, userId), renewingSubscriptions(db, [userId])]);
	const renewing = byUser.get(userId) ?? [];
	const forecast = forecastCredit(renewing, balance, now);
	const pastDue = renewing
		.filter((subscription) => subscription.status === 'PAST_DUE' && subscription.gracePeriodEnd)
		.map((subscription) => ({
			subscriptionId: subscription.id,
			name: subscription.name,
			amount: subscription.price,
			dueAt: subscription.endDate,
			gracePeriodEnd: subscription.gracePeriodEnd!,
			daysLeft: daysLeft(subscription.gracePeriodEnd!, now)
		}));
	const owed = pastDue.reduce((sum, renewal) => sum + renewal.amount, 0);
	const pastDueShortfall = Math.max(0, owed - balance);
	return {
		balance,
		monthlyTotal: forecast.monthlyTotal,
		renewing: renewing.length,
		firstUncovered: forecast.firstUncovered,
		horizon: forecast.horizon,
		dueSoon: { days: LOW_CREDIT_DAYS, ...forecast.dueSoon, topUpUrl: topUpUrl(forecast.dueSoon.shortfall) },
		pastDue,
		pastDueShortfall,
		pastDueTopUpUrl: topUpUrl(pastDueShortfall)
	};
}

/** What one subscription's page shows about its billing: price, balance, grace, deletion. */
export async function subscriptionBilling(db: DbOrTx, subscription: Subscription) {
	const balance = await balanceOf(db, subscription.userId);
	return { price: priceForPeriod(subscription, subscription.endDate).price, balance };
}
