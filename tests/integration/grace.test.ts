// The grace period and what follows, on the test clock: PAST_DUE with daily reminders, a
// credit retrying the renewal at once, suspension when the grace period ends unpaid,
// reactivation by paying a fresh period, deletion after the retention days; the notices
// before a renewal; the administrator's Billing view and the test clock itself.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, serviceInstances, servicePlans, subscriptions, transactions } from '../../src/lib/server/db/schema';
import { seedCatalog } from '../../src/lib/server/seed';
import { addMonths } from '../../src/lib/server/subscriptions/billing';
import { periodChargeKey } from '../../src/lib/server/subscriptions/subscribe';
import { startEventHub } from '../../src/lib/server/events';
import { startBillingClock } from '../../src/lib/server/clock';
import { renewalRetry } from '../../jobs/renewal-retry';
import { submitTransferProof } from '../../src/lib/server/wallet/proofs';
import { callerFor, createUser, newCustomer, reloadUser, startTestRuntime } from '../support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectInvariants } from '../support/invariants';
import { DAY_MS, instanceOf, planOf, queuedJobs, reloadPlan, reloadSubscription } from '../support/fixtures';
import { rejection } from '../support/errors';
import { advanceDays, mailsOf, notificationsOf } from '../support/billing';
import { eventually } from '../support/kube';

let runtime: WalletTestRuntime;
beforeAll(async () => {
	runtime = await startWalletRuntime();
	await seedCatalog(runtime.db);
});
afterAll(() => runtime?.close());
afterEach(async () => {
	await expectInvariants(runtime.db);
});

/** A customer subscribed now to a plan with exactly one period of credit, so the first renewal is short. */
async function shortCustomer(slug: string, tier: 'BASIC' | 'PRO' = 'BASIC') {
	const plan = await planOf(runtime.db, slug, tier);
	const customer = await newCustomer(runtime, plan.monthlyPrice);
	const { subscriptionId } = await customer.api.subscriptions.subscribe({ planId: plan.id });
	return { ...customer, plan, subscriptionId, subscription: await reloadSubscription(runtime.db, subscriptionId) };
}

/** Days from the clock's now until `date` (rounded up), at least 0. */
const daysUntil = (date: Date) => Math.max(0, Math.ceil((date.getTime() - runtime.clock.now().getTime()) / DAY_MS));

/** Runs the queued renewal-retry jobs of this customer the way the worker does. */
async function runRetryJobs(userId: string) {
	const jobs = (await queuedJobs<{ userId: string }>(runtime.db, 'renewal-retry')).filter((job) => job.data.userId === userId);
	for (const job of jobs) await renewalRetry.handle(runtime, job as never);
	return jobs.length;
}

describe('grace period', () => {
	it('warns before, goes PAST_DUE at the due time, reminds daily, and a top-up renews it at once', async () => {
		const { user, api, plan, subscriptionId, subscription } = await shortCustomer('ghost');
		const due = subscription.endDate;

		// Seven days before: the low-credit warning; three days before: the renewal notice with the shortfall.
		await advanceDays(runtime, daysUntil(due) - 3);
		const [lowCredit] = await notificationsOf(runtime, user.id, 'LOW_CREDIT');
		expect(lowCredit.link).toBe(`/wallet?amount=${plan.monthlyPrice}`);
		const [notice] = await notificationsOf(runtime, user.id, 'RENEWAL_NOTICE');
		expect(notice.body).toContain(`top up at least Rp ${plan.monthlyPrice.toLocaleString('id-ID')}`);
		expect(notice.link).toBe(`/wallet?amount=${plan.monthlyPrice}`);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');

		await advanceDays(runtime, daysUntil(due) + 2);
		const pastDue = await reloadSubscription(runtime.db, subscriptionId);
		expect(pastDue).toMatchObject({ status: 'PAST_DUE', endDate: due });
		expect(pastDue.gracePeriodEnd).toEqual(new Date(due.getTime() + 7 * DAY_MS));
		// Told once that it failed, reminded once per day after that, notices sent once each.
		expect(await notificationsOf(runtime, user.id, 'RENEWAL_FAILED')).toHaveLength(1);
		const reminders = await notificationsOf(runtime, user.id, 'GRACE_REMINDER');
		expect(reminders.length).toBeGreaterThanOrEqual(1);
		expect(reminders.length).toBeLessThanOrEqual(2);
		expect(reminders[0].body).toContain(`Top up at least Rp ${plan.monthlyPrice.toLocaleString('id-ID')}`);
		expect(await notificationsOf(runtime, user.id, 'RENEWAL_NOTICE')).toHaveLength(1);
		expect(await notificationsOf(runtime, user.id, 'LOW_CREDIT')).toHaveLength(1);
		const forecast = await api.subscriptions.forecast();
		expect(forecast.pastDue).toEqual([expect.objectContaining({ subscriptionId, amount: plan.monthlyPrice })]);
		expect(forecast.pastDueShortfall).toBe(plan.monthlyPrice);
		expect(forecast.pastDueTopUpUrl).toBe(`/wallet?amount=${plan.monthlyPrice}`);
		// The forecast agrees: the unpaid renewal is owed now, not to come; the next one is a month
		// on, and what would cover it counts the debt too.
		expect(forecast.overdue).toEqual({ count: 1, amount: plan.monthlyPrice, shortfall: plan.monthlyPrice });
		expect(forecast.firstUncovered).toMatchObject({
			subscriptionId,
			dueAt: addMonths(subscription.billingAnchor, 2),
			shortfall: 2 * plan.monthlyPrice
		});
		expect(forecast.firstUncovered!.dueAt.getTime()).toBeGreaterThan(runtime.clock.now().getTime());
		expect(forecast.dueSoon).toMatchObject({ amount: 0, shortfall: 0 });

		// The customer pays through Midtrans; the settlement credits the wallet and queues the retry.
		const { orderId } = await api.wallet.topUp({ amount: plan.monthlyPrice, method: 'QRIS' });
		await runtime.simulator.settle(orderId);
		await eventually(async () => (await reloadUser(runtime, user.id)).creditBalance === plan.monthlyPrice);
		expect(await runRetryJobs(user.id)).toBe(1);

		const renewed = await reloadSubscription(runtime.db, subscriptionId);
		expect(renewed).toMatchObject({ status: 'ACTIVE', currentPeriodStart: due, gracePeriodEnd: null });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		const [charge] = await runtime.db
			.select()
			.from(transactions)
			.where(eq(transactions.idempotencyKey, periodChargeKey(subscriptionId, due)));
		expect(charge).toMatchObject({ status: 'COMPLETED', amount: -plan.monthlyPrice });
		// A second run of the job changes nothing.
		await runRetryJobs(user.id);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});

	it('every kind of credit queues the retry in its own transaction while a renewal is due, and none before', async () => {
		const { user, subscription } = await shortCustomer('memos');
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const adminApi = await callerFor(runtime, admin);
		// The period runs for a month yet: nothing to retry, no job.
		await adminApi.admin.wallet.adjust({ userId: user.id, direction: 'credit', amount: 1_000, reason: 'Goodwill credit' });
		expect(await runRetryJobs(user.id)).toBe(0);
		await adminApi.admin.wallet.adjust({ userId: user.id, direction: 'debit', amount: 1_000, reason: 'Taking it back' });
		// Due and unpaid (PAST_DUE): a credit queues the retry.
		await advanceDays(runtime, daysUntil(subscription.endDate));
		await adminApi.admin.wallet.adjust({ userId: user.id, direction: 'credit', amount: 1_000, reason: 'Goodwill credit' });
		expect(await runRetryJobs(user.id)).toBe(1);
		// A debit queues nothing.
		await adminApi.admin.wallet.adjust({ userId: user.id, direction: 'debit', amount: 1_000, reason: 'Taking it back' });
		expect(await runRetryJobs(user.id)).toBe(1);
		// An approved bank transfer does.
		const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
		const proof = await submitTransferProof(runtime, user.id, { amount: 20_000, file: { name: 'receipt.png', bytes: png } });
		await adminApi.admin.wallet.approveProof({ id: proof.id });
		expect(await runRetryJobs(user.id)).toBe(2);
	});

	it('refuses "cancel at period end" once the renewal is unpaid: there is no period left, and the sweep would end it at once', async () => {
		const { api, subscriptionId, subscription } = await shortCustomer('ghost');
		await advanceDays(runtime, daysUntil(subscription.endDate));
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PAST_DUE');
		const cancelLater = [
			() => api.subscriptions.setAutoRenew({ id: subscriptionId, autoRenew: false }),
			() => api.subscriptions.cancel({ id: subscriptionId, when: 'period_end' })
		];
		for (const call of cancelLater) {
			const refused = await rejection(call());
			expect(refused).toMatchObject({ code: 'INVALID_STATE' });
			expect(refused.message).toContain('end it now');
		}
		// A day on, the sweep that ends cancelled periods has run: the app is still in its grace days.
		await advanceDays(runtime, 1);
		expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({ status: 'PAST_DUE', autoRenew: true });
		expect((await instanceOf(runtime.db, subscriptionId)).status).not.toBe('TERMINATING');

		// Suspended for the unpaid renewal: still no period to end with.
		await advanceDays(runtime, 8);
		expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({
			status: 'SUSPENDED',
			suspendedFor: 'NON_PAYMENT'
		});
		for (const call of cancelLater) expect(await rejection(call())).toMatchObject({ code: 'INVALID_STATE' });
		expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({ status: 'SUSPENDED', autoRenew: true });
	});

	it('suspends when the grace period ends unpaid: app scaled to zero, slot released and offered to the waitlist', async () => {
		const { user, api, plan, subscriptionId, subscription } = await shortCustomer('vaultwarden');
		await advanceDays(runtime, daysUntil(subscription.endDate));
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PAST_DUE');
		// The plan is full and someone is waiting.
		await runtime.db
			.update(servicePlans)
			.set({ totalQuota: (await reloadPlan(runtime.db, plan.id)).usedQuota })
			.where(eq(servicePlans.id, plan.id));
		const waiting = await newCustomer(runtime);
		await waiting.api.waitlist.join({ planId: plan.id });
		const used = (await reloadPlan(runtime.db, plan.id)).usedQuota;

		await advanceDays(runtime, 8);
		const suspended = await reloadSubscription(runtime.db, subscriptionId);
		expect(suspended).toMatchObject({ status: 'SUSPENDED', suspendedFor: 'NON_PAYMENT', gracePeriodEnd: null });
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(used - 1);
		const instance = await instanceOf(runtime.db, subscriptionId);
		const actions = await queuedJobs<{ instanceId: string; action: string }>(runtime.db, 'instance-action');
		expect(actions.map((job) => job.data)).toContainEqual({ instanceId: instance.id, action: 'suspend' });
		expect((await waiting.api.waitlist.list())[0].status).toBe('NOTIFIED');
		await waiting.api.subscriptions.subscribe({ planId: plan.id });
		const [told] = await notificationsOf(runtime, user.id, 'SUBSCRIPTION_SUSPENDED');
		expect(told.body).toContain(`paying Rp ${plan.monthlyPrice.toLocaleString('id-ID')}`);
		expect(told.body).toContain('data is kept until');
		const billing = await api.subscriptions.billing({ id: subscriptionId });
		expect(billing).toMatchObject({
			status: 'SUSPENDED',
			canReactivate: true,
			price: plan.monthlyPrice,
			shortfall: plan.monthlyPrice
		});
		expect(billing.deletionAt).toEqual(new Date(suspended.suspendedAt!.getTime() + 14 * DAY_MS));

		// Reactivating: first the waiting customer has taken the slot, then the credit is short, then it works.
		const short = await rejection(api.subscriptions.reactivate({ id: subscriptionId }));
		expect(short.code).toBe('QUOTA_EXCEEDED');
		expect(short.details.waitlist).toBe(true);
		await runtime.db
			.update(servicePlans)
			.set({ totalQuota: (await reloadPlan(runtime.db, plan.id)).usedQuota + 1 })
			.where(eq(servicePlans.id, plan.id));
		const broke = await rejection(api.subscriptions.reactivate({ id: subscriptionId }));
		expect(broke.code).toBe('INSUFFICIENT_CREDIT');
		expect(broke.details.topUpUrl).toBe(`/wallet?amount=${plan.monthlyPrice}`);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('SUSPENDED');

		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		await admin.admin.wallet.adjust({
			userId: user.id,
			direction: 'credit',
			amount: plan.monthlyPrice,
			reason: 'Paid at the counter'
		});
		// The credit's retry does not touch a suspended subscription: reactivating is the customer's choice.
		await runRetryJobs(user.id);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('SUSPENDED');
		await runtime.db.update(serviceInstances).set({ status: 'SUSPENDED' }).where(eq(serviceInstances.id, instance.id));

		const result = await api.subscriptions.reactivate({ id: subscriptionId });
		const now = runtime.clock.now();
		expect(result).toMatchObject({ status: 'ACTIVE', charged: plan.monthlyPrice });
		const active = await reloadSubscription(runtime.db, subscriptionId);
		expect(Math.abs(active.billingAnchor.getTime() - now.getTime())).toBeLessThan(60_000);
		expect(active.endDate).toEqual(addMonths(active.billingAnchor));
		expect(active).toMatchObject({ suspendedAt: null, suspendedFor: null, currentPeriodStart: active.billingAnchor });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
		const resumes = await queuedJobs<{ instanceId: string; action: string }>(runtime.db, 'instance-action');
		expect(resumes.map((job) => job.data)).toContainEqual({ instanceId: instance.id, action: 'resume' });
	});

	it("counts every renewal of the notice's day in what it says is due by then, also one due later that day", async () => {
		const [n8n, ghost] = [await planOf(runtime.db, 'n8n', 'BASIC'), await planOf(runtime.db, 'ghost', 'PRO')];
		const { user, api } = await newCustomer(runtime, n8n.monthlyPrice + ghost.monthlyPrice + 1_000);
		const first = await api.subscriptions.subscribe({ planId: n8n.id });
		const second = await api.subscriptions.subscribe({ planId: ghost.id });
		const [firstDue, secondDue] = [
			(await reloadSubscription(runtime.db, first.subscriptionId)).endDate,
			(await reloadSubscription(runtime.db, second.subscriptionId)).endDate
		];
		expect(firstDue.getTime()).toBeLessThan(secondDue.getTime());

		await advanceDays(runtime, daysUntil(firstDue) - 3);
		const notices = await notificationsOf(runtime, user.id, 'RENEWAL_NOTICE');
		expect(notices).toHaveLength(2);
		const shortfall = n8n.monthlyPrice + ghost.monthlyPrice - 1_000;
		for (const notice of notices) {
			expect(notice.link).toBe(`/wallet?amount=${shortfall}`);
			expect(notice.body).toContain(`top up at least Rp ${shortfall.toLocaleString('id-ID')}`);
		}
		// The forecast says what that day takes too, beside the first renewal's own shortfall.
		expect((await api.subscriptions.forecast()).firstUncovered).toMatchObject({
			subscriptionId: first.subscriptionId,
			shortfall: n8n.monthlyPrice - 1_000,
			day: { count: 2, amount: n8n.monthlyPrice + ghost.monthlyPrice, shortfall }
		});
	});

	it('makes a lapsed grant a paid subscription once the customer pays to reactivate it', async () => {
		const plan = await planOf(runtime.db, 'ghost', 'PRO');
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const { user, api } = await newCustomer(runtime, 1_000);
		const { subscriptionId } = await admin.admin.subscriptions.grant({ userId: user.id, planId: plan.id, months: 1 });
		const granted = await reloadSubscription(runtime.db, subscriptionId);
		expect(granted.isGrant).toBe(true);
		// The grant ends, its first paid renewal fails, and the grace period runs out.
		await advanceDays(runtime, daysUntil(granted.endDate));
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PAST_DUE');
		await advanceDays(runtime, 8);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('SUSPENDED');
		await admin.admin.wallet.adjust({
			userId: user.id,
			direction: 'credit',
			amount: plan.monthlyPrice,
			reason: 'Paid at the counter'
		});

		expect(await api.subscriptions.reactivate({ id: subscriptionId })).toMatchObject({ charged: plan.monthlyPrice });
		const paid = await reloadSubscription(runtime.db, subscriptionId);
		expect(paid).toMatchObject({ status: 'ACTIVE', isGrant: false, lastChargeAmount: plan.monthlyPrice });
		expect(await api.subscriptions.get({ id: subscriptionId })).toMatchObject({
			isGrant: false,
			monthlyPrice: plan.monthlyPrice
		});
	});

	it('charges an overdue renewal the price it was told of when the plan is repriced meanwhile, the new one from the next', async () => {
		const { user, plan, subscriptionId, subscription } = await shortCustomer('memos');
		await advanceDays(runtime, daysUntil(subscription.endDate));
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PAST_DUE');
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const newPrice = plan.monthlyPrice + 10_000;
		try {
			await admin.admin.catalog.updatePlan({ id: plan.id, plan: { monthlyPrice: newPrice }, reason: 'New hardware' });
			const told = await reloadSubscription(runtime.db, subscriptionId);
			expect(told.pendingMonthlyPrice).toBe(newPrice);
			expect(told.pendingPriceFrom!.getTime()).toBeGreaterThan(subscription.endDate.getTime());

			// The customer pays the shortfall the failed renewal named: it goes through at that price.
			await admin.admin.wallet.adjust({
				userId: user.id,
				direction: 'credit',
				amount: plan.monthlyPrice,
				reason: 'Paid at the counter'
			});
			expect(await runRetryJobs(user.id)).toBe(1);
			expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({
				status: 'ACTIVE',
				monthlyPrice: plan.monthlyPrice,
				pendingMonthlyPrice: newPrice
			});
			const [charge] = await runtime.db
				.select()
				.from(transactions)
				.where(eq(transactions.idempotencyKey, periodChargeKey(subscriptionId, subscription.endDate)));
			expect(charge).toMatchObject({ status: 'COMPLETED', amount: -plan.monthlyPrice });
		} finally {
			await runtime.db.update(servicePlans).set({ monthlyPrice: plan.monthlyPrice }).where(eq(servicePlans.id, plan.id));
		}
	});

	it('keeps a grant a grant when an administrator lifts its suspension free of charge', async () => {
		const plan = await planOf(runtime.db, 'ghost', 'PRO');
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const { user } = await newCustomer(runtime);
		const { subscriptionId } = await admin.admin.subscriptions.grant({ userId: user.id, planId: plan.id, months: 1 });
		await admin.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Abuse report under review' });
		await admin.admin.subscriptions.resume({ id: subscriptionId });
		expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({ status: 'ACTIVE', isGrant: true });
	});

	it('deletes an app suspended for the retention days, warning three days before, charging nothing meanwhile', async () => {
		const { user, subscriptionId, subscription } = await shortCustomer('gitea');
		await advanceDays(runtime, daysUntil(subscription.endDate) + 8);
		const suspended = await reloadSubscription(runtime.db, subscriptionId);
		expect(suspended.status).toBe('SUSPENDED');
		const deletion = new Date(suspended.suspendedAt!.getTime() + 14 * DAY_MS);

		await advanceDays(runtime, daysUntil(new Date(deletion.getTime() - 3 * DAY_MS)) + 1);
		const [warning] = await notificationsOf(runtime, user.id, 'DELETION_WARNING');
		expect(warning.title).toContain('will be deleted');
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('SUSPENDED');

		await advanceDays(runtime, daysUntil(deletion) + 1);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('EXPIRED');
		expect(await notificationsOf(runtime, user.id, 'DELETION_WARNING')).toHaveLength(1);
		expect(await notificationsOf(runtime, user.id, 'SUBSCRIPTION_DELETED')).toHaveLength(1);
		const instance = await instanceOf(runtime.db, subscriptionId);
		expect(instance.status).toBe('TERMINATING');
		const removals = await queuedJobs<{ instanceId: string }>(runtime.db, 'deprovision-instance');
		expect(removals.map((job) => job.data.instanceId)).toContain(instance.id);
		const charges = await runtime.db
			.select()
			.from(transactions)
			.where(and(eq(transactions.subscriptionId, subscriptionId), eq(transactions.type, 'SUBSCRIPTION')));
		expect(charges).toHaveLength(1);
		// Essential mails went out for each step.
		const essential = (await mailsOf(runtime, user.id))
			.filter((mail) => mail.essential)
			.map((mail) => (mail.data as { title: string }).title);
		expect(essential.some((title) => title.includes('is suspended'))).toBe(true);
		expect(essential.some((title) => title.includes('will be deleted'))).toBe(true);
		expect(essential.some((title) => title.includes('was deleted'))).toBe(true);
	});

	it('tells a customer whose credit covers everything only the renewal and its receipt', async () => {
		const plan = await planOf(runtime.db, 'uptime-kuma', 'PRO');
		const { user, api } = await newCustomer(runtime, plan.monthlyPrice * 3);
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const forecast = await api.subscriptions.forecast();
		expect(forecast.monthlyTotal).toBe(plan.monthlyPrice);
		expect(forecast.firstUncovered).toMatchObject({ subscriptionId, shortfall: plan.monthlyPrice });
		// The balance pays the next two renewals; the third is the first it does not cover.
		const { billingAnchor } = await reloadSubscription(runtime.db, subscriptionId);
		expect(forecast.firstUncovered!.dueAt).toEqual(addMonths(billingAnchor, 3));

		await advanceDays(runtime, daysUntil((await reloadSubscription(runtime.db, subscriptionId)).endDate));
		expect(await notificationsOf(runtime, user.id, 'LOW_CREDIT')).toEqual([]);
		const [notice] = await notificationsOf(runtime, user.id, 'RENEWAL_NOTICE');
		expect(notice.body).toContain('covers every renewal due by then');
		expect(await notificationsOf(runtime, user.id, 'SUBSCRIPTION_RENEWED')).toHaveLength(1);
	});
});

describe('administrators', () => {
	it('see what is due, past due, suspended and soon deleted; extend grace, waive (audited) and reactivate free', async () => {
		const adminUser = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const admin = await callerFor(runtime, adminUser);
		const late = await shortCustomer('n8n');
		const waived = await shortCustomer('ghost', 'PRO');
		await advanceDays(runtime, Math.max(daysUntil(late.subscription.endDate), daysUntil(waived.subscription.endDate)));

		const overview = await admin.admin.billing.overview();
		const row = overview.pastDue.find((r) => r.subscriptionId === late.subscriptionId)!;
		expect(row).toMatchObject({
			amount: late.plan.monthlyPrice,
			shortfall: late.plan.monthlyPrice,
			customer: { email: late.user.email }
		});

		const before = (await reloadSubscription(runtime.db, late.subscriptionId)).gracePeriodEnd!;
		const extended = await admin.admin.billing.extendGrace({ id: late.subscriptionId, days: 5, reason: 'Customer called' });
		expect(extended.gracePeriodEnd).toEqual(new Date(before.getTime() + 5 * DAY_MS));
		expect(await notificationsOf(runtime, late.user.id, 'GRACE_EXTENDED')).toHaveLength(1);

		const due = (await reloadSubscription(runtime.db, waived.subscriptionId)).endDate;
		const result = await admin.admin.billing.waiveRenewal({ id: waived.subscriptionId, reason: 'Outage last month' });
		expect(result.status).toBe('ACTIVE');
		expect(await reloadSubscription(runtime.db, waived.subscriptionId)).toMatchObject({
			currentPeriodStart: due,
			gracePeriodEnd: null
		});
		const audits = await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, waived.subscriptionId));
		expect(audits.find((a) => a.action === 'subscription.waive_renewal')?.details).toMatchObject({
			amount: waived.plan.monthlyPrice,
			reason: 'Outage last month'
		});
		expect(
			await runtime.db
				.select()
				.from(transactions)
				.where(eq(transactions.idempotencyKey, periodChargeKey(waived.subscriptionId, due)))
		).toEqual([]);
		expect((await rejection(admin.admin.billing.waiveRenewal({ id: waived.subscriptionId, reason: 'Twice' }))).code).toBe(
			'INVALID_STATE'
		);

		// Past the extended grace: suspended, listed, and reactivated free with a fresh period.
		await advanceDays(runtime, daysUntil((await reloadSubscription(runtime.db, late.subscriptionId)).gracePeriodEnd!) + 1);
		const suspended = await admin.admin.billing.overview();
		expect(suspended.suspended.map((r) => r.subscriptionId)).toContain(late.subscriptionId);
		expect(suspended.suspended.find((r) => r.subscriptionId === late.subscriptionId)?.deletionAt).toBeInstanceOf(Date);
		await admin.admin.subscriptions.resume({ id: late.subscriptionId });
		const back = await reloadSubscription(runtime.db, late.subscriptionId);
		expect(back.status).toBe('ACTIVE');
		expect(back.endDate.getTime()).toBeGreaterThan(runtime.clock.now().getTime() + 27 * DAY_MS);
		expect((await reloadUser(runtime, late.user.id)).creditBalance).toBe(0);

		// Customers get none of it.
		expect((await rejection(late.api.admin.billing.overview())).code).toBe('FORBIDDEN');
		expect((await rejection(late.api.admin.billing.advanceClock({ days: 1 }))).code).toBe('FORBIDDEN');
	});

	it('lists soon-deleted subscriptions with their deletion date', async () => {
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const { subscriptionId, subscription } = await shortCustomer('memos', 'PRO');
		await advanceDays(runtime, daysUntil(subscription.endDate) + 8 + 12);
		const overview = await admin.admin.billing.overview();
		const soon = overview.soonDeleted.find((r) => r.subscriptionId === subscriptionId);
		expect(soon?.deletionAt).toBeInstanceOf(Date);
		expect(soon!.deletionAt!.getTime() - runtime.clock.now().getTime()).toBeLessThanOrEqual(3 * DAY_MS);
	});
});

describe('the test clock', () => {
	it('moves billing time for every process through the database, and refuses bad input naming the field', async () => {
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const events = await startEventHub(new URL(runtime.config.databaseUrl!).toString(), () => undefined);
		const other = await startBillingClock(runtime.db, events, () => undefined);
		try {
			const before = runtime.clock.now();
			const result = await admin.admin.billing.advanceClock({ days: 2 });
			expect(result.now.getTime() - before.getTime()).toBeGreaterThanOrEqual(2 * DAY_MS);
			await eventually(() => other.offsetMs() === runtime.clock.offsetMs());
			// Only billing time moved: real time (sessions, payment expiry) did not.
			expect(Math.abs(runtime.clock.now().getTime() - Date.now() - result.offsetMs)).toBeLessThan(1_000);
			const zero = await admin.admin.billing.advanceClock({ days: 0 });
			expect(zero.offsetMs).toBe(result.offsetMs);
		} finally {
			other.close();
			await events.close();
		}
		for (const days of [-1, 367, 1.5]) {
			const refused = await rejection(admin.admin.billing.advanceClock({ days }));
			expect(refused.code).toBe('BAD_REQUEST');
			expect(refused.message).toMatch(/^days:/);
		}
	});

	it('is refused with FORBIDDEN without MINISPOD_TEST_CLOCK and the payment simulator, and allowed with the flag', async () => {
		for (const [flag, allowed] of [
			['false', false],
			['true', true]
		] as const) {
			const real = await startTestRuntime({
				catalog: false,
				env: { MIDTRANS_SERVER_KEY: 'SB-Mid-server-test', MINISPOD_TEST_CLOCK: flag }
			});
			try {
				const admin = await callerFor(real, await createUser(real, { role: 'ADMINISTRATOR' }));
				const call = admin.admin.billing.advanceClock({ days: 1 });
				if (allowed) expect((await call).days).toBe(1);
				else expect((await rejection(call)).code).toBe('FORBIDDEN');
				expect(real.clock.offsetMs()).toBe(allowed ? DAY_MS : 0);
			} finally {
				await real.close();
			}
		}
	});
});

describe('subscriptions.billing', () => {
	it('is only for the owner', async () => {
		const { subscriptionId } = await shortCustomer('uptime-kuma');
		const stranger = await newCustomer(runtime);
		expect((await rejection(stranger.api.subscriptions.billing({ id: subscriptionId }))).code).toBe('NOT_FOUND');
		expect((await rejection(stranger.api.subscriptions.reactivate({ id: subscriptionId }))).code).toBe('NOT_FOUND');
		const row = await runtime.db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
		expect(row[0].status).toBe('ACTIVE');
	});

	it('forecasts from the balance alone without a renewing app, and counts only the apps that renew', async () => {
		const kuma = await planOf(runtime.db, 'uptime-kuma', 'PRO');
		const ghost = await planOf(runtime.db, 'ghost', 'BASIC');
		const credit = (kuma.monthlyPrice + ghost.monthlyPrice) * 2;
		const { user, api } = await newCustomer(runtime, credit);
		const empty = await api.subscriptions.forecast();
		expect(empty).toMatchObject({ balance: credit, monthlyTotal: 0, renewing: 0, firstUncovered: null, pastDue: [] });

		const renews = await api.subscriptions.subscribe({ planId: kuma.id });
		const stops = await api.subscriptions.subscribe({ planId: ghost.id });
		await runtime.db.update(subscriptions).set({ autoRenew: false }).where(eq(subscriptions.id, stops.subscriptionId));
		const forecast = await api.subscriptions.forecast();
		const { creditBalance } = await reloadUser(runtime, user.id);
		expect(forecast).toMatchObject({ balance: creditBalance, monthlyTotal: kuma.monthlyPrice, renewing: 1 });
		expect(forecast.firstUncovered?.subscriptionId).toBe(renews.subscriptionId);
	});

	it('counts a free subscription apart: it renews at no cost, so it is no renewal the credit covers', async () => {
		const free = await planOf(runtime.db, 'uptime-kuma', 'FREE');
		const ghost = await planOf(runtime.db, 'ghost', 'BASIC');
		expect(free.monthlyPrice).toBe(0);
		const { api } = await newCustomer(runtime, ghost.monthlyPrice);
		await api.subscriptions.subscribe({ planId: free.id });
		const onlyFree = await api.subscriptions.forecast();
		expect(onlyFree).toMatchObject({ monthlyTotal: 0, renewing: 0, free: 1, firstUncovered: null });

		const paid = await api.subscriptions.subscribe({ planId: ghost.id });
		const forecast = await api.subscriptions.forecast();
		expect(forecast).toMatchObject({ monthlyTotal: ghost.monthlyPrice, renewing: 1, free: 1 });
		expect(forecast.firstUncovered?.subscriptionId).toBe(paid.subscriptionId);
	});
});
