// The grace period: a PAST_DUE subscription keeps its app running for MINISPOD_GRACE_DAYS
// after the renewal was due. Its owner is reminded once a day with the shortfall and the
// days left; every credit retries the renewal at once (renewal.ts); when the grace period
// ends unpaid the subscription is suspended. Administrators can extend a grace period or
// waive the renewal.
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { servicePlans, services, subscriptions, users } from '../db/schema';
import { invalidState, notFound, topUpUrl } from '../errors';
import { audit } from '../audit/service';
import { notify, notifyOnce } from '../notifications/service';
import { asDate, asPeriod, asRupiah } from '../notifications/texts';
import type { Runtime } from '../runtime';
import { deletionAt, daysLeft, graceDay, nextPeriodEnd } from './renewal-rules';
import { lockBalances, renewLocked, retryDueRenewals, selectDue } from './renewal';
import { suspendLocked } from './suspension';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

/**
 * Suspends every PAST_DUE subscription whose grace period has ended, each in its own
 * transaction after one last attempt to charge the renewal.
 */
export async function suspendEndedGracePeriods(runtime: Runtime, now = runtime.clock.now()) {
	const ended = await runtime.db
		.select({ id: subscriptions.id })
		.from(subscriptions)
		.where(and(eq(subscriptions.status, 'PAST_DUE'), lte(subscriptions.gracePeriodEnd, now)))
		.orderBy(asc(subscriptions.gracePeriodEnd));
	let suspended = 0;
	for (const { id } of ended) {
		const done = await runtime.db.transaction(async (tx) => {
			const [row] = await selectDue(tx).where(eq(subscriptions.id, id)).for('update', { of: subscriptions, skipLocked: true });
			const subscription = row?.subscription;
			if (
				!subscription ||
				subscription.status !== 'PAST_DUE' ||
				!subscription.gracePeriodEnd ||
				subscription.gracePeriodEnd > now
			)
				return false;
			const balances = await lockBalances(tx, [subscription.userId]);
			const last = await renewLocked(runtime, tx, [row], balances, now);
			if (last.renewed > 0) return false;
			await suspendLocked(runtime, tx, subscription, { reason: 'NON_PAYMENT', now });
			const name = subscription.name ?? row.service.name;
			const deletion = deletionAt(now, runtime.config.billing.suspendedRetentionDays);
			await notify(tx, {
				userId: subscription.userId,
				type: 'SUBSCRIPTION_SUSPENDED',
				text: {
					key: 'suspended_unpaid',
					params: { name, amount: asRupiah(row.plan.monthlyPrice), deletion: asDate(deletion) }
				},
				link: `/subscriptions/${subscription.id}`,
				metadata: { subscriptionId: subscription.id, reactivationPrice: row.plan.monthlyPrice, deletionAt: deletion }
			});
			return true;
		});
		if (done) suspended += 1;
	}
	return { suspended };
}

/** Retries the renewals of every customer with one past due (credit may have come in unseen). */
export async function retryPastDueRenewals(runtime: Runtime, now = runtime.clock.now()) {
	const owing = await runtime.db
		.selectDistinct({ userId: subscriptions.userId })
		.from(subscriptions)
		.where(and(eq(subscriptions.status, 'PAST_DUE'), eq(subscriptions.autoRenew, true)));
	let renewed = 0;
	for (const { userId } of owing) renewed += (await retryDueRenewals(runtime, userId, now)).renewed;
	return { customers: owing.length, renewed };
}

/**
 * The daily reminder of each PAST_DUE subscription from the day after it fell due: what is
 * owed, the shortfall and the days left. Once per subscription, period and day.
 */
export async function remindPastDue(runtime: Runtime, now = runtime.clock.now()) {
	const rows = await runtime.db
		.select({
			subscription: subscriptions,
			price: servicePlans.monthlyPrice,
			serviceName: services.name,
			balance: users.creditBalance,
			owed: sql<number>`(SELECT coalesce(sum(p.monthly_price), 0)::bigint FROM ${subscriptions} s JOIN ${servicePlans} p ON p.id = s.plan_id WHERE s.user_id = ${subscriptions.userId} AND s.status = 'PAST_DUE')`
		})
		.from(subscriptions)
		.innerJoin(servicePlans, eq(servicePlans.id, subscriptions.planId))
		.innerJoin(services, eq(services.id, subscriptions.serviceId))
		.innerJoin(users, eq(users.id, subscriptions.userId))
		.where(eq(subscriptions.status, 'PAST_DUE'));
	let reminded = 0;
	for (const { subscription, price, serviceName, balance, owed } of rows) {
		const day = graceDay(subscription.endDate, now);
		if (day < 1 || !subscription.gracePeriodEnd) continue;
		const shortfall = Math.max(0, Number(owed) - balance);
		const left = daysLeft(subscription.gracePeriodEnd, now);
		const name = subscription.name ?? serviceName;
		const sent = await notifyOnce(runtime.db, `grace-reminder:${subscription.id}:${subscription.endDate.toISOString()}:${day}`, {
			userId: subscription.userId,
			type: 'GRACE_REMINDER',
			text: {
				key: left === 1 ? 'grace_reminder_one' : 'grace_reminder',
				params: {
					name,
					days: left,
					amount: asRupiah(price),
					shortfall: asRupiah(shortfall),
					date: asDate(subscription.gracePeriodEnd)
				}
			},
			link: topUpUrl(shortfall),
			metadata: { subscriptionId: subscription.id, shortfall, daysLeft: left }
		});
		if (sent) reminded += 1;
	}
	return { reminded };
}

async function lockPastDue(db: DbOrTx, id: string) {
	const [subscription] = await db.select().from(subscriptions).where(eq(subscriptions.id, id)).for('update');
	if (!subscription) throw notFound('Subscription');
	if (subscription.status !== 'PAST_DUE' || !subscription.gracePeriodEnd) {
		throw invalidState(say(m.srv2_grace_only_past_due));
	}
	return { ...subscription, gracePeriodEnd: subscription.gracePeriodEnd };
}

/** An administrator gives a past-due subscription more days before it is suspended. */
export async function extendGrace(db: DbOrTx, admin: { id: string }, input: { id: string; days: number; reason: string }) {
	return db.transaction(async (tx) => {
		const subscription = await lockPastDue(tx, input.id);
		const gracePeriodEnd = new Date(subscription.gracePeriodEnd.getTime() + input.days * 86_400_000);
		const [updated] = await tx
			.update(subscriptions)
			.set({ gracePeriodEnd })
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.extend_grace',
			entityType: 'subscription',
			entityId: subscription.id,
			details: {
				days: input.days,
				reason: input.reason,
				from: subscription.gracePeriodEnd.toISOString(),
				to: gracePeriodEnd.toISOString()
			}
		});
		await notify(tx, {
			userId: subscription.userId,
			type: 'GRACE_EXTENDED',
			text: { key: 'grace_extended', params: { date: asDate(gracePeriodEnd), reason: input.reason } },
			link: `/subscriptions/${subscription.id}`
		});
		return updated;
	});
}

/**
 * An administrator waives the unpaid renewal: the period moves on without a charge and
 * the subscription is ACTIVE again. Audited with the amount waived.
 */
export async function waiveRenewal(db: DbOrTx, admin: { id: string }, input: { id: string; reason: string }) {
	return db.transaction(async (tx) => {
		const subscription = await lockPastDue(tx, input.id);
		const [plan] = await tx.select().from(servicePlans).where(eq(servicePlans.id, subscription.planId));
		const start = subscription.endDate;
		const end = nextPeriodEnd(subscription.billingAnchor, start);
		const [updated] = await tx
			.update(subscriptions)
			.set({ status: 'ACTIVE', currentPeriodStart: start, endDate: end, gracePeriodEnd: null, lastChargeAmount: 0 })
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.waive_renewal',
			entityType: 'subscription',
			entityId: subscription.id,
			details: { amount: plan.monthlyPrice, periodStart: start.toISOString(), periodEnd: end.toISOString(), reason: input.reason }
		});
		await notify(tx, {
			userId: subscription.userId,
			type: 'RENEWAL_WAIVED',
			text: {
				key: 'renewal_waived',
				params: { amount: asRupiah(plan.monthlyPrice), period: asPeriod(start, end), reason: input.reason }
			},
			link: `/subscriptions/${subscription.id}`
		});
		return updated;
	});
}
