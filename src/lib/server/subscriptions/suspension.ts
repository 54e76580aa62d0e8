// Suspension and reactivation. A subscription is suspended when its grace period ends
// unpaid (or by an administrator): the app is scaled to zero with its data kept, the slot is
// released and offered to the waitlist. Reactivating takes a free slot again and starts a
// fresh period from now (the new billing anchor): paid by the customer, or free when an
// administrator reactivates. Nothing is charged for the time it was suspended.
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { serviceInstances, subscriptions, type Subscription, type SuspensionReason } from '../db/schema';
import { invalidState, notFound } from '../errors';
import { enqueue } from '../queue';
import { notify } from '../notifications/service';
import { asDate, asRupiah } from '../notifications/texts';
import { offerFreeSlots } from '../waitlist/service';
import type { Runtime } from '../runtime';
import { addMonths } from './billing';
import { releaseSlot, takeSlot } from './quota';
import { loadPlan } from './queries';
import { holdsSlot } from './status';
import { chargePeriod } from './subscribe';
import { statusLabel } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { INSTANCE_ENDING_STATUSES } from '$lib/statuses';
import { say, sayIn } from '../sentences';

/** Statuses a subscription can be suspended from: it is running, paid or in grace. */
export const SUSPENDABLE_STATUSES = ['ACTIVE', 'PAST_DUE'] as const;

/**
 * Suspends a subscription locked in `tx`: releases its slot, scales its app to zero (data
 * kept) through `instance-action`, and offers the slot to the waitlist. The caller tells
 * the customer why.
 */
export async function suspendLocked(
	runtime: Runtime,
	tx: Tx,
	subscription: Subscription,
	suspension: { reason: SuspensionReason; now: Date; note?: string }
) {
	if (!(SUSPENDABLE_STATUSES as readonly string[]).includes(subscription.status)) {
		throw invalidState(
			sayIn(m.srv2_suspend_only_live, (locale) => ({ status: statusLabel(subscription.status, locale).toLowerCase() }))
		);
	}
	if (holdsSlot(subscription.status)) await releaseSlot(tx, subscription.planId);
	const [updated] = await tx
		.update(subscriptions)
		.set({
			status: 'SUSPENDED',
			suspendedAt: suspension.now,
			suspendedFor: suspension.reason,
			suspensionNote: suspension.note ?? null,
			gracePeriodEnd: null
		})
		.where(eq(subscriptions.id, subscription.id))
		.returning();
	const live = await tx
		.select({ id: serviceInstances.id })
		.from(serviceInstances)
		.where(
			and(
				eq(serviceInstances.subscriptionId, subscription.id),
				notInArray(serviceInstances.status, [...INSTANCE_ENDING_STATUSES])
			)
		);
	for (const { id } of live) await enqueue(runtime.boss, 'instance-action', { instanceId: id, action: 'suspend' }, { tx });
	await offerFreeSlots(tx, subscription.planId);
	return updated;
}

type Reactivation = { now: Date; charge: boolean };

/**
 * Brings a SUSPENDED subscription (locked in `tx`) back: takes a free slot (QUOTA_EXCEEDED
 * when none is), starts a fresh period from now, charged when asked, and scales the app up.
 * A suspension by an administrator whose period has not ended keeps that period instead.
 * A charged reactivation makes a grant a paid subscription.
 */
export async function reactivateLocked(runtime: Runtime, tx: Tx, subscription: Subscription, reactivation: Reactivation) {
	if (subscription.status !== 'SUSPENDED') throw invalidState(say(m.srv2_reactivate_only_suspended));
	const { plan, service } = await loadPlan(tx, subscription.planId);
	await takeSlot(tx, plan.id);
	const { now } = reactivation;
	const keepsPeriod = subscription.suspendedFor === 'ADMINISTRATOR' && subscription.endDate > now;
	const end = keepsPeriod ? subscription.endDate : addMonths(now);
	const price = reactivation.charge ? plan.monthlyPrice : 0;
	if (price > 0) await chargePeriod(tx, { subscription, plan, service, start: now, end, at: now });
	const [updated] = await tx
		.update(subscriptions)
		.set({
			status: 'ACTIVE',
			suspendedAt: null,
			suspendedFor: null,
			suspensionNote: null,
			gracePeriodEnd: null,
			monthlyPrice: plan.monthlyPrice,
			// A paid period ends a grant, as a paid renewal does (renewal.ts); a free reactivation keeps it.
			...(price > 0 ? { isGrant: false } : {}),
			...(keepsPeriod
				? {}
				: { billingAnchor: now, currentPeriodStart: now, endDate: end, lastBilled: now, lastChargeAmount: price })
		})
		.where(eq(subscriptions.id, subscription.id))
		.returning();
	const suspended = await tx
		.select({ id: serviceInstances.id })
		.from(serviceInstances)
		.where(and(eq(serviceInstances.subscriptionId, subscription.id), inArray(serviceInstances.status, ['SUSPENDED'])));
	for (const { id } of suspended) await enqueue(runtime.boss, 'instance-action', { instanceId: id, action: 'resume' }, { tx });
	await notify(tx, {
		userId: subscription.userId,
		type: 'SUBSCRIPTION_RESUMED',
		text:
			price > 0
				? {
						key: 'resumed_charged',
						params: { name: subscription.name ?? service.name, amount: asRupiah(price), end: asDate(end) }
					}
				: { key: 'resumed', params: { name: subscription.name ?? service.name, end: asDate(end) } },
		link: `/subscriptions/${subscription.id}`
	});
	return { subscription: updated, charged: price };
}

/**
 * The customer reactivates a subscription suspended for non-payment by paying a fresh
 * period. A suspension by an administrator is theirs to lift.
 */
export async function reactivate(runtime: Runtime, userId: string, subscriptionId: string) {
	return runtime.db.transaction(async (tx) => {
		const [subscription] = await tx
			.select()
			.from(subscriptions)
			.where(and(eq(subscriptions.id, subscriptionId), eq(subscriptions.userId, userId)))
			.for('update');
		if (!subscription) throw notFound('Subscription');
		if (subscription.status === 'SUSPENDED' && subscription.suspendedFor !== 'NON_PAYMENT') {
			throw invalidState(say(m.srv2_suspended_by_staff));
		}
		return reactivateLocked(runtime, tx, subscription, { now: runtime.clock.now(), charge: true });
	});
}
