// What provisioning reports back about money and slots: a failed set-up releases the slot
// and refunds the period; retrying it takes a slot and charges a fresh period.
import { and, eq, sql } from 'drizzle-orm';
import { inTransaction, type DbOrTx } from '../db/client';
import { serviceInstances, subscriptions, transactions } from '../db/schema';
import { invalidState, notFound } from '../errors';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import { getInstanceFor, type Actor } from '../instances/service';
import { checkAction, retryCharge } from '../instances/transitions';
import { updateInstance } from '../instances/state';
import { applyBalanceChange } from '../wallet/ledger';
import { offerFreeSlots } from '../waitlist/service';
import { addMonths } from './billing';
import { chargePeriod } from './subscribe';
import { releaseSlot, takeSlot } from './quota';
import { loadPlan } from './queries';
import { holdsSlot } from './status';
import { ledgerText } from '../wallet/ledger-texts';

/**
 * Provisioning failed for good: release the slot, refund the period's charge and leave the
 * subscription live but unpaid (PENDING_PAYMENT) so the customer can retry or cancel.
 * Runs in the caller's transaction; idempotent through the refund's key and the status.
 */
export async function releaseAfterFailedProvisioning(db: DbOrTx, subscriptionId: string, reason: string, now: Date) {
	return inTransaction(db, async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for('update');
		if (!subscription || !holdsSlot(subscription.status)) return { refunded: 0 };
		const { plan, service } = await loadPlan(tx, subscription.planId);
		await releaseSlot(tx, subscription.planId);

		let refunded = 0;
		const [charge] = await tx
			.select()
			.from(transactions)
			.where(
				and(
					eq(transactions.subscriptionId, subscription.id),
					eq(transactions.type, 'SUBSCRIPTION'),
					eq(transactions.status, 'COMPLETED'),
					sql`${transactions.metadata}->>'periodStart' = ${subscription.currentPeriodStart.toISOString()}`
				)
			);
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
		if (price > 0) await chargePeriod(tx, { subscription, plan, service, start: now, end, at: now });
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
