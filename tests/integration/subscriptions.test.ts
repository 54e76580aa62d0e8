import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { notifications, serviceInstances, servicePlans, subscriptions, transactions } from '../../src/lib/server/db/schema';
import { addMonths, terminationRefund } from '../../src/lib/server/subscriptions/billing';
import { completeUpgrade, rollbackUpgrade, upgradeQuote } from '../../src/lib/server/subscriptions/upgrade';
import { expireEndedPeriods, terminate } from '../../src/lib/server/subscriptions/cancel';
import { makeSubdomain, periodChargeKey } from '../../src/lib/server/subscriptions/subscribe';
import { retryDueRenewals } from '../../src/lib/server/subscriptions/renewal';
import { endReasons } from '../../src/lib/server/subscriptions/end-reasons';
import { callerFor, createUser, newCustomer, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { subscribeAt } from '../support/billing';
import { expectInvariants } from '../support/invariants';
import { DAY_MS, instanceOf, planOf, queuedJobs, reloadPlan, reloadSubscription, settle } from '../support/fixtures';
import { rejection } from '../support/errors';
import { inLocale } from '../support/locale';
import { instanceReason } from '../../src/lib/server/instances/reasons';
import type { Locale } from '../../src/lib/statuses';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());
afterEach(async () => {
	await expectInvariants(runtime.db);
});

const customer = (credit?: number) => newCustomer(runtime, credit);
const administrator = async () => callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));

/** The ledger row that paid the period starting at `start`, if one did. */
async function periodCharge(subscriptionId: string, start: Date) {
	const [charge] = await runtime.db
		.select()
		.from(transactions)
		.where(eq(transactions.idempotencyKey, periodChargeKey(subscriptionId, start)));
	return charge;
}

/** Pretends provisioning finished, for tests that do not run the cluster. */
async function markRunning(subscriptionId: string) {
	await runtime.db.update(serviceInstances).set({ status: 'RUNNING' }).where(eq(serviceInstances.subscriptionId, subscriptionId));
}

describe('subscribe', () => {
	it('charges the monthly price, takes a slot, creates subscription and instance, and enqueues provisioning', async () => {
		const { user, api } = await customer(200_000);
		const plan = await planOf(runtime.db, 'n8n', 'PRO');
		const before = Date.now();
		const result = await api.subscriptions.subscribe({ planId: plan.id, name: 'Ops automations' });

		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(200_000 - plan.monthlyPrice);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota + 1);

		const subscription = await reloadSubscription(runtime.db, result.subscriptionId);
		expect(subscription).toMatchObject({ status: 'ACTIVE', autoRenew: true, monthlyPrice: plan.monthlyPrice, planId: plan.id });
		expect(subscription.startDate.getTime()).toBeGreaterThanOrEqual(before - 1000);
		expect(subscription.endDate).toEqual(addMonths(subscription.startDate));

		const instance = await instanceOf(runtime.db, subscription.id);
		expect(instance).toMatchObject({ status: 'PENDING', name: 'Ops automations', namespace: `user-${user.id}`, userId: user.id });
		expect(instance.subdomain).toMatch(/^ops-automations-[a-z0-9]{6}$/);

		const [charge] = await runtime.db.select().from(transactions).where(eq(transactions.subscriptionId, subscription.id));
		expect(charge).toMatchObject({
			type: 'SUBSCRIPTION',
			status: 'COMPLETED',
			amount: -plan.monthlyPrice,
			balanceAfter: 200_000 - plan.monthlyPrice
		});

		const jobs = await queuedJobs<{ instanceId: string }>(runtime.db, 'provision-instance');
		expect(jobs.map((j) => j.data.instanceId)).toContain(instance.id);
		const notes = await runtime.db.select().from(notifications).where(eq(notifications.userId, user.id));
		expect(notes.map((n) => n.type)).toContain('SUBSCRIPTION_STARTED');
	});

	it('refuses a second live subscription to the same app, pointing at the upgrade', async () => {
		const { user, api } = await customer();
		const basic = await planOf(runtime.db, 'ghost', 'BASIC');
		const pro = await planOf(runtime.db, 'ghost', 'PRO');
		const first = await api.subscriptions.subscribe({ planId: basic.id });
		const balance = (await reloadUser(runtime, user.id)).creditBalance;

		const error = await rejection(api.subscriptions.subscribe({ planId: pro.id }));
		expect(error.code).toBe('DUPLICATE_SUBSCRIPTION');
		expect(error.details.subscriptionId).toBe(first.subscriptionId);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balance);
		expect((await reloadPlan(runtime.db, pro.id)).usedQuota).toBe(pro.usedQuota);
	});

	it('refuses a sold-out plan with QUOTA_EXCEEDED and offers the waitlist, moving no credit', async () => {
		const { user, api } = await customer();
		const plan = await planOf(runtime.db, 'memos', 'PREMIUM');
		await runtime.db.update(servicePlans).set({ totalQuota: plan.usedQuota }).where(eq(servicePlans.id, plan.id));
		const error = await rejection(api.subscriptions.subscribe({ planId: plan.id }));
		expect(error.code).toBe('QUOTA_EXCEEDED');
		expect(error.details.waitlist).toBe(true);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(1_000_000);
		// The dialog's quote: the waitlist charges nothing, so there is no balance after a purchase.
		const quote = await api.subscriptions.quote({ planId: plan.id });
		expect(quote).toMatchObject({ problem: 'QUOTA_EXCEEDED', slotsLeft: 0, balanceAfter: null, waitlistOfferHours: 24 });
	});

	it('refuses when credit is short, with the exact shortfall and a way to top up, and changes nothing', async () => {
		const { user, api } = await customer(30_000);
		const plan = await planOf(runtime.db, 'uptime-kuma', 'PRO'); // Rp 49.000
		const error = await rejection(api.subscriptions.subscribe({ planId: plan.id }));
		expect(error.code).toBe('INSUFFICIENT_CREDIT');
		expect(error.trpcCode).toBe('PAYMENT_REQUIRED');
		expect(error.details.shortfall).toBe(plan.monthlyPrice - 30_000);
		expect(error.details.topUpUrl).toBe('/wallet?amount=19000');
		expect(error.message).toContain('Rp 19.000');
		// The dialog's quote says what is missing, never a balance below zero.
		const quote = await api.subscriptions.quote({ planId: plan.id });
		expect(quote).toMatchObject({ problem: 'INSUFFICIENT_CREDIT', balance: 30_000, shortfall: 19_000, balanceAfter: null });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(30_000);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
		expect(await runtime.db.select().from(subscriptions).where(eq(subscriptions.userId, user.id))).toEqual([]);
	});

	it('lets a FREE plan cost nothing but still take a slot', async () => {
		const { user, api } = await customer(0);
		const plan = await planOf(runtime.db, 'gitea', 'FREE');
		const result = await api.subscriptions.subscribe({ planId: plan.id });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota + 1);
		expect(await runtime.db.select().from(transactions).where(eq(transactions.subscriptionId, result.subscriptionId))).toEqual(
			[]
		);
	});

	it('names the field of bad input and changes nothing', async () => {
		const { api } = await customer();
		const invalid = await rejection(api.subscriptions.subscribe({ planId: 'not-a-uuid' }));
		expect(invalid.message).toMatch(/^planId:/);
		const plan = await planOf(runtime.db, 'n8n', 'BASIC');
		const badName = await rejection(api.subscriptions.subscribe({ planId: plan.id, name: 'x'.repeat(51) }));
		expect(badName.message).toMatch(/^name:/);
		const missing = await rejection(api.subscriptions.subscribe({ planId: '00000000-0000-4000-8000-000000000000' }));
		expect(missing.code).toBe('NOT_FOUND');
	});

	it('gives every instance its own subdomain label', () => {
		const names = new Set(Array.from({ length: 500 }, () => makeSubdomain('My Blog!')));
		expect(names.size).toBe(500);
		for (const name of names) expect(name).toMatch(/^my-blog-[a-z0-9]{6}$/);
		expect(makeSubdomain('!!!')).toMatch(/^app-[a-z0-9]{6}$/);
		expect(makeSubdomain('a'.repeat(80)).length).toBeLessThanOrEqual(63);
	});
});

describe('under concurrency', () => {
	it('20 customers racing for the last slot: exactly one wins, the rest get QUOTA_EXCEEDED and keep their credit', async () => {
		const plan = await planOf(runtime.db, 'vaultwarden', 'PRO');
		await runtime.db
			.update(servicePlans)
			.set({ totalQuota: plan.usedQuota + 1 })
			.where(eq(servicePlans.id, plan.id));
		const racers = await Promise.all(Array.from({ length: 20 }, () => customer(100_000)));

		const { fulfilled, rejected } = await settle(racers.map(({ api }) => api.subscriptions.subscribe({ planId: plan.id })));
		expect(fulfilled).toHaveLength(1);
		expect(rejected).toHaveLength(19);
		for (const error of rejected) expect((error as TRPCError).cause).toMatchObject({ code: 'QUOTA_EXCEEDED' });

		const after = await reloadPlan(runtime.db, plan.id);
		expect(after.usedQuota).toBe(after.totalQuota);
		const balances = await Promise.all(racers.map(({ user }) => reloadUser(runtime, user.id)));
		expect(balances.filter((u) => u.creditBalance === 100_000)).toHaveLength(19);
		expect(balances.filter((u) => u.creditBalance === 100_000 - plan.monthlyPrice)).toHaveLength(1);
	});

	it('the same customer subscribing 10 times at once gets one subscription and one charge', async () => {
		const { user, api } = await customer(500_000);
		const plan = await planOf(runtime.db, 'ghost', 'PRO');
		const { fulfilled, rejected } = await settle(
			Array.from({ length: 10 }, () => api.subscriptions.subscribe({ planId: plan.id }))
		);
		expect(fulfilled).toHaveLength(1);
		for (const error of rejected) expect((error as TRPCError).cause).toMatchObject({ code: 'DUPLICATE_SUBSCRIPTION' });
		const rows = await runtime.db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
		expect(rows).toHaveLength(1);
		const charges = await runtime.db
			.select()
			.from(transactions)
			.where(and(eq(transactions.userId, user.id), eq(transactions.type, 'SUBSCRIPTION')));
		expect(charges).toHaveLength(1);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(500_000 - plan.monthlyPrice);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota + 1);
	});
});

describe('upgrade', () => {
	async function subscribed(slug: string, planType: 'FREE' | 'BASIC' | 'PRO', credit = 1_000_000) {
		const c = await customer(credit);
		const plan = await planOf(runtime.db, slug, planType);
		const { subscriptionId } = await c.api.subscriptions.subscribe({ planId: plan.id });
		return { ...c, plan, subscriptionId };
	}

	/** Moves the subscription's period so that `daysLeft` of 30 remain. */
	async function setPeriod(subscriptionId: string, daysLeft: number, now = new Date()) {
		const end = new Date(now.getTime() + daysLeft * DAY_MS);
		const start = new Date(end.getTime() - 30 * DAY_MS);
		await runtime.db
			.update(subscriptions)
			.set({ currentPeriodStart: start, endDate: end })
			.where(eq(subscriptions.id, subscriptionId));
		return { start, end };
	}

	it('quotes the prorated charge, new price, slots and balance after', async () => {
		const { api, subscriptionId } = await subscribed('n8n', 'BASIC');
		const pro = await planOf(runtime.db, 'n8n', 'PRO');
		const now = new Date();
		await setPeriod(subscriptionId, 15, now);
		const subscription = await reloadSubscription(runtime.db, subscriptionId);
		const quote = await upgradeQuote(runtime.db, subscription, pro.id, now);
		expect(quote.allowed).toBe(true);
		expect(quote.charge).toBe(25_000); // half of (99.000 - 49.000)
		expect(quote.newMonthlyPrice).toBe(99_000);
		expect(quote.slotsLeft).toBe(pro.totalQuota - pro.usedQuota);
		expect(quote.balanceAfter).toBe(quote.balance - 25_000);
		const viaApi = await api.subscriptions.upgradeQuote({ id: subscriptionId, planId: pro.id });
		// A moment later, a little less than half is left: rounded down to Rp 100.
		expect(viaApi.charge).toBe(24_900);
	});

	it('allows only a higher tier of the same app', async () => {
		const { api, subscriptionId } = await subscribed('gitea', 'PRO');
		const basic = await planOf(runtime.db, 'gitea', 'BASIC');
		const pro = await planOf(runtime.db, 'gitea', 'PRO');
		const otherApp = await planOf(runtime.db, 'n8n', 'PREMIUM');
		const down = await api.subscriptions.upgradeQuote({ id: subscriptionId, planId: basic.id });
		expect(down).toMatchObject({ allowed: false, code: 'UPGRADE_REQUIRED' });
		// The specific reason, written in the language of the request asking for the quote.
		const quoteIn = (locale: Locale) =>
			inLocale(locale, () => api.subscriptions.upgradeQuote({ id: subscriptionId, planId: basic.id }));
		expect((await quoteIn('id')).reason).toBe(
			`Paket hanya dapat ditingkatkan: ${basic.name} tidak lebih tinggi dari ${pro.name}.`
		);
		expect((await quoteIn('en')).reason).toBe(`Plans can only be upgraded: ${basic.name} is not higher than ${pro.name}.`);
		expect((await rejection(api.subscriptions.upgrade({ id: subscriptionId, planId: basic.id }))).code).toBe('UPGRADE_REQUIRED');
		expect((await rejection(api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id }))).code).toBe('UPGRADE_REQUIRED');
		const other = await rejection(api.subscriptions.upgrade({ id: subscriptionId, planId: otherApp.id }));
		expect(other.code).toBe('BAD_REQUEST');
		expect(other.message).toMatch(/same app/);
	});

	it('charges the prorated amount, swaps the slot and enqueues the resource update; success activates the new plan', async () => {
		const { user, api, plan: basic, subscriptionId } = await subscribed('uptime-kuma', 'BASIC');
		await markRunning(subscriptionId);
		const premium = await planOf(runtime.db, 'uptime-kuma', 'PREMIUM');
		const { end } = await setPeriod(subscriptionId, 10);
		const balanceBefore = (await reloadUser(runtime, user.id)).creditBalance;

		const result = await api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id });
		// The exact prorated difference, rounded down to Rp 100 in the customer's favour.
		const exact = ((premium.monthlyPrice - basic.monthlyPrice) * 10) / 30;
		expect(result.charge % 100).toBe(0);
		expect(result.charge).toBeLessThanOrEqual(exact);
		expect(result.charge).toBeGreaterThan(exact - 100);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balanceBefore - result.charge);

		const pending = await reloadSubscription(runtime.db, subscriptionId);
		expect(pending).toMatchObject({
			status: 'PENDING_UPGRADE',
			planId: premium.id,
			previousPlanId: basic.id,
			monthlyPrice: premium.monthlyPrice
		});
		expect(pending.endDate).toEqual(end);
		expect((await instanceOf(runtime.db, subscriptionId)).status).toBe('UPDATING');
		expect((await reloadPlan(runtime.db, premium.id)).usedQuota).toBe(premium.usedQuota + 1);
		const jobs = await queuedJobs<{ upgradeId: string }>(runtime.db, 'update-instance-resources');
		expect(jobs.map((j) => j.data.upgradeId)).toContain(result.upgradeId);

		// A second upgrade while this one is applied is refused.
		expect((await rejection(api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id }))).code).toBe('INVALID_STATE');

		expect(await completeUpgrade(runtime.db, { subscriptionId, upgradeId: result.upgradeId })).toBe(true);
		expect(await completeUpgrade(runtime.db, { subscriptionId, upgradeId: result.upgradeId })).toBe(false);
		const done = await reloadSubscription(runtime.db, subscriptionId);
		expect(done).toMatchObject({ status: 'ACTIVE', planId: premium.id });
		expect(done.endDate).toEqual(end);
		expect((await reloadPlan(runtime.db, basic.id)).usedQuota).toBe(basic.usedQuota);
	});

	it('rolls back exactly: refund, slots swapped back, old plan restored', async () => {
		const { user, api, plan: basic, subscriptionId } = await subscribed('memos', 'BASIC');
		await markRunning(subscriptionId);
		const pro = await planOf(runtime.db, 'memos', 'PRO');
		const before = {
			balance: (await reloadUser(runtime, user.id)).creditBalance,
			subscription: await reloadSubscription(runtime.db, subscriptionId),
			basicUsed: (await reloadPlan(runtime.db, basic.id)).usedQuota,
			proUsed: (await reloadPlan(runtime.db, pro.id)).usedQuota
		};
		const { upgradeId, charge } = await api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id });
		expect(charge).toBeGreaterThan(0);

		const reason = 'the cluster refused the new limits';
		const why = instanceReason('cluster_refused', { detail: reason });
		const rollback = { subscriptionId, upgradeId, reason, why, now: runtime.clock.now() };
		expect(await rollbackUpgrade(runtime.db, rollback)).toBe(true);
		expect(await rollbackUpgrade(runtime.db, rollback)).toBe(false);

		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(before.balance);
		expect((await reloadPlan(runtime.db, basic.id)).usedQuota).toBe(before.basicUsed);
		expect((await reloadPlan(runtime.db, pro.id)).usedQuota).toBe(before.proUsed);
		const after = await reloadSubscription(runtime.db, subscriptionId);
		expect(after).toMatchObject({
			status: 'ACTIVE',
			planId: basic.id,
			previousPlanId: null,
			monthlyPrice: before.subscription.monthlyPrice,
			endDate: before.subscription.endDate
		});
		const refunds = await runtime.db
			.select()
			.from(transactions)
			.where(and(eq(transactions.subscriptionId, subscriptionId), eq(transactions.type, 'REFUND')));
		expect(refunds.map((r) => r.amount)).toEqual([charge]);
		const notes = await runtime.db.select().from(notifications).where(eq(notifications.userId, user.id));
		expect(notes.find((n) => n.type === 'UPGRADE_FAILED')?.body).toContain(reason);
		// The owner reads why in their language, the cluster's own words kept.
		const { items: listed } = await inLocale('id', () => api.notifications.list());
		expect(listed.find((n) => n.type === 'UPGRADE_FAILED')?.body).toContain(`Kubernetes menolak: ${reason}`);
	});

	/** Upgrades a running subscription of `slug` from BASIC to PRO; the update job has not run yet. */
	async function upgrading(slug: string, before?: (subscriptionId: string) => Promise<void>) {
		const basic = await planOf(runtime.db, slug, 'BASIC');
		const pro = await planOf(runtime.db, slug, 'PRO');
		const { user, api, subscriptionId } = await subscribed(slug, 'BASIC');
		await markRunning(subscriptionId);
		await before?.(subscriptionId);
		const atUpgrade = await reloadSubscription(runtime.db, subscriptionId);
		const { upgradeId, charge } = await api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id });
		expect(charge).toBeGreaterThan(0);
		return { user, basic, pro, subscriptionId, upgradeId, atUpgrade };
	}

	/** The update job failed: the upgrade is rolled back. */
	const rollBack = (subscriptionId: string, upgradeId: string) => {
		const reason = 'the cluster refused the new limits';
		return rollbackUpgrade(runtime.db, {
			subscriptionId,
			upgradeId,
			reason,
			why: instanceReason('cluster_refused', { detail: reason }),
			now: runtime.clock.now()
		});
	};

	it('a rollback restores the old price: a new price of the plan not kept does not follow it', async () => {
		const admin = await administrator();
		const { user, basic, pro, subscriptionId, upgradeId } = await upgrading('miniflux');
		// While the new plan is applied, an administrator raises its price: announced to this subscriber.
		await admin.admin.catalog.updatePlan({
			id: pro.id,
			plan: { monthlyPrice: pro.monthlyPrice + 50_000 },
			reason: 'New hardware'
		});
		expect((await reloadSubscription(runtime.db, subscriptionId)).pendingMonthlyPrice).toBe(pro.monthlyPrice + 50_000);

		expect(await rollBack(subscriptionId, upgradeId)).toBe(true);
		const after = await reloadSubscription(runtime.db, subscriptionId);
		expect(after).toMatchObject({
			planId: basic.id,
			monthlyPrice: basic.monthlyPrice,
			pendingMonthlyPrice: null,
			pendingPriceFrom: null
		});
		// The next renewal charges the old plan's price.
		await retryDueRenewals(runtime, user.id, new Date(after.endDate.getTime() + 1_000));
		expect((await periodCharge(subscriptionId, after.endDate))?.amount).toBe(-basic.monthlyPrice);
	});

	it('a rollback keeps a price change announced for the old plan', async () => {
		const admin = await administrator();
		const basicPrice = (await planOf(runtime.db, 'wikijs', 'BASIC')).monthlyPrice;
		const { user, pro, subscriptionId, upgradeId, atUpgrade } = await upgrading('wikijs', async (subscriptionId) => {
			const plan = await planOf(runtime.db, 'wikijs', 'BASIC');
			await admin.admin.catalog.updatePlan({ id: plan.id, plan: { monthlyPrice: basicPrice + 10_000 }, reason: 'New hardware' });
			expect((await reloadSubscription(runtime.db, subscriptionId)).pendingMonthlyPrice).toBe(basicPrice + 10_000);
		});
		await admin.admin.catalog.updatePlan({
			id: pro.id,
			plan: { monthlyPrice: pro.monthlyPrice + 50_000 },
			reason: 'New hardware'
		});

		expect(await rollBack(subscriptionId, upgradeId)).toBe(true);
		const after = await reloadSubscription(runtime.db, subscriptionId);
		expect(after).toMatchObject({
			monthlyPrice: basicPrice,
			pendingMonthlyPrice: basicPrice + 10_000,
			pendingPriceFrom: atUpgrade.pendingPriceFrom
		});
		await retryDueRenewals(runtime, user.id, new Date(after.endDate.getTime() + 1_000));
		expect((await periodCharge(subscriptionId, after.endDate))?.amount).toBe(-(basicPrice + 10_000));
	});

	it('needs a free slot and enough credit on the new plan', async () => {
		const { api, subscriptionId } = await subscribed('vaultwarden', 'BASIC', 60_000);
		await markRunning(subscriptionId);
		const premium = await planOf(runtime.db, 'vaultwarden', 'PREMIUM');
		// The quote says what is missing, never a balance below zero.
		const shortQuote = await api.subscriptions.upgradeQuote({ id: subscriptionId, planId: premium.id });
		expect(shortQuote).toMatchObject({ allowed: false, code: 'INSUFFICIENT_CREDIT', balanceAfter: null });
		expect(shortQuote.shortfall).toBe(shortQuote.charge - shortQuote.balance);
		expect(shortQuote.shortfall).toBeGreaterThan(0);
		const short = await rejection(api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id }));
		expect(short.code).toBe('INSUFFICIENT_CREDIT');
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');

		await runtime.db.update(servicePlans).set({ totalQuota: premium.usedQuota }).where(eq(servicePlans.id, premium.id));
		const fullQuote = await api.subscriptions.upgradeQuote({ id: subscriptionId, planId: premium.id });
		expect(fullQuote).toMatchObject({ allowed: false, code: 'QUOTA_EXCEEDED', balanceAfter: null });
		const full = await rejection(api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id }));
		expect(full.code).toBe('QUOTA_EXCEEDED');
	});
});

describe('cancel', () => {
	/** Moves the subscription's period to `start`..`end`, and its charge with it: as if paid for then. */
	async function movePaidPeriod(subscriptionId: string, start: Date, end: Date) {
		const subscription = await reloadSubscription(runtime.db, subscriptionId);
		const charge = await periodCharge(subscriptionId, subscription.currentPeriodStart);
		await runtime.db
			.update(transactions)
			.set({
				idempotencyKey: periodChargeKey(subscriptionId, start),
				metadata: { ...charge.metadata, periodStart: start.toISOString(), periodEnd: end.toISOString() }
			})
			.where(eq(transactions.id, charge.id));
		await runtime.db
			.update(subscriptions)
			.set({ currentPeriodStart: start, endDate: end })
			.where(eq(subscriptions.id, subscriptionId));
	}

	it('at period end keeps the app until the end, can be undone, then expires and frees the slot', async () => {
		const { user, api } = await customer();
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const balance = (await reloadUser(runtime, user.id)).creditBalance;

		const cancelled = await api.subscriptions.cancel({ id: subscriptionId, when: 'period_end' });
		expect(cancelled.when).toBe('period_end');
		expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({
			status: 'ACTIVE',
			autoRenew: false,
			cancelAtPeriodEnd: true
		});
		await api.subscriptions.resume({ id: subscriptionId });
		expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({ autoRenew: true, cancelAtPeriodEnd: false });
		await api.subscriptions.setAutoRenew({ id: subscriptionId, autoRenew: false });

		// Nothing happens before the end.
		expect((await expireEndedPeriods(runtime)).expired).toBe(0);
		await runtime.db
			.update(subscriptions)
			.set({ endDate: new Date(Date.now() - 1000) })
			.where(eq(subscriptions.id, subscriptionId));
		expect((await rejection(api.subscriptions.resume({ id: subscriptionId }))).code).toBe('INVALID_STATE');
		expect((await expireEndedPeriods(runtime)).expired).toBe(1);

		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('EXPIRED');
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
		expect((await instanceOf(runtime.db, subscriptionId)).status).toBe('TERMINATING');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balance);
		const jobs = await queuedJobs<{ instanceId: string }>(runtime.db, 'deprovision-instance');
		expect(jobs.map((j) => j.data.instanceId)).toContain((await instanceOf(runtime.db, subscriptionId)).id);
	});

	it('now refunds the unused part by the second, returns the slot, and lets the customer subscribe again', async () => {
		const { user, api } = await customer(500_000);
		const plan = await planOf(runtime.db, 'n8n', 'PREMIUM'); // Rp 199.000
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		// 20 of 30 days left, paid for those 30 days.
		const end = new Date(Date.now() + 20 * DAY_MS);
		await movePaidPeriod(subscriptionId, new Date(end.getTime() - 30 * DAY_MS), end);
		const balance = (await reloadUser(runtime, user.id)).creditBalance;
		// The page's terminate dialog states the refund before it is asked for: the same, read a
		// moment earlier (within a step of the Rp 100 it is rounded up to).
		const offered = (await api.subscriptions.get({ id: subscriptionId })).refundIfEndedNow;

		const result = await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		expect(offered - result.refunded).toBeGreaterThanOrEqual(0);
		expect(offered - result.refunded).toBeLessThanOrEqual(100);
		expect(result.when).toBe('now');
		// 199.000 * 20/30 = 132.666,67, rounded up to Rp 100 in the customer's favour.
		expect(result.refunded).toBe(132_700);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balance + result.refunded);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('CANCELLED');
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
		expect((await instanceOf(runtime.db, subscriptionId)).status).toBe('TERMINATING');

		expect((await rejection(api.subscriptions.cancel({ id: subscriptionId, when: 'now' }))).code).toBe('INVALID_STATE');
		const again = await api.subscriptions.subscribe({ planId: plan.id });
		expect(again.subscriptionId).not.toBe(subscriptionId);
		expect((await api.subscriptions.list()).filter((s) => s.status === 'ACTIVE')).toHaveLength(1);
	});

	it('never refunds more than was paid', async () => {
		const { user, api } = await customer();
		const plan = await planOf(runtime.db, 'memos', 'PRO');
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		// An administrator extended the period a lot: the unused part exceeds what was paid.
		await runtime.db
			.update(subscriptions)
			.set({ endDate: new Date(Date.now() + 90 * DAY_MS), monthlyPrice: plan.monthlyPrice * 3 })
			.where(eq(subscriptions.id, subscriptionId));
		const result = await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		expect(result.refunded).toBe(plan.monthlyPrice);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(1_000_000);
	});
});

describe('ending now, after periods not paid in full', () => {
	/** Ghost Basic (Rp 59.000) subscribed a month and a day ago with credit for one period: its renewal is unpaid. */
	async function renewalUnpaid() {
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		const { user, api } = await customer(plan.monthlyPrice);
		const start = addMonths(new Date(runtime.clock.now().getTime() - DAY_MS), -1);
		const { id: subscriptionId } = await subscribeAt(runtime, user, plan, start);
		await retryDueRenewals(runtime, user.id);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PAST_DUE');
		return { user, api, plan, subscriptionId };
	}

	it('refunds nothing of a period whose renewal an administrator waived', async () => {
		const { user, api, subscriptionId } = await renewalUnpaid();
		const admin = await administrator();
		await admin.admin.billing.waiveRenewal({ id: subscriptionId, reason: 'Outage compensation' });
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');

		// The first month was paid and used; the month now running was given. The page says so.
		expect((await api.subscriptions.get({ id: subscriptionId })).refundIfEndedNow).toBe(0);
		const result = await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		expect(result.refunded).toBe(0);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('CANCELLED');
	});

	it('refunds nothing of a fresh period an administrator gave on reactivating without charge', async () => {
		const { user, api, subscriptionId } = await renewalUnpaid();
		const admin = await administrator();
		await admin.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Abuse report under review' });
		await admin.admin.subscriptions.resume({ id: subscriptionId });
		const reactivated = await reloadSubscription(runtime.db, subscriptionId);
		expect(reactivated.status).toBe('ACTIVE');
		expect(await periodCharge(subscriptionId, reactivated.currentPeriodStart)).toBeUndefined();

		expect((await admin.admin.subscriptions.terminationRefund({ id: subscriptionId })).refund).toBe(0);
		expect((await api.subscriptions.cancel({ id: subscriptionId, when: 'now' })).refunded).toBe(0);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});

	it('an extension adds free days, not a bigger refund', async () => {
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		const { user } = await customer();
		const now = runtime.clock.now();
		const paid = await subscribeAt(runtime, user, plan, new Date(now.getTime() - 15 * DAY_MS));
		await (await administrator()).admin.subscriptions.extend({ id: paid.id, days: 30, reason: 'Outage compensation' });
		expect((await reloadSubscription(runtime.db, paid.id)).endDate).toEqual(new Date(paid.endDate.getTime() + 30 * DAY_MS));

		const { refunded } = await terminate(runtime, paid.id, {
			refund: true,
			actorId: user.id,
			reason: endReasons.reason('customer_terminated'),
			now
		});
		// What is left of the month paid for, as without the extension.
		const period = { start: paid.currentPeriodStart, end: paid.endDate };
		expect(refunded).toBe(terminationRefund({ monthlyPrice: plan.monthlyPrice, period, now }));
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(1_000_000 - plan.monthlyPrice + refunded);
	});

	it('refunds the unused part of a period paid on one plan and upgraded within it, as at the new price', async () => {
		const basic = await planOf(runtime.db, 'memos', 'BASIC');
		const pro = await planOf(runtime.db, 'memos', 'PRO');
		const { user, api } = await customer();
		const paid = await subscribeAt(runtime, user, basic, new Date(runtime.clock.now().getTime() - 10 * DAY_MS));
		await markRunning(paid.id);
		const { upgradeId, charge } = await api.subscriptions.upgrade({ id: paid.id, planId: pro.id });
		expect(charge).toBeGreaterThan(0);
		await completeUpgrade(runtime.db, { subscriptionId: paid.id, upgradeId });

		const now = runtime.clock.now();
		const { refunded } = await terminate(runtime, paid.id, {
			refund: true,
			actorId: user.id,
			reason: endReasons.reason('customer_terminated'),
			now
		});
		// Each payment's unused part, rounded up to Rp 100 each: the new price's share, give or take a step.
		const atNewPrice = terminationRefund({
			monthlyPrice: pro.monthlyPrice,
			period: { start: paid.currentPeriodStart, end: paid.endDate },
			now
		});
		expect(Math.abs(refunded - atNewPrice)).toBeLessThanOrEqual(200);
		expect(refunded).toBeLessThanOrEqual(basic.monthlyPrice + charge);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(1_000_000 - basic.monthlyPrice - charge + refunded);
	});
});

describe('subscriptions.list', () => {
	it('shows each subscription with its plan, service and newest app, newest subscription first', async () => {
		const { api } = await customer();
		const first = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'memos', 'BASIC')).id, name: 'Notes' });
		const second = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'gitea', 'BASIC')).id });
		// An older app of the first subscription, left over from a set-up that was replaced.
		const current = await instanceOf(runtime.db, first.subscriptionId);
		await runtime.db.insert(serviceInstances).values({
			...current,
			id: undefined,
			name: 'old-notes',
			subdomain: `${current.subdomain}-old`,
			status: 'ERROR',
			createdAt: new Date(current.createdAt.getTime() - DAY_MS)
		});
		await runtime.db
			.update(subscriptions)
			.set({ createdAt: new Date(Date.now() + 1000) })
			.where(eq(subscriptions.id, second.subscriptionId));

		const list = await api.subscriptions.list();
		expect(list.map((item) => item.id)).toEqual([second.subscriptionId, first.subscriptionId]);
		expect(list[1]).toMatchObject({
			name: 'Notes',
			plan: { name: expect.any(String), planType: 'BASIC' },
			service: { slug: 'memos' },
			instance: { id: current.id, name: current.name, status: current.status }
		});
		expect(list[0].service.slug).toBe('gitea');
		expect(list[0].instance?.id).toBe((await instanceOf(runtime.db, second.subscriptionId)).id);
	});
});

describe('privacy', () => {
	it("a second customer can neither see nor change the first customer's subscriptions", async () => {
		const owner = await customer();
		const other = await customer();
		const plan = await planOf(runtime.db, 'gitea', 'BASIC');
		const pro = await planOf(runtime.db, 'gitea', 'PRO');
		const { subscriptionId } = await owner.api.subscriptions.subscribe({ planId: plan.id });
		const before = await reloadSubscription(runtime.db, subscriptionId);

		expect((await other.api.subscriptions.list()).map((s) => s.id)).not.toContain(subscriptionId);
		const attempts = [
			() => other.api.subscriptions.get({ id: subscriptionId }),
			() => other.api.subscriptions.upgradeQuote({ id: subscriptionId, planId: pro.id }),
			() => other.api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id }),
			() => other.api.subscriptions.cancel({ id: subscriptionId, when: 'now' }),
			() => other.api.subscriptions.cancel({ id: subscriptionId, when: 'period_end' }),
			() => other.api.subscriptions.resume({ id: subscriptionId }),
			() => other.api.subscriptions.setAutoRenew({ id: subscriptionId, autoRenew: false })
		];
		for (const attempt of attempts) expect((await rejection(attempt())).code).toBe('NOT_FOUND');
		expect(await reloadSubscription(runtime.db, subscriptionId)).toEqual(before);
		expect((await owner.api.subscriptions.get({ id: subscriptionId })).id).toBe(subscriptionId);
	});

	it('the owner sees the detail with plan, instance and payments, without instance secrets', async () => {
		const owner = await customer();
		const plan = await planOf(runtime.db, 'n8n', 'BASIC');
		const { subscriptionId } = await owner.api.subscriptions.subscribe({ planId: plan.id });
		await runtime.db
			.update(serviceInstances)
			.set({ generatedSecrets: { N8N_ENCRYPTION_KEY: 'very-secret-value' } })
			.where(eq(serviceInstances.subscriptionId, subscriptionId));
		const detail = await owner.api.subscriptions.get({ id: subscriptionId });
		expect(detail.plan.id).toBe(plan.id);
		expect(detail.transactions).toHaveLength(1);
		expect(detail.upgradeOptions.map((p) => p.planType)).toEqual(['PRO', 'PREMIUM']);
		expect(JSON.stringify(detail)).not.toContain('very-secret-value');
		expect(JSON.stringify(await owner.api.subscriptions.list())).not.toContain('very-secret-value');
	});

	it("lists the payments in the reader's language, as the wallet history words them", async () => {
		const owner = await customer();
		const basic = await planOf(runtime.db, 'n8n', 'BASIC');
		const pro = await planOf(runtime.db, 'n8n', 'PRO');
		const { subscriptionId } = await owner.api.subscriptions.subscribe({ planId: basic.id });
		await markRunning(subscriptionId);
		await owner.api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id });
		for (const locale of ['id', 'en'] as const) {
			const [detail, history] = await inLocale(locale, () =>
				Promise.all([owner.api.subscriptions.get({ id: subscriptionId }), owner.api.wallet.transactions({ page: 1 })])
			);
			const worded = new Map(history.items.map((item) => [item.id, item.description]));
			expect(detail.transactions.length).toBeGreaterThanOrEqual(2);
			for (const payment of detail.transactions) expect(payment.description).toBe(worded.get(payment.id));
		}
		const inIndonesian = await inLocale('id', () => owner.api.subscriptions.get({ id: subscriptionId }));
		const inEnglish = await inLocale('en', () => owner.api.subscriptions.get({ id: subscriptionId }));
		expect(inIndonesian.transactions.map((t) => t.description)).not.toEqual(inEnglish.transactions.map((t) => t.description));
	});
});
