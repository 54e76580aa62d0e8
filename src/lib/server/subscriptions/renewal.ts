// Renewal: at the end of a paid period an auto-renew subscription is charged its plan's
// price from the wallet and its period moves on to the next anchor date; a short balance
// makes it PAST_DUE (the app keeps running through the grace period). The sweep takes due
// rows in batches with FOR UPDATE SKIP LOCKED, so several worker processes share the work,
// and the ledger key (subscription + period start) charges each period at most once.
import { and, asc, eq, inArray, lte, notInArray, sql, type Placeholder } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { servicePlans, services, subscriptions, users, type Service, type ServicePlan, type Subscription } from '../db/schema';
import { topUpUrl } from '../errors';
import { notifyMany, type NewNotification } from '../notifications/service';
import { asDate, asPeriod, asRupiah } from '../notifications/texts';
import type { Runtime } from '../runtime';
import { applyBalanceChange } from '../wallet/ledger';
import { periodCharge } from './subscribe';
import { graceEndsAt, nextPeriodEnd } from './renewal-rules';
import { priceForPeriod } from '../catalog/plan-terms';
import { renewals as renewalsMetric } from '../metrics';

export type DueRenewal = { subscription: Subscription; plan: ServicePlan; service: Service };

export type RenewalTally = { renewed: number; pastDue: number; failed: number };

const appName = ({ subscription, service }: DueRenewal) => subscription.name ?? service.name;

/** Whether the subscription's renewal is due now and may be charged. */
export const isRenewalDue = (subscription: Subscription, now: Date) =>
	(subscription.status === 'ACTIVE' || subscription.status === 'PAST_DUE') &&
	subscription.autoRenew &&
	subscription.endDate <= now;

/** The same rule as a condition on `subscriptions`, for queries. */
export const renewalDueWhere = (now: Date | Placeholder) =>
	and(inArray(subscriptions.status, ['ACTIVE', 'PAST_DUE']), eq(subscriptions.autoRenew, true), lte(subscriptions.endDate, now));

/** The due subscriptions (with plan and service) matching `where`, locked for this transaction. */
export function selectDue(tx: Tx) {
	return tx
		.select({ subscription: subscriptions, plan: servicePlans, service: services })
		.from(subscriptions)
		.innerJoin(servicePlans, eq(servicePlans.id, subscriptions.planId))
		.innerJoin(services, eq(services.id, subscriptions.serviceId));
}

/**
 * Locks the customers' rows (in id order, so concurrent sweeps never deadlock; the lock the
 * ledger takes too) and reads their balances, so what is affordable cannot change meanwhile.
 */
export async function lockBalances(tx: Tx, userIds: string[]) {
	const rows = await tx
		.select({ id: users.id, balance: users.creditBalance })
		.from(users)
		.where(inArray(users.id, [...new Set(userIds)]))
		.orderBy(asc(users.id))
		.for('no key update');
	return new Map(rows.map((row) => [row.id, row.balance]));
}

/**
 * Renews one period of each locked, due subscription, oldest due first, as far as each
 * customer's balance goes; a renewal the balance does not cover makes an ACTIVE subscription
 * PAST_DUE. `balances` holds the locked customers' balances and is kept up to date. Every
 * write is one statement for the whole batch: the ledger's batch form charges them all.
 */
export async function renewLocked(runtime: Runtime, tx: Tx, due: DueRenewal[], balances: Map<string, number>, now: Date) {
	const renewals: (DueRenewal & { start: Date; end: Date })[] = [];
	const lapsed: (DueRenewal & { balance: number; graceEnd: Date })[] = [];
	// Each subscriber pays their own price, or the change announced for the coming period
	// (catalog/plan-terms.ts): a plan's new price reaches them at this renewal, as they were told.
	const priced = due.map((row) => ({
		...row,
		plan: { ...row.plan, monthlyPrice: priceForPeriod(row.subscription, row.subscription.endDate).price }
	}));
	const ordered = priced.sort((a, b) => a.subscription.endDate.getTime() - b.subscription.endDate.getTime());
	for (const row of ordered) {
		const { subscription, plan } = row;
		if (!isRenewalDue(subscription, now)) continue;
		const balance = balances.get(subscription.userId) ?? 0;
		if (plan.monthlyPrice > balance) {
			const graceEnd = graceEndsAt(subscription.endDate, runtime.config.billing.graceDays);
			if (subscription.status === 'ACTIVE') lapsed.push({ ...row, balance, graceEnd });
			continue;
		}
		balances.set(subscription.userId, balance - plan.monthlyPrice);
		const start = subscription.endDate;
		renewals.push({ ...row, start, end: nextPeriodEnd(subscription.billingAnchor, start) });
	}

	const paid = renewals.filter((renewal) => renewal.plan.monthlyPrice > 0);
	const charged = await applyBalanceChange(
		tx,
		paid.map((renewal) => periodCharge({ ...renewal, at: now }))
	);
	const balanceAfter = new Map(paid.map((renewal, index) => [renewal.subscription.id, charged[index].transaction.balanceAfter]));
	const chargeOf = new Map(paid.map((renewal, index) => [renewal.subscription.id, charged[index].transaction.id]));
	await rollPeriods(tx, renewals, now);
	await markPastDue(tx, lapsed);
	await notifyMany(tx, [
		...renewals.map((renewal) => ({
			...receipt(
				renewal,
				renewal.start,
				renewal.end,
				balanceAfter.get(renewal.subscription.id) ?? balances.get(renewal.subscription.userId) ?? 0
			),
			receiptFor: chargeOf.get(renewal.subscription.id)
		})),
		...lapsed.map((row) => pastDueNotice(row, row.balance, row.graceEnd))
	]);
	return { renewed: renewals.length, pastDue: lapsed.length, failed: 0 } satisfies RenewalTally;
}

const param = (values: unknown[]) => sql.param(values);

/** Moves each renewed subscription into its new period, in one statement. */
async function rollPeriods(tx: Tx, renewals: (DueRenewal & { start: Date; end: Date })[], now: Date) {
	if (renewals.length === 0) return;
	await tx
		.update(subscriptions)
		.set({
			status: 'ACTIVE',
			currentPeriodStart: sql`v.period_start`,
			endDate: sql`v.period_end`,
			lastBilled: now,
			lastChargeAmount: sql`v.price`,
			monthlyPrice: sql`v.price`,
			// An announced price change is adopted once its period has begun.
			pendingMonthlyPrice: sql`CASE WHEN ${subscriptions.pendingPriceFrom} <= v.period_start THEN NULL ELSE ${subscriptions.pendingMonthlyPrice} END`,
			pendingPriceFrom: sql`CASE WHEN ${subscriptions.pendingPriceFrom} <= v.period_start THEN NULL ELSE ${subscriptions.pendingPriceFrom} END`,
			gracePeriodEnd: null,
			// A grant is over once a period is paid.
			isGrant: false
		})
		.from(
			sql`unnest(${param(renewals.map((r) => r.subscription.id))}::uuid[], ${param(renewals.map((r) => r.start.toISOString()))}::timestamptz[], ${param(renewals.map((r) => r.end.toISOString()))}::timestamptz[], ${param(renewals.map((r) => r.plan.monthlyPrice))}::bigint[]) AS v(id, period_start, period_end, price)`
		)
		.where(sql`${subscriptions.id} = v.id`);
}

/** Renewals the balance did not cover: PAST_DUE until the end of their grace period, in one statement. */
async function markPastDue(tx: Tx, lapsed: (DueRenewal & { graceEnd: Date })[]) {
	if (lapsed.length === 0) return;
	await tx
		.update(subscriptions)
		.set({ status: 'PAST_DUE', gracePeriodEnd: sql`v.grace_end` })
		.from(
			sql`unnest(${param(lapsed.map((r) => r.subscription.id))}::uuid[], ${param(lapsed.map((r) => r.graceEnd.toISOString()))}::timestamptz[]) AS v(id, grace_end)`
		)
		.where(sql`${subscriptions.id} = v.id`);
}

function receipt(row: DueRenewal, start: Date, end: Date, balanceLeft: number): NewNotification {
	const { subscription, plan } = row;
	return {
		userId: subscription.userId,
		type: 'SUBSCRIPTION_RENEWED',
		text:
			plan.monthlyPrice > 0
				? {
						key: 'renewed',
						params: {
							name: appName(row),
							amount: asRupiah(plan.monthlyPrice),
							period: asPeriod(start, end),
							balance: asRupiah(balanceLeft)
						}
					}
				: { key: 'renewed_free', params: { name: appName(row), plan: plan.name, period: asPeriod(start, end) } },
		link: `/subscriptions/${subscription.id}`,
		metadata: {
			subscriptionId: subscription.id,
			amount: plan.monthlyPrice,
			periodStart: start,
			periodEnd: end,
			balance: balanceLeft
		}
	};
}

function pastDueNotice(row: DueRenewal, balance: number, graceEnd: Date): NewNotification {
	const { subscription, plan } = row;
	const shortfall = plan.monthlyPrice - balance;
	return {
		userId: subscription.userId,
		type: 'RENEWAL_FAILED',
		text: {
			key: 'renewal_failed',
			params: {
				name: appName(row),
				amount: asRupiah(plan.monthlyPrice),
				balance: asRupiah(balance),
				shortfall: asRupiah(shortfall),
				date: asDate(graceEnd)
			}
		},
		link: topUpUrl(shortfall),
		metadata: { subscriptionId: subscription.id, shortfall, gracePeriodEnd: graceEnd }
	};
}

/**
 * Renews one batch of due ACTIVE subscriptions in one transaction; the rows are taken with
 * SKIP LOCKED, so concurrent sweeps take different rows. Returns null when none was due.
 */
async function renewBatch(runtime: Runtime, now: Date, limit: number, skip: string[], only?: string[]) {
	return runtime.db.transaction(async (tx) => {
		const due = await selectDue(tx)
			.where(
				and(
					eq(subscriptions.status, 'ACTIVE'),
					eq(subscriptions.autoRenew, true),
					lte(subscriptions.endDate, now),
					skip.length ? notInArray(subscriptions.id, skip) : undefined,
					only ? inArray(subscriptions.id, only) : undefined
				)
			)
			.orderBy(asc(subscriptions.endDate))
			.limit(limit)
			.for('update', { of: subscriptions, skipLocked: true });
		if (due.length === 0) return null;
		const balances = await lockBalances(
			tx,
			due.map((row) => row.subscription.userId)
		);
		return { ids: due.map((row) => row.subscription.id), tally: await renewLocked(runtime, tx, due, balances, now) };
	});
}

export type SweepOptions = { now?: Date; batchSize?: number };

/**
 * Renews every due ACTIVE auto-renew subscription, batch after batch, until none is left
 * that another sweep does not already hold. A batch that fails is retried one subscription
 * at a time, so a single bad row is logged and left for later instead of stopping renewals.
 */
export async function sweepDueRenewals(runtime: Runtime, options: SweepOptions = {}): Promise<RenewalTally> {
	const now = options.now ?? runtime.clock.now();
	const batchSize = options.batchSize ?? 500;
	const total: RenewalTally = { renewed: 0, pastDue: 0, failed: 0 };
	const failed: string[] = [];
	const add = (tally: RenewalTally) => {
		total.renewed += tally.renewed;
		total.pastDue += tally.pastDue;
	};
	for (;;) {
		let batch: Awaited<ReturnType<typeof renewBatch>>;
		try {
			batch = await renewBatch(runtime, now, batchSize, failed);
		} catch (error) {
			runtime.log.warn({ err: error }, 'a renewal batch failed; renewing its subscriptions one by one');
			batch = await renewOneByOne(runtime, now, batchSize, failed);
		}
		if (!batch) break;
		add(batch.tally);
	}
	total.failed = failed.length;
	countRenewals(total);
	return total;
}

/** The committed renewals for the metrics: charged, and not covered by the credit (failed). */
function countRenewals(tally: RenewalTally) {
	if (tally.renewed) renewalsMetric.inc({ outcome: 'charged' }, tally.renewed);
	if (tally.pastDue) renewalsMetric.inc({ outcome: 'failed' }, tally.pastDue);
}

/** The slow path after a failed batch: each subscription in its own transaction. */
async function renewOneByOne(runtime: Runtime, now: Date, batchSize: number, failed: string[]) {
	const candidates = await runtime.db
		.select({ id: subscriptions.id })
		.from(subscriptions)
		.where(
			and(
				eq(subscriptions.status, 'ACTIVE'),
				eq(subscriptions.autoRenew, true),
				lte(subscriptions.endDate, now),
				failed.length ? notInArray(subscriptions.id, failed) : undefined
			)
		)
		.orderBy(asc(subscriptions.endDate))
		.limit(batchSize);
	if (candidates.length === 0) return null;
	const tally: RenewalTally = { renewed: 0, pastDue: 0, failed: 0 };
	for (const { id } of candidates) {
		try {
			const done = await renewBatch(runtime, now, 1, failed, [id]);
			if (done) {
				tally.renewed += done.tally.renewed;
				tally.pastDue += done.tally.pastDue;
			}
		} catch (error) {
			runtime.log.error({ err: error, subscriptionId: id }, 'renewing a subscription failed');
			failed.push(id);
		}
	}
	return { ids: candidates.map((c) => c.id), tally };
}

/**
 * Credit reached the customer's wallet (or the daily retry runs): charges their due
 * renewals now, oldest due first, each one the remaining balance covers. A subscription
 * several periods behind is renewed period by period.
 */
export async function retryDueRenewals(runtime: Runtime, userId: string, now = runtime.clock.now()): Promise<RenewalTally> {
	const total = await runtime.db.transaction(async (tx) => {
		const total: RenewalTally = { renewed: 0, pastDue: 0, failed: 0 };
		for (;;) {
			const due = await selectDue(tx)
				.where(and(eq(subscriptions.userId, userId), renewalDueWhere(now)))
				.orderBy(asc(subscriptions.endDate))
				.for('update', { of: subscriptions });
			if (due.length === 0) return total;
			const balances = await lockBalances(tx, [userId]);
			const tally = await renewLocked(runtime, tx, due, balances, now);
			total.renewed += tally.renewed;
			total.pastDue += tally.pastDue;
			// Nothing more could be paid: the rest waits for more credit.
			if (tally.renewed === 0) return total;
		}
	});
	countRenewals(total);
	return total;
}
