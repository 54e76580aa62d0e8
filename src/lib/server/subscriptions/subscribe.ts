// Subscribing: the checks in the brief's order, then one transaction that takes the slot,
// creates subscription and instance, charges the first period and enqueues provisioning.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { serviceInstances, subscriptions, type Service, type ServicePlan, type Subscription } from '../db/schema';
import { customerAlreadySubscribed, duplicateSubscription, insufficientCredit, notFound, quotaExceeded } from '../errors';
import { jobPart } from '../queue';
import { inOneStatement } from '../db/statement';
import { notifyParts } from '../notifications/service';
import { asDate, asRupiah } from '../notifications/texts';
import { applyBalanceChange, type BalanceChange } from '../wallet/ledger';
import { availableSlots } from '../catalog/service';
import { toPlanView } from '../catalog/views';
import { fulfilWaitlistPart, OFFER_HOURS } from '../waitlist/service';
import type { Runtime } from '../runtime';
import { addMonths, periodChargeKey } from './billing';
import { takeSlot } from './quota';
import { balanceOf, liveSubscriptionFor, loadPlan } from './queries';
import { formatPeriod } from '$lib/format';
import { ledgerText } from '../wallet/ledger-texts';

/** What subscribing to a plan would do, and what stands in the way (for the dialog). */
export async function subscribeQuote(db: DbOrTx, userId: string, planId: string) {
	const { plan, service } = await loadPlan(db, planId);
	if (!plan.isActive || !service.isActive) throw notFound('Plan');
	const [existing, balance] = await Promise.all([liveSubscriptionFor(db, userId, service.id), balanceOf(db, userId)]);
	const slotsLeft = availableSlots(plan);
	const shortfall = Math.max(0, plan.monthlyPrice - balance);
	const problem = existing
		? ('DUPLICATE_SUBSCRIPTION' as const)
		: slotsLeft === 0
			? ('QUOTA_EXCEEDED' as const)
			: shortfall > 0
				? ('INSUFFICIENT_CREDIT' as const)
				: null;
	return {
		plan: toPlanView(plan),
		service: { id: service.id, slug: service.slug, name: service.name },
		price: plan.monthlyPrice,
		balance,
		// Only what a purchase would leave: none when something stands in the way (never a
		// negative balance when the credit falls short; the shortfall says what is missing).
		balanceAfter: problem ? null : balance - plan.monthlyPrice,
		slotsLeft,
		shortfall,
		// What joining the waitlist of a sold-out plan means: how long a freed slot's offer lasts.
		waitlistOfferHours: OFFER_HOURS,
		existingSubscriptionId: existing?.id ?? null,
		problem
	};
}

/** A DNS label: the instance name slugged, plus a random suffix. */
export function makeSubdomain(name: string): string {
	const base =
		name
			.toLowerCase()
			.normalize('NFKD')
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 40)
			.replace(/-+$/g, '') || 'app';
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	const suffix = Array.from(randomBytes(6), (byte) => alphabet[byte % alphabet.length]).join('');
	return `${base}-${suffix}`;
}

type NewSubscription = {
	userId: string;
	plan: ServicePlan;
	service: Service;
	name?: string;
	grant?: { by: string; months: number };
	now?: Date;
};

/** The ledger key of a period's charge: whatever path charges a period, it is charged once. */
export { periodChargeKey } from './billing';

export type PeriodCharge = {
	subscription: Subscription;
	plan: ServicePlan;
	service: Service;
	start: Date;
	end: Date;
	/** When it is charged (the billing clock's now); a renewal pays a period that began earlier. */
	at: Date;
	/** The balance, when the caller holds the customer's row locked and knows it. */
	balance?: number;
	/**
	 * It pays for setting the app up (subscribing, retrying a set-up that failed and was
	 * refunded): a set-up that then fails gives it back (releaseAfterFailedProvisioning).
	 */
	setUp?: boolean;
};

/**
 * The ledger change that pays one billing period of the plan's price. Its idempotency key
 * names the subscription and the period's start, so whatever path charges a period
 * (subscribing, a renewal, a retry, a reactivation) charges it at most once.
 */
export function periodCharge({
	subscription,
	plan,
	service,
	start,
	end,
	at,
	setUp
}: Omit<PeriodCharge, 'balance'>): BalanceChange {
	return {
		userId: subscription.userId,
		type: 'SUBSCRIPTION',
		amount: -plan.monthlyPrice,
		idempotencyKey: periodChargeKey(subscription.id, start),
		description: `${service.name} ${plan.name}, ${formatPeriod(start, end, 'en')}`,
		text: ledgerText('charge', { service: service.name, plan: plan.name, period: [start.toISOString(), end.toISOString()] }),
		at,
		paymentMethod: 'CREDIT',
		subscriptionId: subscription.id,
		metadata: {
			planId: plan.id,
			periodStart: start.toISOString(),
			periodEnd: end.toISOString(),
			...(setUp ? { setUp: true } : {})
		}
	};
}

/**
 * Charges one billing period; refused with INSUFFICIENT_CREDIT (nothing written) when the
 * balance is short: by the ledger's guarded UPDATE, which reports the balance it found, or
 * before it when the caller knows the balance (no read of it here: one round trip less).
 */
export async function chargePeriod(db: DbOrTx, charge: PeriodCharge) {
	const { plan, balance } = charge;
	if (balance !== undefined && balance < plan.monthlyPrice) {
		throw insufficientCredit({ shortfall: plan.monthlyPrice - balance, balance, required: plan.monthlyPrice });
	}
	return applyBalanceChange(db, periodCharge(charge));
}

/**
 * Takes the slot, creates subscription and instance, charges the first period (unless it
 * is free or granted) and enqueues provisioning, all in the caller's transaction.
 */
export async function createSubscription(runtime: Runtime, tx: Tx, input: NewSubscription) {
	const now = input.now ?? runtime.clock.now();
	const { plan, service } = input;
	await takeSlot(tx, plan.id);

	const end = addMonths(now, input.grant?.months ?? 1);
	const price = input.grant ? 0 : plan.monthlyPrice;
	// A live twin (a concurrent subscribe to the same app) makes this insert nothing: it waits
	// for the twin's transaction and then leaves the unique index of live subscriptions to it,
	// without the savepoint a unique violation would need for the lookup below.
	// https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT (a partial index
	// is inferred from its predicate)
	const [subscription] = await tx
		.insert(subscriptions)
		.values({
			userId: input.userId,
			serviceId: service.id,
			planId: plan.id,
			name: input.name ?? null,
			status: 'ACTIVE',
			startDate: now,
			billingAnchor: now,
			currentPeriodStart: now,
			endDate: end,
			lastBilled: now,
			monthlyPrice: plan.monthlyPrice,
			lastChargeAmount: price,
			isGrant: Boolean(input.grant),
			grantedBy: input.grant?.by ?? null
		})
		.onConflictDoNothing({
			target: [subscriptions.userId, subscriptions.serviceId],
			where: sql.raw(`status NOT IN ('CANCELLED', 'EXPIRED')`)
		})
		.returning();
	if (!subscription) {
		const existing = await liveSubscriptionFor(tx, input.userId, service.id);
		if (!existing) throw new Error('A live subscription to this app blocked the new one and then was gone');
		throw input.grant ? customerAlreadySubscribed(existing.id, service.name) : duplicateSubscription(existing.id);
	}

	const charged =
		price > 0 ? await chargePeriod(tx, { subscription, plan, service, start: now, end, at: now, setUp: true }) : null;

	const instanceName = input.name?.trim() || service.name;
	const [instance] = await tx
		.insert(serviceInstances)
		.values({
			subscriptionId: subscription.id,
			userId: input.userId,
			name: instanceName,
			subdomain: makeSubdomain(input.name?.trim() || service.slug),
			namespace: `user-${input.userId}`,
			status: 'PENDING'
		})
		.returning();

	// The waitlist entry, the notice with its mail and the provisioning job: one round trip (db/statement.ts).
	await inOneStatement(tx, [
		fulfilWaitlistPart(input.userId, plan.id),
		...notifyParts([
			{
				userId: input.userId,
				type: 'SUBSCRIPTION_STARTED',
				text: input.grant
					? plan.monthlyPrice > 0
						? {
								key: 'started_granted_then_paid',
								params: { service: service.name, plan: plan.name, date: asDate(end), amount: asRupiah(plan.monthlyPrice) }
							}
						: { key: 'started_granted', params: { service: service.name, plan: plan.name, date: asDate(end) } }
					: price > 0
						? { key: 'started_paid', params: { service: service.name, plan: plan.name, amount: asRupiah(price) } }
						: { key: 'started_free', params: { service: service.name, plan: plan.name } },
				link: `/subscriptions/${subscription.id}`,
				receiptFor: charged?.transaction.id,
				metadata: { subscriptionId: subscription.id, instanceId: instance.id }
			}
		]),
		jobPart('provision-instance', { instanceId: instance.id }, { singletonKey: instance.id })
	]);
	return { subscription, instance };
}

export async function subscribe(runtime: Runtime, userId: string, input: { planId: string; name?: string }) {
	const { plan, service } = await loadPlan(runtime.db, input.planId);
	if (!plan.isActive || !service.isActive || !service.isPublic) throw notFound('Plan');

	// The checks in the order of the brief, for a precise answer; the transaction below
	// enforces each of them again against concurrent requests.
	const existing = await liveSubscriptionFor(runtime.db, userId, service.id);
	if (existing) throw duplicateSubscription(existing.id);
	if (availableSlots(plan) === 0) throw quotaExceeded(plan.id);
	const balance = await balanceOf(runtime.db, userId);
	if (balance < plan.monthlyPrice)
		throw insufficientCredit({ shortfall: plan.monthlyPrice - balance, balance, required: plan.monthlyPrice });

	return runtime.db.transaction(async (tx) => {
		const created = await createSubscription(runtime, tx, { userId, plan, service, name: input.name });
		return { subscriptionId: created.subscription.id, instanceId: created.instance.id, subdomain: created.instance.subdomain };
	});
}
