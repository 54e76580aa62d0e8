// The administrator's Billing view: renewals due soon, subscriptions past due, suspended
// and soon deleted, each with the amounts involved.
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { servicePlans, services, subscriptions, users } from '../db/schema';
import type { Runtime } from '../runtime';
import { testClockEnabled } from './billing-upkeep';
import { DAY_MS, DELETION_WARNING_DAYS, deletionAt, LOW_CREDIT_DAYS } from './renewal-rules';

/** Rows per list; the oldest (most urgent) first. */
const LIMIT = 100;

function selectRows(runtime: Runtime) {
	return runtime.db
		.select({
			subscription: subscriptions,
			user: { id: users.id, name: users.name, email: users.email, balance: users.creditBalance },
			plan: { id: servicePlans.id, name: servicePlans.name, monthlyPrice: servicePlans.monthlyPrice },
			serviceName: services.name
		})
		.from(subscriptions)
		.innerJoin(users, eq(users.id, subscriptions.userId))
		.innerJoin(servicePlans, eq(servicePlans.id, subscriptions.planId))
		.innerJoin(services, eq(services.id, subscriptions.serviceId));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectRows>['where']>>[number];

export async function billingOverview(runtime: Runtime) {
	const now = runtime.clock.now();
	const retention = runtime.config.billing.suspendedRetentionDays;
	const [due, pastDue, suspended] = await Promise.all([
		selectRows(runtime)
			.where(
				and(
					eq(subscriptions.status, 'ACTIVE'),
					eq(subscriptions.autoRenew, true),
					lte(subscriptions.endDate, new Date(now.getTime() + LOW_CREDIT_DAYS * DAY_MS))
				)
			)
			.orderBy(asc(subscriptions.endDate))
			.limit(LIMIT),
		selectRows(runtime).where(eq(subscriptions.status, 'PAST_DUE')).orderBy(asc(subscriptions.gracePeriodEnd)).limit(LIMIT),
		selectRows(runtime)
			.where(inArray(subscriptions.status, ['SUSPENDED']))
			.orderBy(asc(subscriptions.suspendedAt))
			.limit(LIMIT)
	]);
	const deletionOf = (row: Row) =>
		row.subscription.suspendedFor === 'NON_PAYMENT' && row.subscription.suspendedAt
			? deletionAt(row.subscription.suspendedAt, retention)
			: null;
	const soon = new Date(now.getTime() + DELETION_WARNING_DAYS * DAY_MS);
	return {
		now,
		testClock: testClockEnabled(runtime),
		due,
		pastDue,
		suspended: suspended.map((row) => ({ row, deletionAt: deletionOf(row) })),
		soonDeleted: suspended
			.map((row) => ({ row, deletionAt: deletionOf(row) }))
			.filter((entry): entry is { row: Row; deletionAt: Date } => entry.deletionAt !== null && entry.deletionAt <= soon)
	};
}

export type BillingOverview = Awaited<ReturnType<typeof billingOverview>>;
export type BillingRow = Row;
