// Telling customers before money moves: the renewal notice MINISPOD_RENEWAL_NOTICE_DAYS
// before each renewal (what is charged on which date, and whether the balance covers every
// renewal due by the end of that day, WIB), and the low-credit warning when the balance will not cover the
// renewals of the next LOW_CREDIT_DAYS, once per shortfall.
import { and, asc, eq, gt, gte, inArray, lte } from 'drizzle-orm';
import { servicePlans, subscriptions, users } from '../db/schema';
import { topUpUrl } from '../errors';
import { notifyOnce } from '../notifications/service';
import { asDate, asRupiah } from '../notifications/texts';
import type { Runtime } from '../runtime';
import { renewingSubscriptions, RENEWING_STATUSES } from './forecast';
import { DAY_MS, dueBy, endOfWibDay, forecastCredit, LOW_CREDIT_DAYS, upcomingRenewals } from './renewal-rules';

/** Customers are handled in pages of this many. */
const PAGE = 500;

async function balancesOf(runtime: Runtime, userIds: string[]) {
	const rows = await runtime.db
		.select({ id: users.id, balance: users.creditBalance })
		.from(users)
		.where(inArray(users.id, userIds));
	return new Map(rows.map((row) => [row.id, row.balance]));
}

/** Sends each renewal's notice once, MINISPOD_RENEWAL_NOTICE_DAYS before it is charged. */
export async function sendRenewalNotices(runtime: Runtime, now = runtime.clock.now()) {
	const until = new Date(now.getTime() + runtime.config.billing.renewalNoticeDays * DAY_MS);
	const coming = await runtime.db
		.select({ id: subscriptions.id, userId: subscriptions.userId, endDate: subscriptions.endDate })
		.from(subscriptions)
		.innerJoin(servicePlans, eq(servicePlans.id, subscriptions.planId))
		.where(
			and(
				eq(subscriptions.status, 'ACTIVE'),
				eq(subscriptions.autoRenew, true),
				gt(subscriptions.endDate, now),
				lte(subscriptions.endDate, until),
				gt(servicePlans.monthlyPrice, 0)
			)
		);
	let sent = 0;
	for (let index = 0; index < coming.length; index += PAGE) {
		const page = coming.slice(index, index + PAGE);
		const userIds = [...new Set(page.map((row) => row.userId))];
		const [renewing, balances] = await Promise.all([renewingSubscriptions(runtime.db, userIds), balancesOf(runtime, userIds)]);
		for (const { id, userId, endDate } of page) {
			const mine = renewing.get(userId) ?? [];
			const subscription = mine.find((candidate) => candidate.id === id);
			if (!subscription) continue;
			const balance = balances.get(userId) ?? 0;
			// The notice says what is due "by then", naming the day: every renewal of that day counts,
			// also one due later that day than this one.
			const dayEnd = endOfWibDay(endDate);
			const due = dueBy(upcomingRenewals(mine, dayEnd), balance, dayEnd);
			const covered = due.shortfall === 0;
			const noticeParams = { name: subscription.name, date: asDate(endDate), amount: asRupiah(subscription.price) };
			const notified = await notifyOnce(runtime.db, `renewal-notice:${id}:${endDate.toISOString()}`, {
				userId,
				type: 'RENEWAL_NOTICE',
				text: covered
					? { key: 'renewal_notice', params: { ...noticeParams, balance: asRupiah(balance) } }
					: {
							key: 'renewal_notice_short',
							params: {
								...noticeParams,
								due: asRupiah(due.amount),
								balance: asRupiah(balance),
								shortfall: asRupiah(due.shortfall)
							}
						},
				link: covered ? `/subscriptions/${id}` : topUpUrl(due.shortfall),
				metadata: { subscriptionId: id, amount: subscription.price, dueAt: endDate, shortfall: due.shortfall }
			});
			if (notified) sent += 1;
		}
	}
	return { sent };
}

/**
 * Warns each customer whose balance will not cover the renewals of the next
 * LOW_CREDIT_DAYS, once per shortfall: a shortfall is named by the first renewal the
 * credit does not cover, so the warning repeats only when a new one appears. Renewals
 * already overdue are the grace reminders' business.
 */
export async function warnLowCredit(runtime: Runtime, now = runtime.clock.now()) {
	const soon = new Date(now.getTime() + LOW_CREDIT_DAYS * DAY_MS);
	let warned = 0;
	let after = '';
	for (;;) {
		const page = await runtime.db
			.selectDistinct({ userId: subscriptions.userId })
			.from(subscriptions)
			.where(
				and(
					inArray(subscriptions.status, [...RENEWING_STATUSES]),
					eq(subscriptions.autoRenew, true),
					after ? gt(subscriptions.userId, after) : undefined,
					lte(subscriptions.endDate, soon),
					gte(subscriptions.endDate, now)
				)
			)
			.orderBy(asc(subscriptions.userId))
			.limit(PAGE);
		if (page.length === 0) return { warned };
		after = page.at(-1)!.userId;
		const userIds = page.map((row) => row.userId);
		const [renewing, balances] = await Promise.all([renewingSubscriptions(runtime.db, userIds), balancesOf(runtime, userIds)]);
		for (const userId of userIds) {
			const balance = balances.get(userId) ?? 0;
			const forecast = forecastCredit(renewing.get(userId) ?? [], balance, now);
			const first = forecast.firstUncovered;
			if (!first || forecast.overdue.shortfall > 0 || first.dueAt > soon) continue;
			const notified = await notifyOnce(runtime.db, `low-credit:${first.subscriptionId}:${first.dueAt.toISOString()}`, {
				userId,
				type: 'LOW_CREDIT',
				text: {
					key: 'low_credit',
					params: {
						name: first.name,
						amount: asRupiah(forecast.dueSoon.amount),
						days: LOW_CREDIT_DAYS,
						balance: asRupiah(balance),
						date: asDate(first.dueAt),
						price: asRupiah(first.amount),
						shortfall: asRupiah(forecast.dueSoon.shortfall)
					}
				},
				link: topUpUrl(forecast.dueSoon.shortfall),
				metadata: { shortfall: forecast.dueSoon.shortfall, firstUncovered: first }
			});
			if (notified) warned += 1;
		}
	}
}
