// What provisioning reports back about money and slots: a failed set-up releases the slot
// and refunds the charge that paid for it; retrying it takes a slot and charges a fresh period.
import { and, eq } from 'drizzle-orm';
import { inTransaction, type DbOrTx } from '../db/client';
import { serviceInstances, subscriptions, transactions, type Subscription, type Transaction } from '../db/schema';
import { invalidState, notFound } from '../errors';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import { getInstanceFor, type Actor } from '../instances/service';
import { checkAction, retryCharge } from '../instances/transitions';
import { updateInstance } from '../instances/state';
import { applyBalanceChange } from '../wallet/ledger';
import { offerFreeSlots } from '../waitlist/service';
import { addMonths } from './billing';
import { chargePeriod, periodChargeKey } from './subscribe';
import { releaseSlot, takeSlot } from './quota';
import { loadPlan } from './queries';
import { holdsSlot } from './status';
import { ledgerText } from '../wallet/ledger-texts';

/**
 * Provisioning failed for good. A set-up that its own charge paid for (subscribing, or a
 * retry that paid a fresh month after an earlier failure), or one that cost nothing and never
 * brought the app up (a grant, a free plan): release the slot, refund that charge and leave
 * the subscription live but unpaid (PENDING_PAYMENT) so the customer can retry or cancel.
 * Runs in the caller's transaction; idempotent through the refund's key and the status.
 *
 * A retry of an app that ran in a period already paid (or given free) charged nothing, so it
 * has nothing of its own to give back: refunding the period would return days the app was used,
 * and PENDING_PAYMENT would make the next retry charge a whole month again. The subscription
 * stays as it was (ACTIVE, holding its slot, the renewal as before) and the app in ERROR, to be
 * retried or repaired again at no charge, or ended with the usual refund of the unused part.
 * `lastStarted` is when the app last came up (null if it never did).
 */
export async function releaseAfterFailedProvisioning(
	db: DbOrTx,
	setUp: { subscriptionId: string; lastStarted: Date | null },
	reason: string,
	now: Date
) {
	return inTransaction(db, async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, setUp.subscriptionId)).for('update');
		if (!subscription || !holdsSlot(subscription.status)) return { refunded: 0 };
		const [charge] = await tx
			.select()
			.from(transactions)
			.where(
				and(
					eq(transactions.idempotencyKey, periodChargeKey(subscription.id, subscription.currentPeriodStart)),
					eq(transactions.status, 'COMPLETED')
				)
			);
		if (!paidByThisSetUp(subscription, charge, setUp.lastStarted)) return { refunded: 0 };

		const { plan, service } = await loadPlan(tx, subscription.planId);
		await releaseSlot(tx, subscription.planId);
		let refunded = 0;
		if (charge) {
			const result = await applyBalanceChange(tx, {
				userId: subscription.userId,
				type: 'REFUND',
				amount: -charge.amount,
				idempotencyKey: `provisioning-refund:${charge.id}`,
				description: `Refund: ${service.name} ${plan.name} could not be set up`,
				text: ledgerText('refund_setup_failed', { service: service.name, plan: plan.name }),
				at: now,
				paymentMethod: 'CREDIT',
				subscriptionId: subscription.id,
				metadata: { chargeId: charge.id, reason }
			});
			if (result.applied) refunded = -charge.amount;
		}
		await tx
			.update(subscriptions)
			.set({ status: 'PENDING_PAYMENT', lastChargeAmount: 0 })
			.where(eq(subscriptions.id, subscription.id));
		await offerFreeSlots(tx, subscription.planId);
		return { refunded };
	});
}

/**
 * Whether the set-up that failed is the one the current period's charge paid for: a charge made
 * for a set-up (a first period's from before charges said so counts) that the app has not come
 * up since; with no charge, a set-up of an app that never came up.
 */
function paidByThisSetUp(subscription: Subscription, charge: Transaction | undefined, lastStarted: Date | null) {
	if (!charge) return lastStarted === null;
	const forSetUp =
		charge.metadata.setUp === true || subscription.currentPeriodStart.getTime() === subscription.startDate.getTime();
	// Both are the database's and the app's wall clocks, not the billing clock: a set-up that
	// brought the app up did so well after the charge that paid for it was written.
	return forSetUp && (lastStarted === null || lastStarted < charge.createdAt);
}

/**
 * Retrying the set-up of an unpaid subscription: take a slot and charge a fresh period
 * (nothing for grants and free plans), in the caller's transaction.
 */
export async function repayForRetry(db: DbOrTx, subscriptionId: string, now: Date) {
	return inTransaction(db, async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for('update');
		if (!subscription) throw notFound('Subscription');
		if (subscription.status !== 'PENDING_PAYMENT') return { charged: 0 };
		const { plan, service } = await loadPlan(tx, subscription.planId);
		await takeSlot(tx, plan.id);
		const end = subscription.isGrant ? subscription.endDate : addMonths(now);
		const price = retryCharge(subscription, plan);
		if (price > 0) await chargePeriod(tx, { subscription, plan, service, start: now, end, at: now, setUp: true });
		await tx
			.update(subscriptions)
			.set({
				status: 'ACTIVE',
				currentPeriodStart: subscription.isGrant ? subscription.currentPeriodStart : now,
				endDate: end,
				...(subscription.isGrant ? {} : { billingAnchor: now }),
				lastBilled: now,
				lastChargeAmount: price,
				monthlyPrice: plan.monthlyPrice
			})
			.where(eq(subscriptions.id, subscription.id));
		return { charged: price };
	});
}

/**
 * Sets up a failed or removed app again. If the failure refunded the subscription, the
 * retry takes a slot and charges a fresh period first.
 */
export async function retryProvisioning(runtime: Runtime, actor: Actor, instanceId: string) {
	return runtime.db.transaction(async (tx) => {
		await getInstanceFor(tx, actor, instanceId);
		const [instance] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId)).for('update');
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, instance.subscriptionId));
		const check = checkAction('retry', instance, subscription);
		if (!check.allowed) throw invalidState(check.reason);
		const { charged } = await repayForRetry(tx, subscription.id, runtime.clock.now());
		const updated = await updateInstance(tx, instance.id, {
			status: 'PENDING',
			statusReason: null,
			provisioningSteps: [],
			podName: null
		});
		await enqueue(runtime.boss, 'provision-instance', { instanceId }, { tx, singletonKey: instanceId });
		return { instance: updated, charged };
	});
}
