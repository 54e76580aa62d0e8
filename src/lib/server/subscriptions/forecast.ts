// What the customer's credit covers: the upcoming renewals of all their live subscriptions
// walked against the balance (renewal-rules.ts), for the wallet page and the dashboard, and
// for the renewal notices and low-credit warnings.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { prepared, type DbOrTx } from '../db/client';
import { services, subscriptions, users, type Subscription } from '../db/schema';
import { notFound, topUpUrl } from '../errors';
import { balanceOf } from './queries';
import { daysLeft, forecastCredit, LOW_CREDIT_DAYS, type RenewingSubscription } from './renewal-rules';
import { priceForPeriod } from '../catalog/plan-terms';

/** Subscriptions that renew from the credit: live, auto-renew, not suspended or unpaid. */
export const RENEWING_STATUSES = ['ACTIVE', 'PAST_DUE', 'PENDING_UPGRADE'] as const;

export type Renewing = RenewingSubscription & { status: string; gracePeriodEnd: Date | null };

/** What a subscription renews for and when, as the forecast sees it. */
const renewingColumns = {
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
};

const renews = and(inArray(subscriptions.status, [...RENEWING_STATUSES]), eq(subscriptions.autoRenew, true));

const renewingRows = (db: DbOrTx, userIds: string[]) =>
	db
		.select(renewingColumns)
		.from(subscriptions)
		.innerJoin(services, eq(services.id, subscriptions.serviceId))
		.where(and(inArray(subscriptions.userId, userIds), renews));
type RenewingRow = Awaited<ReturnType<typeof renewingRows>>[number];

function toRenewing({ monthlyPrice, pendingMonthlyPrice, pendingPriceFrom, ...row }: RenewingRow): Renewing {
	// What the next renewal charges, by the rule renewal itself uses.
	const { price } = priceForPeriod({ monthlyPrice, pendingMonthlyPrice, pendingPriceFrom }, row.endDate);
	return { ...row, price, name: row.name ?? row.serviceName };
}

/** The renewing subscriptions of these customers, as the forecast sees them, by customer. */
export async function renewingSubscriptions(db: DbOrTx, userIds: string[]) {
	const byUser = new Map<string, Renewing[]>();
	if (userIds.length === 0) return byUser;
	for (const row of await renewingRows(db, userIds)) {
		const list = byUser.get(row.userId) ?? [];
		list.push(toRenewing(row));
		byUser.set(row.userId, list);
	}
	return byUser;
}

/**
 * One customer's balance and renewing subscriptions in one prepared round trip (the
 * dashboard and the wallet page ask for it on every view): a row per subscription, or one
 * row without a subscription when nothing renews.
 */
const forecastQuery = (db: DbOrTx) =>
	db
		.select({ balance: users.creditBalance, renewing: renewingColumns })
		.from(users)
		.leftJoin(subscriptions, and(eq(subscriptions.userId, users.id), renews))
		.leftJoin(services, eq(services.id, subscriptions.serviceId))
		.where(eq(users.id, sql.placeholder('userId')))
		.prepare('credit_forecast');

/** The customer's forecast: how long the credit lasts, what is due soon and what is owed now. */
export async function creditForecast(db: DbOrTx, userId: string, now: Date) {
	const rows = await prepared(db, 'credit_forecast', forecastQuery).execute({ userId });
	if (rows.length === 0) throw notFound('User');
	const balance = rows[0].balance;
	// Without a renewing subscription the left join reads nulls; with one, it has all its columns.
	const renewing = rows.flatMap((row) => (row.renewing?.id ? [toRenewing(row.renewing as RenewingRow)] : []));
	// A free subscription renews at no cost: no renewal the credit covers, so it is counted apart.
	const paid = renewing.filter((subscription) => subscription.price > 0);
	const forecast = forecastCredit(paid, balance, now);
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
		overdue: forecast.overdue,
		renewing: paid.length,
		free: renewing.length - paid.length,
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
