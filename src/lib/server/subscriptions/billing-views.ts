// What the renewal and billing procedures return: built here only, never a raw row, each with the zod
// schema its procedure declares as output.
import { z } from 'zod';
import { SUBSCRIPTION_STATUSES, SUSPENSION_REASONS } from '$lib/statuses';
import type { Subscription } from '../db/schema';
import { topUpUrl } from '../errors';
import type { BillingOverview, BillingRow } from './billing-admin';
import type { BillingWork } from './billing-upkeep';
import type { creditForecast } from './forecast';
import { daysLeft, deletionAt } from './renewal-rules';

const renewal = z.object({ subscriptionId: z.string(), name: z.string(), dueAt: z.date(), amount: z.number() });

export const forecastView = z.object({
	balance: z.number(),
	/** What the renewing subscriptions cost per month. */
	monthlyTotal: z.number(),
	/** Subscriptions that renew from the credit (a price above 0). */
	renewing: z.number(),
	/** Subscriptions that renew at no cost (free plans): nothing for the credit to cover. */
	free: z.number(),
	/** Renewals due and unpaid (past due): owed now, paid first; what the credit lacks for them. */
	overdue: z.object({ count: z.number(), amount: z.number(), shortfall: z.number() }),
	/**
	 * The first renewal to come the credit does not cover once what is owed now is paid: it covers
	 * everything before that date. `day`: it and the renewals due later that day (WIB), and what
	 * the credit lacks for all of them.
	 */
	firstUncovered: renewal
		.extend({ shortfall: z.number(), day: z.object({ count: z.number(), amount: z.number(), shortfall: z.number() }) })
		.nullable(),
	/** With nothing uncovered, the credit lasts beyond this date. */
	horizon: z.date(),
	dueSoon: z.object({ days: z.number(), amount: z.number(), shortfall: z.number(), topUpUrl: z.string() }),
	pastDue: z.array(renewal.extend({ gracePeriodEnd: z.date(), daysLeft: z.number() })),
	pastDueShortfall: z.number(),
	pastDueTopUpUrl: z.string()
});

export function toForecastView(forecast: Awaited<ReturnType<typeof creditForecast>>): z.infer<typeof forecastView> {
	const { firstUncovered } = forecast;
	return {
		balance: forecast.balance,
		monthlyTotal: forecast.monthlyTotal,
		renewing: forecast.renewing,
		free: forecast.free,
		overdue: { ...forecast.overdue },
		firstUncovered: firstUncovered && {
			subscriptionId: firstUncovered.subscriptionId,
			name: firstUncovered.name,
			dueAt: firstUncovered.dueAt,
			amount: firstUncovered.amount,
			shortfall: firstUncovered.shortfall,
			day: { ...firstUncovered.day }
		},
		horizon: forecast.horizon,
		dueSoon: forecast.dueSoon,
		pastDue: forecast.pastDue.map((entry) => ({
			subscriptionId: entry.subscriptionId,
			name: entry.name,
			dueAt: entry.dueAt,
			amount: entry.amount,
			gracePeriodEnd: entry.gracePeriodEnd,
			daysLeft: entry.daysLeft
		})),
		pastDueShortfall: forecast.pastDueShortfall,
		pastDueTopUpUrl: forecast.pastDueTopUpUrl
	};
}

/** One subscription's billing state, for its page. */
export const subscriptionBillingView = z.object({
	status: z.enum(SUBSCRIPTION_STATUSES),
	autoRenew: z.boolean(),
	/** The plan's price: what the next renewal (or a reactivation) charges. */
	price: z.number(),
	balance: z.number(),
	/** When the next renewal is due (in the past while it is overdue); null when it will not renew. */
	renewsAt: z.date().nullable(),
	gracePeriodEnd: z.date().nullable(),
	graceDaysLeft: z.number().nullable(),
	/** What the balance lacks for the overdue renewal, with the top-up link that pre-fills it. */
	shortfall: z.number(),
	topUpUrl: z.string(),
	suspendedFor: z.enum(SUSPENSION_REASONS).nullable(),
	suspendedAt: z.date().nullable(),
	/** When a suspended app and its data are deleted. */
	deletionAt: z.date().nullable(),
	/** The customer may pay a fresh period to bring it back. */
	canReactivate: z.boolean()
});

export function toSubscriptionBillingView(
	subscription: Subscription,
	context: { price: number; balance: number; now: Date; retentionDays: number }
): z.infer<typeof subscriptionBillingView> {
	const renews = subscription.autoRenew && ['ACTIVE', 'PAST_DUE', 'PENDING_UPGRADE'].includes(subscription.status);
	const owes = subscription.status === 'PAST_DUE' || subscription.status === 'SUSPENDED';
	const shortfall = owes ? Math.max(0, context.price - context.balance) : 0;
	const nonPayment = subscription.status === 'SUSPENDED' && subscription.suspendedFor === 'NON_PAYMENT';
	return {
		status: subscription.status,
		autoRenew: subscription.autoRenew,
		price: context.price,
		balance: context.balance,
		renewsAt: renews ? subscription.endDate : null,
		gracePeriodEnd: subscription.status === 'PAST_DUE' ? subscription.gracePeriodEnd : null,
		graceDaysLeft:
			subscription.status === 'PAST_DUE' && subscription.gracePeriodEnd
				? daysLeft(subscription.gracePeriodEnd, context.now)
				: null,
		shortfall,
		topUpUrl: topUpUrl(shortfall),
		suspendedFor: subscription.status === 'SUSPENDED' ? subscription.suspendedFor : null,
		suspendedAt: subscription.status === 'SUSPENDED' ? subscription.suspendedAt : null,
		deletionAt: nonPayment && subscription.suspendedAt ? deletionAt(subscription.suspendedAt, context.retentionDays) : null,
		canReactivate: nonPayment
	};
}

export const reactivationView = z.object({
	id: z.string(),
	status: z.enum(SUBSCRIPTION_STATUSES),
	charged: z.number(),
	endDate: z.date()
});

export const toReactivationView = (result: {
	subscription: Subscription;
	charged: number;
}): z.infer<typeof reactivationView> => ({
	id: result.subscription.id,
	status: result.subscription.status,
	charged: result.charged,
	endDate: result.subscription.endDate
});

const billingRowView = z.object({
	subscriptionId: z.string(),
	status: z.enum(SUBSCRIPTION_STATUSES),
	customer: z.object({ id: z.string(), name: z.string(), email: z.string(), balance: z.number() }),
	app: z.string(),
	plan: z.string(),
	/** The plan's price: what the renewal (or a reactivation) charges. */
	amount: z.number(),
	shortfall: z.number(),
	dueAt: z.date(),
	gracePeriodEnd: z.date().nullable(),
	suspendedAt: z.date().nullable(),
	suspendedFor: z.enum(SUSPENSION_REASONS).nullable(),
	deletionAt: z.date().nullable()
});

function toBillingRowView(row: BillingRow, deletion: Date | null = null): z.infer<typeof billingRowView> {
	const { subscription, user, plan } = row;
	return {
		subscriptionId: subscription.id,
		status: subscription.status,
		customer: { id: user.id, name: user.name, email: user.email, balance: user.balance },
		app: subscription.name ?? row.serviceName,
		plan: plan.name,
		amount: plan.monthlyPrice,
		shortfall: Math.max(0, plan.monthlyPrice - user.balance),
		dueAt: subscription.endDate,
		gracePeriodEnd: subscription.gracePeriodEnd,
		suspendedAt: subscription.suspendedAt,
		suspendedFor: subscription.suspendedFor,
		deletionAt: deletion
	};
}

export const billingOverviewView = z.object({
	now: z.date(),
	testClock: z.boolean(),
	due: z.array(billingRowView),
	pastDue: z.array(billingRowView),
	suspended: z.array(billingRowView),
	soonDeleted: z.array(billingRowView)
});

export function toBillingOverviewView(overview: BillingOverview): z.infer<typeof billingOverviewView> {
	return {
		now: overview.now,
		testClock: overview.testClock,
		due: overview.due.map((row) => toBillingRowView(row)),
		pastDue: overview.pastDue.map((row) => toBillingRowView(row)),
		suspended: overview.suspended.map(({ row, deletionAt }) => toBillingRowView(row, deletionAt)),
		soonDeleted: overview.soonDeleted.map(({ row, deletionAt }) => toBillingRowView(row, deletionAt))
	};
}

const billingWorkView = z.object({
	renewed: z.number(),
	pastDue: z.number(),
	suspended: z.number(),
	reminded: z.number(),
	notices: z.number(),
	lowCredit: z.number(),
	deletionWarnings: z.number(),
	deleted: z.number(),
	expired: z.number()
});

export const advanceClockView = z.object({ now: z.date(), offsetMs: z.number(), days: z.number(), work: billingWorkView });

export const toAdvanceClockView = (result: {
	now: Date;
	offsetMs: number;
	days: number;
	work: BillingWork;
}): z.infer<typeof advanceClockView> => ({
	now: result.now,
	offsetMs: result.offsetMs,
	days: result.days,
	work: { ...result.work }
});

/** A subscription after an administrator's billing action. */
export const billingActionView = z.object({
	id: z.string(),
	status: z.enum(SUBSCRIPTION_STATUSES),
	endDate: z.date(),
	gracePeriodEnd: z.date().nullable()
});

export const toBillingActionView = (subscription: Subscription): z.infer<typeof billingActionView> => ({
	id: subscription.id,
	status: subscription.status,
	endDate: subscription.endDate,
	gracePeriodEnd: subscription.gracePeriodEnd
});
