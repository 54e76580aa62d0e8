// Subscriptions: buying an app plan with credit, upgrading (upgrade-only, prorated),
// cancelling at period end or at once, and the administrator's tools. Every change that
// moves money or slots happens in one DB transaction together with the job it starts.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import {
	ENDED_SUBSCRIPTION_STATUSES,
	SLOT_HOLDING_STATUSES,
	serviceInstances,
	servicePlans,
	services,
	subscriptions,
	transactions,
	users,
	type Service,
	type ServiceInstance,
	type ServicePlan,
	type Subscription,
	type SubscriptionStatus
} from '../db/schema';
import { AppError, notFound } from '../errors';
import { enqueue } from '../queue';
import { notify } from '../notifications/service';
import { audit } from '../audit/service';
import { applyBalanceChange } from '../wallet/ledger';
import { updateInstance } from '../instances/state';
import { availableSlots, toPlanView } from '../catalog/service';
import { fulfilWaitlistEntry, offerFreeSlots } from '../waitlist/service';
import type { Runtime } from '../runtime';
import { addMonths, isUpgrade, terminationRefund, upgradeCharge } from './billing';
import { quotaExceeded, releaseSlot, takeSlot } from './quota';
import { formatPeriod, formatRupiah } from '$lib/format';

type Services = Pick<Runtime, 'db' | 'boss'>;

export const isLive = (status: SubscriptionStatus) =>
	!(ENDED_SUBSCRIPTION_STATUSES as readonly SubscriptionStatus[]).includes(status);
export const holdsSlot = (status: SubscriptionStatus) =>
	(SLOT_HOLDING_STATUSES as readonly SubscriptionStatus[]).includes(status);

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

async function loadPlan(db: Db | Tx, planId: string) {
	const [row] = await db
		.select({ plan: servicePlans, service: services })
		.from(servicePlans)
		.innerJoin(services, eq(servicePlans.serviceId, services.id))
		.where(eq(servicePlans.id, planId));
	if (!row) throw notFound('Plan');
	return row;
}

async function liveSubscriptionFor(db: Db | Tx, userId: string, serviceId: string) {
	const [existing] = await db
		.select()
		.from(subscriptions)
		.where(
			and(
				eq(subscriptions.userId, userId),
				eq(subscriptions.serviceId, serviceId),
				notInArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES])
			)
		);
	return existing;
}

async function balanceOf(db: Db | Tx, userId: string) {
	const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
	if (!user) throw notFound('User');
	return user.balance;
}

function duplicateError(existing: Subscription) {
	return new AppError('DUPLICATE_SUBSCRIPTION', 'You already subscribe to this app. Upgrade that subscription instead.', {
		subscriptionId: existing.id,
		upgradeUrl: `/subscriptions/${existing.id}?upgrade=1`
	});
}

function insufficientCredit(shortfall: number, balance: number, required: number) {
	return new AppError('INSUFFICIENT_CREDIT', `Not enough credit: top up at least ${formatRupiah(shortfall)} more.`, {
		shortfall,
		balance,
		required,
		topUpUrl: `/wallet?amount=${Math.max(10_000, shortfall)}`
	});
}

/** What subscribing to a plan would do, and what stands in the way (for the dialog). */
export async function subscribeQuote(db: Db, userId: string, planId: string) {
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
		balanceAfter: balance - plan.monthlyPrice,
		slotsLeft,
		shortfall,
		existingSubscriptionId: existing?.id ?? null,
		problem
	};
}

export async function listSubscriptions(db: Db, userId: string) {
	const rows = await db
		.select({ subscription: subscriptions, plan: servicePlans, service: services })
		.from(subscriptions)
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(eq(subscriptions.userId, userId))
		.orderBy(desc(subscriptions.createdAt));
	const ids = rows.map((r) => r.subscription.id);
	const instances = ids.length
		? await db.select().from(serviceInstances).where(inArray(serviceInstances.subscriptionId, ids))
		: [];
	return rows.map(({ subscription, plan, service }) => ({
		...subscription,
		plan: { id: plan.id, name: plan.name, planType: plan.planType },
		service: { id: service.id, slug: service.slug, name: service.name, icon: service.icon },
		instance: latestInstance(instances.filter((i) => i.subscriptionId === subscription.id))
	}));
}

function latestInstance(instances: ServiceInstance[]) {
	const latest = instances.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
	if (!latest) return null;
	const { generatedSecrets: _secrets, ...visible } = latest;
	return visible;
}

/** Loads a subscription the user owns; another user's looks exactly like a missing one. */
export async function getOwnedSubscription(db: Db | Tx, userId: string, id: string): Promise<Subscription> {
	const [subscription] = await db
		.select()
		.from(subscriptions)
		.where(and(eq(subscriptions.id, id), eq(subscriptions.userId, userId)));
	if (!subscription) throw notFound('Subscription');
	return subscription;
}

export async function subscriptionDetail(db: Db, subscription: Subscription) {
	const [{ plan, service }, instances, payments, plans] = await Promise.all([
		loadPlan(db, subscription.planId),
		db.select().from(serviceInstances).where(eq(serviceInstances.subscriptionId, subscription.id)),
		db.select().from(transactions).where(eq(transactions.subscriptionId, subscription.id)).orderBy(desc(transactions.createdAt)),
		db
			.select()
			.from(servicePlans)
			.where(and(eq(servicePlans.serviceId, subscription.serviceId), eq(servicePlans.isActive, true)))
			.orderBy(servicePlans.planType)
	]);
	return {
		...subscription,
		plan: toPlanView(plan),
		service: { id: service.id, slug: service.slug, name: service.name, icon: service.icon },
		instance: latestInstance(instances),
		transactions: payments.map((t) => ({
			id: t.id,
			type: t.type,
			status: t.status,
			amount: t.amount,
			description: t.description,
			createdAt: t.createdAt
		})),
		upgradeOptions: plans.filter((p) => isUpgrade(plan.planType, p.planType)).map(toPlanView)
	};
}

// ---------------------------------------------------------------------------
// Subscribing
// ---------------------------------------------------------------------------

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

const isUniqueViolation = (error: unknown, constraint: string) => {
	const cause = (error as { cause?: { code?: string; constraint?: string } }).cause ?? (error as { code?: string });
	return (cause as { code?: string }).code === '23505' && (cause as { constraint?: string }).constraint === constraint;
};

type NewSubscription = {
	userId: string;
	plan: ServicePlan;
	service: Service;
	name?: string;
	grant?: { by: string; months: number };
	now?: Date;
};

/**
 * Charges one billing period of the plan's price, once: the idempotency key names the
 * subscription and the period's start.
 */
async function chargePeriod(
	tx: Tx,
	charge: { subscription: Subscription; plan: ServicePlan; service: Service; start: Date; end: Date }
) {
	const { subscription, plan, service, start, end } = charge;
	const balance = await balanceOf(tx, subscription.userId);
	if (balance < plan.monthlyPrice) throw insufficientCredit(plan.monthlyPrice - balance, balance, plan.monthlyPrice);
	await applyBalanceChange(tx, {
		userId: subscription.userId,
		type: 'SUBSCRIPTION',
		amount: -plan.monthlyPrice,
		idempotencyKey: `subscription:${subscription.id}:charge:${start.toISOString()}`,
		description: `${service.name} ${plan.name}, ${formatPeriod(start, end)}`,
		paymentMethod: 'CREDIT',
		subscriptionId: subscription.id,
		metadata: { planId: plan.id, periodStart: start.toISOString(), periodEnd: end.toISOString() }
	});
}

/**
 * Takes the slot, creates subscription and instance, charges the first period (unless it
 * is free or granted) and enqueues provisioning, all in the caller's transaction.
 */
async function createSubscription(tx: Tx, boss: Runtime['boss'], input: NewSubscription) {
	const now = input.now ?? new Date();
	const { plan, service } = input;
	await takeSlot(tx, plan.id);

	const end = addMonths(now, input.grant?.months ?? 1);
	const price = input.grant ? 0 : plan.monthlyPrice;
	let subscription: Subscription;
	try {
		// In a savepoint, so the transaction survives the unique violation of a concurrent twin.
		[subscription] = await tx.transaction((savepoint) =>
			savepoint
				.insert(subscriptions)
				.values({
					userId: input.userId,
					serviceId: service.id,
					planId: plan.id,
					name: input.name ?? null,
					status: 'ACTIVE',
					startDate: now,
					currentPeriodStart: now,
					endDate: end,
					nextBilling: end,
					lastBilled: now,
					monthlyPrice: plan.monthlyPrice,
					lastChargeAmount: price,
					isGrant: Boolean(input.grant),
					grantedBy: input.grant?.by ?? null
				})
				.returning()
		);
	} catch (error) {
		if (isUniqueViolation(error, 'subscriptions_one_live_per_service')) {
			const existing = await liveSubscriptionFor(tx, input.userId, service.id);
			throw existing ? duplicateError(existing) : error;
		}
		throw error;
	}

	if (price > 0) await chargePeriod(tx, { subscription, plan, service, start: now, end });

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

	await fulfilWaitlistEntry(tx, input.userId, plan.id);
	await notify(tx, {
		userId: input.userId,
		type: 'SUBSCRIPTION_STARTED',
		title: `${service.name} ${plan.name} is being set up`,
		body: input.grant
			? `You were granted ${service.name} ${plan.name} until ${end.toISOString().slice(0, 10)}. We are setting it up now.`
			: `Your subscription started${price > 0 ? ` and ${formatRupiah(price)} was charged from your credit` : ''}. We are setting up your app now.`,
		link: `/subscriptions/${subscription.id}`,
		metadata: { subscriptionId: subscription.id, instanceId: instance.id }
	});
	await enqueue(boss, 'provision-instance', { instanceId: instance.id }, { tx, singletonKey: instance.id });
	return { subscription, instance };
}

export async function subscribe(rt: Services, userId: string, input: { planId: string; name?: string }) {
	const { plan, service } = await loadPlan(rt.db, input.planId);
	if (!plan.isActive || !service.isActive || !service.isPublic) throw notFound('Plan');

	// The checks in the order of the brief, for a precise answer; the transaction below
	// enforces each of them again against concurrent requests.
	const existing = await liveSubscriptionFor(rt.db, userId, service.id);
	if (existing) throw duplicateError(existing);
	if (availableSlots(plan) === 0) throw quotaExceeded(plan.id);
	const balance = await balanceOf(rt.db, userId);
	if (balance < plan.monthlyPrice) throw insufficientCredit(plan.monthlyPrice - balance, balance, plan.monthlyPrice);

	return rt.db.transaction(async (tx) => {
		const created = await createSubscription(tx, rt.boss, { userId, plan, service, name: input.name });
		return { subscriptionId: created.subscription.id, instanceId: created.instance.id, subdomain: created.instance.subdomain };
	});
}

// ---------------------------------------------------------------------------
// Upgrading
// ---------------------------------------------------------------------------

type UpgradeCheck =
	{ allowed: true } | { allowed: false; code: 'UPGRADE_REQUIRED' | 'BAD_REQUEST' | 'INVALID_STATE'; reason: string };

function checkUpgrade(subscription: Subscription, from: ServicePlan, to: ServicePlan): UpgradeCheck {
	if (subscription.status === 'PENDING_UPGRADE') {
		return { allowed: false, code: 'INVALID_STATE', reason: 'An upgrade of this subscription is already in progress.' };
	}
	if (subscription.status !== 'ACTIVE') {
		return { allowed: false, code: 'INVALID_STATE', reason: 'Only an active subscription can be upgraded.' };
	}
	if (to.serviceId !== from.serviceId) {
		return { allowed: false, code: 'BAD_REQUEST', reason: 'You can only move to another plan of the same app.' };
	}
	if (!to.isActive) return { allowed: false, code: 'BAD_REQUEST', reason: 'That plan is not offered any more.' };
	if (to.id === from.id) return { allowed: false, code: 'UPGRADE_REQUIRED', reason: 'You are already on this plan.' };
	if (!isUpgrade(from.planType, to.planType)) {
		return {
			allowed: false,
			code: 'UPGRADE_REQUIRED',
			reason: `Plans can only be upgraded: ${to.name} is not higher than ${from.name}.`
		};
	}
	return { allowed: true };
}

export async function upgradeQuote(db: Db, subscription: Subscription, planId: string, now = new Date()) {
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
	const reason = !check.allowed
		? check.reason
		: slotsLeft === 0
			? 'The new plan is sold out right now.'
			: balance < charge
				? `Not enough credit: top up at least ${formatRupiah(charge - balance)} more.`
				: null;
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
		balanceAfter: balance - charge,
		shortfall: Math.max(0, charge - balance)
	};
}

/**
 * Charges the prorated difference, takes a slot on the new plan and moves the
 * subscription to it as PENDING_UPGRADE; the update job then resizes the app and reports
 * back through completeUpgrade or rollbackUpgrade. The old plan's slot stays held until
 * the update succeeds, so a rollback can always return to it.
 */
export async function upgrade(rt: Services, userId: string, input: { id: string; planId: string }, now = new Date()) {
	return rt.db.transaction(async (tx) => {
		const [subscription] = await tx
			.select()
			.from(subscriptions)
			.where(and(eq(subscriptions.id, input.id), eq(subscriptions.userId, userId)))
			.for('update');
		if (!subscription) throw notFound('Subscription');
		const [current, target] = await Promise.all([loadPlan(tx, subscription.planId), loadPlan(tx, input.planId)]);
		const check = checkUpgrade(subscription, current.plan, target.plan);
		if (!check.allowed) throw new AppError(check.code, check.reason, { subscriptionId: subscription.id });

		const [instance] = await tx
			.select()
			.from(serviceInstances)
			.where(eq(serviceInstances.subscriptionId, subscription.id))
			.orderBy(desc(serviceInstances.createdAt))
			.limit(1);
		if (!instance || !['RUNNING', 'STOPPED'].includes(instance.status)) {
			throw new AppError(
				'INVALID_STATE',
				'The app must be running or stopped to change its plan; wait until its current operation has finished.'
			);
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
			if (balance < charge) throw insufficientCredit(charge - balance, balance, charge);
			await applyBalanceChange(tx, {
				userId,
				type: 'UPGRADE',
				amount: -charge,
				idempotencyKey: `upgrade:${upgradeId}`,
				description: `Upgrade ${current.service.name} from ${current.plan.name} to ${target.plan.name} until ${subscription.endDate.toISOString().slice(0, 10)}`,
				paymentMethod: 'CREDIT',
				subscriptionId: subscription.id,
				metadata: { upgradeId, fromPlanId: current.plan.id, toPlanId: target.plan.id }
			});
		}

		const [updated] = await tx
			.update(subscriptions)
			.set({
				planId: target.plan.id,
				previousPlanId: current.plan.id,
				monthlyPrice: target.plan.monthlyPrice,
				upgradeDate: now,
				status: 'PENDING_UPGRADE'
			})
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		await updateInstance(tx, instance.id, { status: 'UPDATING', statusReason: null });
		await enqueue(
			rt.boss,
			'update-instance-resources',
			{ subscriptionId: subscription.id, instanceId: instance.id, upgradeId },
			{ tx, singletonKey: upgradeId }
		);
		return { subscription: updated, charge, upgradeId };
	});
}

/** The cluster accepted the new plan: release the old slot and activate. Idempotent. */
export async function completeUpgrade(db: Db, input: { subscriptionId: string; upgradeId: string }) {
	return db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.subscriptionId)).for('update');
		if (!subscription || subscription.status !== 'PENDING_UPGRADE' || !subscription.previousPlanId) return false;
		await releaseSlot(tx, subscription.previousPlanId);
		await tx.update(subscriptions).set({ status: 'ACTIVE' }).where(eq(subscriptions.id, subscription.id));
		const { plan, service } = await loadPlan(tx, subscription.planId);
		await notify(tx, {
			userId: subscription.userId,
			type: 'UPGRADE_COMPLETED',
			title: `${service.name} is now on ${plan.name}`,
			body: `Your app now has the resources of the ${plan.name} plan. Your next renewal charges ${formatRupiah(plan.monthlyPrice)}.`,
			link: `/subscriptions/${subscription.id}`
		});
		await offerFreeSlots(tx, subscription.previousPlanId);
		return true;
	});
}

/**
 * The cluster update failed: refund the upgrade charge, give the new plan's slot back and
 * restore the previous plan, exactly as before the upgrade. Idempotent.
 */
export async function rollbackUpgrade(db: Db, input: { subscriptionId: string; upgradeId: string; reason: string }) {
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
				monthlyPrice: previous.plan.monthlyPrice,
				upgradeDate: null,
				status: 'ACTIVE'
			})
			.where(eq(subscriptions.id, subscription.id));
		await notify(tx, {
			userId: subscription.userId,
			type: 'UPGRADE_FAILED',
			title: `Upgrade of ${previous.service.name} to ${failed.plan.name} failed`,
			body: `We could not apply the new plan: ${input.reason}. Your app stays on ${previous.plan.name}${charge ? ' and the upgrade charge was refunded to your credit' : ''}.`,
			link: `/subscriptions/${subscription.id}`
		});
		await offerFreeSlots(tx, failed.plan.id);
		return true;
	});
}

// ---------------------------------------------------------------------------
// Cancelling
// ---------------------------------------------------------------------------

/** Turns auto-renew off or on: off means the subscription ends with its period. */
export async function setAutoRenew(db: Db, subscription: Subscription, autoRenew: boolean, now = new Date()) {
	if (!isLive(subscription.status)) throw new AppError('INVALID_STATE', 'This subscription has ended.');
	if (autoRenew && subscription.endDate <= now) {
		throw new AppError('INVALID_STATE', 'The period has already ended; subscribe again instead.');
	}
	const [updated] = await db
		.update(subscriptions)
		.set({
			autoRenew,
			cancelAtPeriodEnd: !autoRenew,
			cancelledAt: autoRenew ? null : now,
			cancelReason: autoRenew ? null : 'Cancelled by the customer at period end'
		})
		.where(eq(subscriptions.id, subscription.id))
		.returning();
	return updated;
}

type Termination = { refund: boolean; actorId: string; reason: string; now?: Date };

/**
 * Ends a subscription now: refunds the unused part of the period (if asked and paid),
 * releases its slot, and enqueues deprovisioning of its instance.
 */
export async function terminate(rt: Services, subscriptionId: string, termination: Termination) {
	const now = termination.now ?? new Date();
	return rt.db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for('update');
		if (!subscription) throw notFound('Subscription');
		if (!isLive(subscription.status)) throw new AppError('INVALID_STATE', 'This subscription has already ended.');
		if (subscription.status === 'PENDING_UPGRADE') {
			throw new AppError('INVALID_STATE', 'An upgrade is being applied; try again in a minute.');
		}
		const { plan, service } = await loadPlan(tx, subscription.planId);

		let refunded = 0;
		if (termination.refund && subscription.status === 'ACTIVE' && !subscription.isGrant) {
			const owed = terminationRefund({
				monthlyPrice: subscription.monthlyPrice,
				period: { start: subscription.currentPeriodStart, end: subscription.endDate },
				now
			});
			// Never give back more than this subscription has actually paid, net of refunds.
			const [paid] = await tx
				.select({ net: sql<number>`coalesce(-sum(${transactions.amount}), 0)::bigint` })
				.from(transactions)
				.where(
					and(
						eq(transactions.subscriptionId, subscription.id),
						eq(transactions.status, 'COMPLETED'),
						inArray(transactions.type, ['SUBSCRIPTION', 'UPGRADE', 'REFUND'])
					)
				);
			refunded = Math.max(0, Math.min(owed, Number(paid.net)));
			if (refunded > 0) {
				await applyBalanceChange(tx, {
					userId: subscription.userId,
					type: 'REFUND',
					amount: refunded,
					idempotencyKey: `termination-refund:${subscription.id}`,
					description: `Refund for the unused part of ${service.name} ${plan.name}`,
					paymentMethod: 'CREDIT',
					subscriptionId: subscription.id,
					processedBy: termination.actorId === subscription.userId ? undefined : termination.actorId
				});
			}
		}
		if (holdsSlot(subscription.status)) await releaseSlot(tx, subscription.planId);

		await tx
			.update(subscriptions)
			.set({
				status: 'CANCELLED',
				autoRenew: false,
				cancelAtPeriodEnd: false,
				cancelledAt: now,
				cancelReason: termination.reason,
				endDate: now < subscription.endDate ? now : subscription.endDate
			})
			.where(eq(subscriptions.id, subscription.id));
		const instances = await endInstances(tx, rt.boss, subscription.id);
		if (termination.actorId !== subscription.userId) {
			await audit(tx, {
				actorId: termination.actorId,
				action: 'subscription.terminate',
				entityType: 'subscription',
				entityId: subscription.id,
				details: { refund: termination.refund, refunded, reason: termination.reason }
			});
		}
		await notify(tx, {
			userId: subscription.userId,
			type: 'SUBSCRIPTION_TERMINATED',
			title: `${service.name} subscription ended`,
			body: `${termination.reason}.${refunded > 0 ? ` ${formatRupiah(refunded)} was refunded to your credit.` : ''} Your app and its data are being removed.`,
			link: `/subscriptions/${subscription.id}`
		});
		await offerFreeSlots(tx, subscription.planId);
		return { refunded, instances };
	});
}

/** Marks the subscription's instances TERMINATING and enqueues their removal. */
async function endInstances(tx: Tx, boss: Runtime['boss'], subscriptionId: string) {
	const ending = await tx
		.select({ id: serviceInstances.id })
		.from(serviceInstances)
		.where(and(eq(serviceInstances.subscriptionId, subscriptionId), notInArray(serviceInstances.status, ['TERMINATED'])));
	for (const { id } of ending) {
		await updateInstance(tx, id, { status: 'TERMINATING', statusReason: null });
		await enqueue(boss, 'deprovision-instance', { instanceId: id }, { tx, singletonKey: id });
	}
	return ending.length;
}

/**
 * Ends subscriptions whose period is over and which are set not to renew (cancelled at
 * period end): EXPIRED, slot released, app removed.
 */
export async function expireEndedPeriods(rt: Services, now = new Date()) {
	const due = await rt.db
		.select({ id: subscriptions.id })
		.from(subscriptions)
		.where(
			and(
				eq(subscriptions.autoRenew, false),
				lte(subscriptions.endDate, now),
				inArray(subscriptions.status, ['ACTIVE', 'PENDING_PAYMENT', 'SUSPENDED'])
			)
		);
	let expired = 0;
	for (const { id } of due) {
		const done = await rt.db.transaction(async (tx) => {
			const [subscription] = await tx
				.select()
				.from(subscriptions)
				.where(eq(subscriptions.id, id))
				.for('update', { skipLocked: true });
			if (!subscription || subscription.autoRenew || subscription.endDate > now || !isLive(subscription.status)) return false;
			if (subscription.status === 'PENDING_UPGRADE') return false;
			if (holdsSlot(subscription.status)) await releaseSlot(tx, subscription.planId);
			await tx.update(subscriptions).set({ status: 'EXPIRED' }).where(eq(subscriptions.id, id));
			await endInstances(tx, rt.boss, id);
			const { service } = await loadPlan(tx, subscription.planId);
			await notify(tx, {
				userId: subscription.userId,
				type: 'SUBSCRIPTION_EXPIRED',
				title: `${service.name} subscription ended`,
				body: 'Your subscription reached the end of its period without renewal. Your app is being removed.',
				link: `/subscriptions/${id}`
			});
			await offerFreeSlots(tx, subscription.planId);
			return true;
		});
		if (done) expired += 1;
	}
	return { expired };
}

// ---------------------------------------------------------------------------
// Administration
// ---------------------------------------------------------------------------

export async function grantSubscription(
	rt: Services,
	admin: { id: string },
	input: { userId: string; planId: string; months: number; name?: string }
) {
	const { plan, service } = await loadPlan(rt.db, input.planId);
	if (!plan.isActive) throw notFound('Plan');
	const [user] = await rt.db.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
	if (!user) throw notFound('User');
	const existing = await liveSubscriptionFor(rt.db, input.userId, service.id);
	if (existing) throw duplicateError(existing);
	return rt.db.transaction(async (tx) => {
		const created = await createSubscription(tx, rt.boss, {
			userId: input.userId,
			plan,
			service,
			name: input.name,
			grant: { by: admin.id, months: input.months }
		});
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.grant',
			entityType: 'subscription',
			entityId: created.subscription.id,
			details: { userId: input.userId, planId: plan.id, months: input.months }
		});
		return { subscriptionId: created.subscription.id, instanceId: created.instance.id };
	});
}

export async function extendSubscription(db: Db, admin: { id: string }, input: { id: string; days: number; reason: string }) {
	return db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.id)).for('update');
		if (!subscription) throw notFound('Subscription');
		if (!isLive(subscription.status)) throw new AppError('INVALID_STATE', 'An ended subscription cannot be extended.');
		const endDate = new Date(subscription.endDate.getTime() + input.days * 86_400_000);
		const [updated] = await tx
			.update(subscriptions)
			.set({ endDate, nextBilling: endDate })
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.extend',
			entityType: 'subscription',
			entityId: subscription.id,
			details: { days: input.days, reason: input.reason, from: subscription.endDate.toISOString(), to: endDate.toISOString() }
		});
		await notify(tx, {
			userId: subscription.userId,
			type: 'SUBSCRIPTION_EXTENDED',
			title: 'Your subscription was extended',
			body: `An administrator extended your subscription by ${input.days} days, until ${endDate.toISOString().slice(0, 10)}.`,
			link: `/subscriptions/${subscription.id}`
		});
		return updated;
	});
}

/** Suspends: the app is scaled to zero and the slot released (data kept). */
export async function suspendSubscription(rt: Services, admin: { id: string }, input: { id: string; reason: string }) {
	return rt.db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.id)).for('update');
		if (!subscription) throw notFound('Subscription');
		if (subscription.status !== 'ACTIVE') {
			throw new AppError('INVALID_STATE', `Only an active subscription can be suspended (this one is ${subscription.status}).`);
		}
		await releaseSlot(tx, subscription.planId);
		const [updated] = await tx
			.update(subscriptions)
			.set({ status: 'SUSPENDED', suspendedAt: new Date() })
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		const live = await tx
			.select({ id: serviceInstances.id })
			.from(serviceInstances)
			.where(
				and(
					eq(serviceInstances.subscriptionId, subscription.id),
					notInArray(serviceInstances.status, ['TERMINATING', 'TERMINATED'])
				)
			);
		for (const { id } of live) await enqueue(rt.boss, 'instance-action', { instanceId: id, action: 'suspend' }, { tx });
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.suspend',
			entityType: 'subscription',
			entityId: subscription.id,
			details: { reason: input.reason }
		});
		await notify(tx, {
			userId: subscription.userId,
			type: 'SUBSCRIPTION_SUSPENDED',
			title: 'Your subscription was suspended',
			body: `Your app was stopped (its data is kept): ${input.reason}.`,
			link: `/subscriptions/${subscription.id}`
		});
		await offerFreeSlots(tx, subscription.planId);
		return updated;
	});
}

/** Lifts a suspension: takes a slot again (if one is free) and starts the app. */
export async function unsuspendSubscription(rt: Services, admin: { id: string }, input: { id: string }) {
	return rt.db.transaction(async (tx) => {
		const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, input.id)).for('update');
		if (!subscription) throw notFound('Subscription');
		if (subscription.status !== 'SUSPENDED') throw new AppError('INVALID_STATE', 'Only a suspended subscription can be resumed.');
		await takeSlot(tx, subscription.planId);
		const [updated] = await tx
			.update(subscriptions)
			.set({ status: 'ACTIVE', suspendedAt: null })
			.where(eq(subscriptions.id, subscription.id))
			.returning();
		const suspended = await tx
			.select({ id: serviceInstances.id })
			.from(serviceInstances)
			.where(and(eq(serviceInstances.subscriptionId, subscription.id), eq(serviceInstances.status, 'SUSPENDED')));
		for (const { id } of suspended) await enqueue(rt.boss, 'instance-action', { instanceId: id, action: 'resume' }, { tx });
		await audit(tx, {
			actorId: admin.id,
			action: 'subscription.unsuspend',
			entityType: 'subscription',
			entityId: subscription.id
		});
		await notify(tx, {
			userId: subscription.userId,
			type: 'SUBSCRIPTION_RESUMED',
			title: 'Your subscription is active again',
			body: 'Your app is starting again.',
			link: `/subscriptions/${subscription.id}`
		});
		return updated;
	});
}

export async function setPlanQuota(db: Db, admin: { id: string }, input: { planId: string; totalQuota: number }) {
	return db.transaction(async (tx) => {
		const [plan] = await tx.select().from(servicePlans).where(eq(servicePlans.id, input.planId)).for('update');
		if (!plan) throw notFound('Plan');
		if (input.totalQuota < plan.usedQuota) {
			throw new AppError('BAD_REQUEST', `totalQuota: cannot be below the ${plan.usedQuota} slots in use.`, {
				field: 'totalQuota',
				usedQuota: plan.usedQuota
			});
		}
		const [updated] = await tx
			.update(servicePlans)
			.set({ totalQuota: input.totalQuota })
			.where(eq(servicePlans.id, plan.id))
			.returning();
		await audit(tx, {
			actorId: admin.id,
			action: 'plan.set_quota',
			entityType: 'service_plan',
			entityId: plan.id,
			details: { from: plan.totalQuota, to: input.totalQuota }
		});
		const offered = input.totalQuota > plan.totalQuota ? await offerFreeSlots(tx, plan.id) : 0;
		return { plan: toPlanView(updated), offered };
	});
}

// ---------------------------------------------------------------------------
// Provisioning outcomes
// ---------------------------------------------------------------------------

/**
 * Provisioning failed for good: release the slot, refund the period's charge and leave the
 * subscription live but unpaid (PENDING_PAYMENT) so the customer can retry or cancel.
 * Runs in the caller's transaction; idempotent through the refund's key and the status.
 */
export async function releaseAfterFailedProvisioning(tx: Tx, subscriptionId: string, reason: string) {
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
}

/**
 * Retrying the set-up of an unpaid subscription: take a slot and charge a fresh period
 * (nothing for grants and free plans), in the caller's transaction.
 */
export async function repayForRetry(tx: Tx, subscriptionId: string, now = new Date()) {
	const [subscription] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for('update');
	if (!subscription) throw notFound('Subscription');
	if (subscription.status !== 'PENDING_PAYMENT') return { charged: 0 };
	const { plan, service } = await loadPlan(tx, subscription.planId);
	await takeSlot(tx, plan.id);
	const end = subscription.isGrant ? subscription.endDate : addMonths(now);
	const price = subscription.isGrant ? 0 : plan.monthlyPrice;
	if (price > 0) await chargePeriod(tx, { subscription, plan, service, start: now, end });
	await tx
		.update(subscriptions)
		.set({
			status: 'ACTIVE',
			currentPeriodStart: subscription.isGrant ? subscription.currentPeriodStart : now,
			endDate: end,
			nextBilling: end,
			lastBilled: now,
			lastChargeAmount: price,
			monthlyPrice: plan.monthlyPrice
		})
		.where(eq(subscriptions.id, subscription.id));
	return { charged: price };
}
