// Ending subscriptions: cancelling at period end (auto-renew off), terminating now with a
// refund of the unused part, and ending the periods of cancelled subscriptions.
import { and, eq, inArray, lte, notInArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { serviceInstances, subscriptions, transactions, type Subscription } from '../db/schema';
import { invalidState, notFound } from '../errors';
import { enqueue } from '../queue';
import { notify } from '../notifications/service';
import { asEndReason, asRupiah } from '../notifications/texts';
import { endReasons, endReasonColumns, type EndReason } from './end-reasons';
import { audit } from '../audit/service';
import { applyBalanceChange } from '../wallet/ledger';
import { updateInstance } from '../instances/state';
import { offerFreeSlots } from '../waitlist/service';
import type { Runtime } from '../runtime';
import { terminationRefundFrom } from './billing';
import { releaseSlot } from './quota';
import { loadPlan } from './queries';
import { holdsSlot, isLive } from './status';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';
import { ledgerText } from '../wallet/ledger-texts';

/** Turns auto-renew off or on: off means the subscription ends with its period. */
export async function setAutoRenew(db: DbOrTx, subscription: Subscription, autoRenew: boolean, now: Date) {
	if (!isLive(subscription.status)) throw invalidState(say(m.srv_subscription_ended));
	// A past-due renewal is still being collected: auto-renew can be turned back on meanwhile.
	if (autoRenew && subscription.endDate <= now && subscription.status !== 'PAST_DUE') {
		throw invalidState(say(m.srv_period_ended));
	}
	// An unpaid renewal (in grace, or suspended for it) has no period left to end with: turned
	// off, the expiry sweep would end it and remove its app within minutes, skipping the grace
	// days and the deletion warning, while "cancel at period end" promises the app runs until
	// then. The customer tops up, or ends it now.
	if (
		!autoRenew &&
		(subscription.status === 'PAST_DUE' || (subscription.status === 'SUSPENDED' && subscription.endDate <= now))
	) {
		throw invalidState(say(m.txt21_cancel_period_over));
	}
	const [updated] = await db
		.update(subscriptions)
		.set({
			autoRenew,
			cancelAtPeriodEnd: !autoRenew,
			cancelledAt: autoRenew ? null : now,
			...(autoRenew ? { cancelReason: null, cancelReasonText: null } : endReasonColumns(endReasons.reason('customer_period_end')))
		})
		.where(eq(subscriptions.id, subscription.id))
		.returning();
	return updated;
}

/**
 * What terminating now gives back: the unused part of what was paid for the current period,
 * never more than was paid (net of refunds); nothing for a grant, for a period given free (a
 * waived renewal, a reactivation without charge) or once the period has ended (a renewal
 * overdue), whatever the status; a suspended app's paid days count. The administrator's
 * terminate dialog shows it before anything changes (`terminationRefundPreview`).
 */
export async function refundOnTermination(db: DbOrTx, subscription: Subscription, now: Date) {
	if (subscription.isGrant) return 0;
	const ledger = await db
		.select()
		.from(transactions)
		.where(
			and(
				eq(transactions.subscriptionId, subscription.id),
				eq(transactions.status, 'COMPLETED'),
				inArray(transactions.type, ['SUBSCRIPTION', 'UPGRADE', 'REFUND'])
			)
		);
	return terminationRefundFrom(subscription, ledger, now);
}

/** The refund `terminate` would give now, for the administrator's dialog; changes nothing. */
export async function terminationRefundPreview(db: DbOrTx, subscriptionId: string, now: Date) {
	const [subscription] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
	if (!subscription) throw notFound('Subscription');
	const refund = isLive(subscription.status) ? await refundOnTermination(db, subscription, now) : 0;
	return { subscriptionId, refund };
}

/**
 * `reason`: MinisPod's (a key, the customer's own termination) or an administrator's words.
 * `refund`: whether to refund the unused part; `'ifActive'` decides it on the row locked here
 * (a customer's own termination refunds an active period only), so a renewal or a suspension
 * committing meanwhile cannot change the answer after it was given.
 */
type Termination = { refund: boolean | 'ifActive'; actorId: string; reason: EndReason | string; now?: Date };

/**
 * Ends a subscription now: refunds the unused part of the paid period (if asked),
 * releases its slot, and enqueues deprovisioning of its instance.
 */
export async function terminate(runtime: Runtime, subscriptionId: string, termination: Termination) {
	const now = termination.now ?? runtime.clock.now();
	return runtime.db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for('update');
		if (!subscription) throw notFound('Subscription');
		if (!isLive(subscription.status)) throw invalidState(say(m.srv_subscription_already_ended));
		if (subscription.status === 'PENDING_UPGRADE') {
			throw invalidState(say(m.srv_upgrade_in_progress));
		}
		const { plan, service } = await loadPlan(tx, subscription.planId);

		const refund = termination.refund === 'ifActive' ? subscription.status === 'ACTIVE' : termination.refund;
		let refunded = 0;
		if (refund) {
			refunded = await refundOnTermination(tx, subscription, now);
			if (refunded > 0) {
				await applyBalanceChange(tx, {
					userId: subscription.userId,
					type: 'REFUND',
					amount: refunded,
					idempotencyKey: `termination-refund:${subscription.id}`,
					description: `Refund for the unused part of ${service.name} ${plan.name}`,
					text: ledgerText('refund_unused', { service: service.name, plan: plan.name }),
					at: now,
					paymentMethod: 'CREDIT',
					subscriptionId: subscription.id,
					processedBy: termination.actorId === subscription.userId ? undefined : termination.actorId
				});
			}
		}
		if (holdsSlot(subscription.status)) await releaseSlot(tx, subscription.planId);

		const ended = endReasonColumns(termination.reason);
		// The notice says MinisPod's reason in the owner's language; an administrator's as written.
		const reason = ended.cancelReasonText ? asEndReason(ended.cancelReasonText, ended.cancelReason) : ended.cancelReason;
		await tx
			.update(subscriptions)
			.set({
				status: 'CANCELLED',
				autoRenew: false,
				cancelAtPeriodEnd: false,
				cancelledAt: now,
				...ended,
				endDate: now < subscription.endDate ? now : subscription.endDate
			})
			.where(eq(subscriptions.id, subscription.id));
		const instances = await endInstances(runtime, tx, subscription.id);
		if (termination.actorId !== subscription.userId) {
			await audit(tx, {
				actorId: termination.actorId,
				action: 'subscription.terminate',
				entityType: 'subscription',
				entityId: subscription.id,
				// MinisPod's own reason also as its key, read in the administrator's language.
				details: {
					refund,
					refunded,
					reason: ended.cancelReason,
					...(ended.cancelReasonText ? { reasonText: ended.cancelReasonText } : {})
				}
			});
		}
		await notify(tx, {
			userId: subscription.userId,
			type: 'SUBSCRIPTION_TERMINATED',
			text:
				refunded > 0
					? {
							key: 'terminated_refunded',
							params: { service: service.name, reason, amount: asRupiah(refunded) }
						}
					: { key: 'terminated', params: { service: service.name, reason } },
			link: `/subscriptions/${subscription.id}`
		});
		await offerFreeSlots(tx, subscription.planId);
		return { refunded, instances };
	});
}

/** Marks the subscription's instances TERMINATING and enqueues their removal. */
export async function endInstances(runtime: Runtime, tx: Tx, subscriptionId: string) {
	const ending = await tx
		.select({ id: serviceInstances.id })
		.from(serviceInstances)
		.where(and(eq(serviceInstances.subscriptionId, subscriptionId), notInArray(serviceInstances.status, ['TERMINATED'])));
	for (const { id } of ending) {
		await updateInstance(tx, id, { status: 'TERMINATING', statusReason: null });
		await enqueue(runtime.boss, 'deprovision-instance', { instanceId: id }, { tx, singletonKey: id });
	}
	return ending.length;
}

/**
 * Ends subscriptions whose period is over and which are set not to renew (cancelled at
 * period end): EXPIRED, slot released, app removed.
 */
export async function expireEndedPeriods(runtime: Runtime, now = runtime.clock.now()) {
	const due = await runtime.db
		.select({ id: subscriptions.id })
		.from(subscriptions)
		.where(
			and(
				eq(subscriptions.autoRenew, false),
				lte(subscriptions.endDate, now),
				inArray(subscriptions.status, ['ACTIVE', 'PAST_DUE', 'PENDING_PAYMENT', 'SUSPENDED'])
			)
		);
	let expired = 0;
	for (const { id } of due) {
		const done = await runtime.db.transaction(async (tx) => {
			const [subscription] = await tx
				.select()
				.from(subscriptions)
				.where(eq(subscriptions.id, id))
				.for('update', { skipLocked: true });
			if (!subscription || subscription.autoRenew || subscription.endDate > now || !isLive(subscription.status)) return false;
			if (subscription.status === 'PENDING_UPGRADE') return false;
			if (holdsSlot(subscription.status)) await releaseSlot(tx, subscription.planId);
			await tx.update(subscriptions).set({ status: 'EXPIRED' }).where(eq(subscriptions.id, id));
			await endInstances(runtime, tx, id);
			const { service } = await loadPlan(tx, subscription.planId);
			await notify(tx, {
				userId: subscription.userId,
				type: 'SUBSCRIPTION_EXPIRED',
				text: { key: 'expired', params: { service: service.name } },
				link: `/subscriptions/${id}`
			});
			await offerFreeSlots(tx, subscription.planId);
			return true;
		});
		if (done) expired += 1;
	}
	return { expired };
}
