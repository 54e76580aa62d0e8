// Upgrades: only to a higher tier of the same app, charged pro rata for the rest of the
// period. The cluster update job reports back through completeUpgrade or rollbackUpgrade.
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { serviceInstances, subscriptions, transactions, type ServicePlan, type Subscription } from '../db/schema';
import { AppError, insufficientCredit, invalidState, notFound } from '../errors';
import { enqueue } from '../queue';
import { notify } from '../notifications/service';
import { asInstanceReason, asRupiah } from '../notifications/texts';
import type { InstanceReason } from '../instances/reasons';
import { applyBalanceChange } from '../wallet/ledger';
import { backupsAvailable, requestBackup } from '../backups/service';
import { updateInstance } from '../instances/state';
import { availableSlots } from '../catalog/service';
import { toPlanView } from '../catalog/views';
import { OFFER_HOURS, offerFreeSlots } from '../waitlist/service';
import type { Runtime } from '../runtime';
import { isUpgrade, upgradeCharge } from './billing';
import { releaseSlot, takeSlot } from './quota';
import { balanceOf, loadPlan } from './queries';
import { formatDate, formatRupiah } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { render, say, type Sentence } from '../sentences';
import { ledgerText } from '../wallet/ledger-texts';

type UpgradeCheck =
	{ allowed: true } | { allowed: false; code: 'UPGRADE_REQUIRED' | 'BAD_REQUEST' | 'INVALID_STATE'; reason: Sentence };

function checkUpgrade(subscription: Subscription, from: ServicePlan, to: ServicePlan): UpgradeCheck {
	if (subscription.status === 'PENDING_UPGRADE') {
		return { allowed: false, code: 'INVALID_STATE', reason: say(m.txt5_upgrade_in_progress) };
	}
	if (subscription.status !== 'ACTIVE') {
		return { allowed: false, code: 'INVALID_STATE', reason: say(m.txt5_upgrade_not_active) };
	}
	if (to.serviceId !== from.serviceId) {
		return { allowed: false, code: 'BAD_REQUEST', reason: say(m.txt5_upgrade_other_app) };
	}
	if (!to.isActive) return { allowed: false, code: 'BAD_REQUEST', reason: say(m.txt5_upgrade_plan_retired) };
	if (to.id === from.id) return { allowed: false, code: 'UPGRADE_REQUIRED', reason: say(m.txt5_upgrade_same_plan) };
	if (!isUpgrade(from.planType, to.planType)) {
		return {
			allowed: false,
			code: 'UPGRADE_REQUIRED',
			reason: say(m.txt5_upgrade_not_higher, { to: to.name, from: from.name })
		};
	}
	return { allowed: true };
}

export async function upgradeQuote(db: DbOrTx, subscription: Subscription, planId: string, now: Date) {
	const [current, target] = await Promise.all([loadPlan(db, subscription.planId), loadPlan(db, planId)]);
	const check = checkUpgrade(subscription, current.plan, target.plan);
	const charge = upgradeCharge({
		oldPrice: subscription.monthlyPrice,
		newPrice: target.plan.monthlyPrice,
		period: { start: subscription.currentPeriodStart, end: subscription.endDate },
		now
	});
	const balance = await balanceOf(db, subscription.userId);
	const slotsLeft = availableSlots(target.plan);
	// Written here in the request's language, so the dialog shows the specific reason in both.
	const refusal = !check.allowed
		? check.reason
		: slotsLeft === 0
			? say(m.txt5_upgrade_sold_out)
			: balance < charge
				? say(m.srv_insufficient_credit, { amount: formatRupiah(charge - balance) })
				: null;
	const reason = refusal && render(refusal);
	return {
		allowed: reason === null,
		code: !check.allowed ? check.code : slotsLeft === 0 ? 'QUOTA_EXCEEDED' : balance < charge ? 'INSUFFICIENT_CREDIT' : null,
		reason,
		fromPlan: { id: current.plan.id, name: current.plan.name, planType: current.plan.planType },
		toPlan: toPlanView(target.plan),
		charge,
		newMonthlyPrice: target.plan.monthlyPrice,
		periodEnd: subscription.endDate,
		slotsLeft,
		balance,
		// Only what an upgrade that can go ahead leaves; never a negative balance.
		balanceAfter: reason === null ? balance - charge : null,
		shortfall: Math.max(0, charge - balance),
		// What joining a sold-out plan's waitlist means: how long a freed slot's offer lasts.
		waitlistOfferHours: OFFER_HOURS
	};
}

/**
 * Charges the prorated difference, takes a slot on the new plan and moves the
 * subscription to it as PENDING_UPGRADE; the update job then resizes the app and reports
 * back through completeUpgrade or rollbackUpgrade. The old plan's slot stays held until
 * the update succeeds, so a rollback can always return to it.
 */
export async function upgrade(
	runtime: Runtime,
	userId: string,
	input: { id: string; planId: string },
	now = runtime.clock.now()
) {
	// Asked before the transaction: it may call the cluster, which no row lock should wait on.
	const snapshotsWork = await backupsAvailable(runtime);
	return runtime.db.transaction(async (tx) => {
		const [subscription] = await tx
			.select()
			.from(subscriptions)
			.where(and(eq(subscriptions.id, input.id), eq(subscriptions.userId, userId)))
			.for('update');
		if (!subscription) throw notFound('Subscription');
		const [current, target] = await Promise.all([loadPlan(tx, subscription.planId), loadPlan(tx, input.planId)]);
		const check = checkUpgrade(subscription, current.plan, target.plan);
		if (!check.allowed) throw new AppError(check.code, check.reason, { details: { subscriptionId: subscription.id } });

		const [instance] = await tx
			.select()
			.from(serviceInstances)
			.where(eq(serviceInstances.subscriptionId, subscription.id))
			.orderBy(desc(serviceInstances.createdAt))
			.limit(1);
		if (!instance || !['RUNNING', 'STOPPED'].includes(instance.status)) {
			throw invalidState(say(m.srv_upgrade_needs_settled_app));
		}

		await takeSlot(tx, target.plan.id);
		const charge = upgradeCharge({
			oldPrice: subscription.monthlyPrice,
			newPrice: target.plan.monthlyPrice,
			period: { start: subscription.currentPeriodStart, end: subscription.endDate },
			now
		});
		const upgradeId = randomUUID();
		if (charge > 0) {
			const balance = await balanceOf(tx, userId);
			if (balance < charge) throw insufficientCredit({ shortfall: charge - balance, balance, required: charge });
			await applyBalanceChange(tx, {
				userId,
				type: 'UPGRADE',
				amount: -charge,
				idempotencyKey: `upgrade:${upgradeId}`,
				at: now,
				description: `Upgrade ${current.service.name} from ${current.plan.name} to ${target.plan.name} until ${formatDate(subscription.endDate, 'en')}`,
				text: ledgerText('upgrade', {
					service: current.service.name,
					from: current.plan.name,
					to: target.plan.name,
					date: subscription.endDate.toISOString()
				}),
				paymentMethod: 'CREDIT',
				subscriptionId: subscription.id,
				// The monthly prices on both sides: analytics count the expansion of recurring revenue.
				// What the subscriber paid before (with a price change announced for the old plan) is
				// what a rollback restores; the period's end, what a termination refunds of the charge.
				metadata: {
					upgradeId,
					fromPlanId: current.plan.id,
					toPlanId: target.plan.id,
					fromMonthlyPrice: subscription.monthlyPrice,
					toMonthlyPrice: target.plan.monthlyPrice,
					fromPendingMonthlyPrice: subscription.pendingMonthlyPrice,
					fromPendingPriceFrom: subscription.pendingPriceFrom?.toISOString() ?? null,
					periodEnd: subscription.endDate.toISOString()
				}
			});
		}

		const [updated] = await tx
			.update(subscriptions)
			.set({
				planId: target.plan.id,
				previousPlanId: current.plan.id,
				monthlyPrice: target.plan.monthlyPrice,
				// The new plan's current price applies at once; an announced change of the old one no longer does.
				pendingMonthlyPrice: null,
				pendingPriceFrom: null,
				upgradeDate: now,
				status: 'PENDING_UPGRADE'
			})
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		await updateInstance(tx, instance.id, { status: 'UPDATING', statusReason: null });
		// A backup before the new plan is applied, so a bad upgrade can be undone from it: the
		// update job waits for it to be ready before it changes anything on the cluster.
		const backup = snapshotsWork ? await requestBackup(runtime, tx, instance, 'BEFORE_UPGRADE') : undefined;
		await enqueue(
			runtime.boss,
			'update-instance-resources',
			{ subscriptionId: subscription.id, instanceId: instance.id, upgradeId, ...(backup ? { backupId: backup.id } : {}) },
			{ tx, singletonKey: upgradeId }
		);
		return { subscription: updated, charge, upgradeId };
	});
}

/** The cluster accepted the new plan: release the old slot and activate. Idempotent. */
export async function completeUpgrade(db: DbOrTx, input: { subscriptionId: string; upgradeId: string }) {
	return db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.subscriptionId)).for('update');
		if (!subscription || subscription.status !== 'PENDING_UPGRADE' || !subscription.previousPlanId) return false;
		await releaseSlot(tx, subscription.previousPlanId);
		await tx.update(subscriptions).set({ status: 'ACTIVE' }).where(eq(subscriptions.id, subscription.id));
		const { plan, service } = await loadPlan(tx, subscription.planId);
		const [charge] = await tx
			.select({ id: transactions.id })
			.from(transactions)
			.where(eq(transactions.idempotencyKey, `upgrade:${input.upgradeId}`));
		await notify(tx, {
			userId: subscription.userId,
			type: 'UPGRADE_COMPLETED',
			text: {
				key: 'upgrade_completed',
				params: { service: service.name, plan: plan.name, price: asRupiah(plan.monthlyPrice) }
			},
			link: `/subscriptions/${subscription.id}`,
			receiptFor: charge?.id
		});
		await offerFreeSlots(tx, subscription.previousPlanId);
		return true;
	});
}

/**
 * The price the subscription paid before the upgrade, as its charge recorded it: the monthly
 * price and a change announced for the old plan. Whatever was announced while it waited on the
 * new plan (a change of the new plan's price) is not the old plan's and goes. An upgrade that
 * charged nothing (or was charged before the charge kept the announced change) has no full
 * record: the old plan's current price, with nothing pending.
 */
function priceBeforeUpgrade(charge: Record<string, unknown> | undefined, previousPlanPrice: number) {
	if (typeof charge?.fromMonthlyPrice !== 'number' || !('fromPendingMonthlyPrice' in charge)) {
		return { monthlyPrice: previousPlanPrice, pendingMonthlyPrice: null, pendingPriceFrom: null };
	}
	const { fromMonthlyPrice, fromPendingMonthlyPrice, fromPendingPriceFrom } = charge;
	const pending = typeof fromPendingMonthlyPrice === 'number' && typeof fromPendingPriceFrom === 'string';
	return {
		monthlyPrice: fromMonthlyPrice,
		pendingMonthlyPrice: pending ? fromPendingMonthlyPrice : null,
		pendingPriceFrom: pending ? new Date(fromPendingPriceFrom) : null
	};
}

/**
 * The cluster update failed: refund the upgrade charge, give the new plan's slot back and
 * restore the previous plan, exactly as before the upgrade. Idempotent.
 */
export async function rollbackUpgrade(
	db: DbOrTx,
	/**
	 * `why`: the reason as a keyed status reason, for the notice in the owner's language (every
	 * caller has one, so the owner always reads why); `reason`: its English, for the refund's record.
	 */
	input: { subscriptionId: string; upgradeId: string; reason: string; why: InstanceReason; now: Date }
) {
	return db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.subscriptionId)).for('update');
		if (!subscription || subscription.status !== 'PENDING_UPGRADE' || !subscription.previousPlanId) return false;
		const [previous, failed] = await Promise.all([loadPlan(tx, subscription.previousPlanId), loadPlan(tx, subscription.planId)]);

		const [charge] = await tx
			.select()
			.from(transactions)
			.where(eq(transactions.idempotencyKey, `upgrade:${input.upgradeId}`));
		if (charge && charge.status === 'COMPLETED' && charge.amount < 0) {
			await applyBalanceChange(tx, {
				userId: subscription.userId,
				type: 'REFUND',
				amount: -charge.amount,
				idempotencyKey: `upgrade-refund:${input.upgradeId}`,
				description: `Refund: upgrade to ${failed.plan.name} could not be applied`,
				text: ledgerText('refund_upgrade_failed', { plan: failed.plan.name }),
				at: input.now,
				paymentMethod: 'CREDIT',
				subscriptionId: subscription.id,
				metadata: { upgradeId: input.upgradeId, reason: input.reason }
			});
		}
		await releaseSlot(tx, subscription.planId);
		await tx
			.update(subscriptions)
			.set({
				planId: previous.plan.id,
				previousPlanId: null,
				...priceBeforeUpgrade(charge?.metadata, previous.plan.monthlyPrice),
				upgradeDate: null,
				status: 'ACTIVE'
			})
			.where(eq(subscriptions.id, subscription.id));
		await notify(tx, {
			userId: subscription.userId,
			type: 'UPGRADE_FAILED',
			text: {
				key: charge ? 'upgrade_failed_refunded' : 'upgrade_failed',
				params: {
					service: previous.service.name,
					plan: failed.plan.name,
					previous: previous.plan.name,
					reason: asInstanceReason(input.why, input.reason)
				}
			},
			link: `/subscriptions/${subscription.id}`
		});
		await offerFreeSlots(tx, failed.plan.id);
		return true;
	});
}
