import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { auditLog, notifications, servicePlans, waitlistEntries } from '../../src/lib/server/db/schema';
import { lapseOffers } from '../../src/lib/server/waitlist/service';
import { callerFor, createUser, newCustomer, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectInvariants } from '../support/invariants';
import { DAY_MS, instanceOf, planOf, queuedJobs, reloadPlan, reloadSubscription } from '../support/fixtures';
import { rejection } from '../support/errors';
import { inLocale } from '../support/locale';
import { formatRupiah } from '../../src/lib/format';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());
afterEach(async () => {
	await expectInvariants(runtime.db);
});

const customer = (credit?: number) => newCustomer(runtime, credit);

async function admin() {
	const user = await createUser(runtime, { role: 'ADMINISTRATOR' });
	return { user, api: await callerFor(runtime, user) };
}

async function soldOut(slug: string, planType: 'BASIC' | 'PRO' | 'PREMIUM') {
	const plan = await planOf(runtime.db, slug, planType);
	const holder = await customer();
	await runtime.db
		.update(servicePlans)
		.set({ totalQuota: plan.usedQuota + 1 })
		.where(eq(servicePlans.id, plan.id));
	const { subscriptionId } = await holder.api.subscriptions.subscribe({ planId: plan.id });
	return { plan, holder, subscriptionId };
}

describe('waitlist', () => {
	it('is only for sold-out plans, and joining twice keeps one place in line', async () => {
		const open = await planOf(runtime.db, 'gitea', 'BASIC');
		const { api } = await customer();
		expect((await rejection(api.waitlist.join({ planId: open.id }))).code).toBe('BAD_REQUEST');

		const { plan } = await soldOut('ghost', 'PREMIUM');
		const first = await customer();
		const second = await customer();
		const entry = await first.api.waitlist.join({ planId: plan.id });
		expect((await first.api.waitlist.join({ planId: plan.id })).id).toBe(entry.id);
		await second.api.waitlist.join({ planId: plan.id });
		expect((await first.api.waitlist.list()).map((e) => e.position)).toEqual([1]);
		expect((await second.api.waitlist.list()).map((e) => e.position)).toEqual([2]);
	});

	it('tells the first in line when a slot frees, lapses the notice after a day, then tells the next', async () => {
		const { plan, holder, subscriptionId } = await soldOut('uptime-kuma', 'PREMIUM');
		const first = await customer();
		const second = await customer();
		await first.api.waitlist.join({ planId: plan.id });
		await second.api.waitlist.join({ planId: plan.id });

		await holder.api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		const [firstEntry] = await first.api.waitlist.list();
		expect(firstEntry.status).toBe('NOTIFIED');
		expect(firstEntry.offerExpiresAt!.getTime() - firstEntry.notifiedAt!.getTime()).toBe(DAY_MS);
		const notes = await runtime.db.select().from(notifications).where(eq(notifications.userId, first.user.id));
		expect(notes.map((n) => n.type)).toContain('WAITLIST_SLOT_AVAILABLE');
		expect((await second.api.waitlist.list())[0].status).toBe('WAITING');

		// Before a day has passed nothing lapses; after, the next in line is told.
		expect((await lapseOffers(runtime.db)).lapsed).toBe(0);
		const tomorrow = new Date(Date.now() + DAY_MS + 60_000);
		expect(await lapseOffers(runtime.db, tomorrow)).toEqual({ lapsed: 1, offered: 1 });
		expect(await first.api.waitlist.list()).toEqual([]);
		const [secondEntry] = await second.api.waitlist.list();
		expect(secondEntry.status).toBe('NOTIFIED');

		// Buying fulfils the entry.
		await second.api.subscriptions.subscribe({ planId: plan.id });
		const [fulfilled] = await runtime.db
			.select()
			.from(waitlistEntries)
			.where(and(eq(waitlistEntries.userId, second.user.id), eq(waitlistEntries.planId, plan.id)));
		expect(fulfilled.status).toBe('FULFILLED');
	});

	it('can be left', async () => {
		const { plan } = await soldOut('memos', 'PREMIUM');
		const { api } = await customer();
		const other = await customer();
		const entry = await api.waitlist.join({ planId: plan.id });
		expect((await rejection(other.api.waitlist.leave({ id: entry.id }))).code).toBe('NOT_FOUND');
		await api.waitlist.leave({ id: entry.id });
		expect(await api.waitlist.list()).toEqual([]);
	});

	it('offers the free slot to the next in line at once when the one told of it leaves', async () => {
		const { plan, holder, subscriptionId } = await soldOut('vaultwarden', 'PREMIUM');
		const first = await customer();
		const second = await customer();
		await first.api.waitlist.join({ planId: plan.id });
		await second.api.waitlist.join({ planId: plan.id });
		await holder.api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		const [told] = await first.api.waitlist.list();
		expect(told.status).toBe('NOTIFIED');
		expect((await second.api.waitlist.list())[0].status).toBe('WAITING');

		await first.api.waitlist.leave({ id: told.id });
		expect((await second.api.waitlist.list())[0].status).toBe('NOTIFIED');
		const notes = await runtime.db.select().from(notifications).where(eq(notifications.userId, second.user.id));
		expect(notes.map((n) => n.type)).toContain('WAITLIST_SLOT_AVAILABLE');
	});

	it("tells the catalog which plans a customer waits for, that customer's own only, until they leave", async () => {
		const { plan } = await soldOut('hedgedoc', 'PREMIUM');
		const { api } = await customer();
		const other = await customer();
		expect(await api.waitlist.plans()).toEqual([]);
		const entry = await api.waitlist.join({ planId: plan.id });
		expect(await api.waitlist.plans()).toEqual([{ planId: plan.id, serviceId: plan.serviceId }]);
		expect(await other.api.waitlist.plans()).toEqual([]);
		await api.waitlist.leave({ id: entry.id });
		expect(await api.waitlist.plans()).toEqual([]);
	});
});

describe('admin', () => {
	it('procedures refuse customers', async () => {
		const { api } = await customer();
		expect((await rejection(api.admin.subscriptions.list({ page: 1, pageSize: 10 }))).code).toBe('FORBIDDEN');
		expect((await rejection(api.admin.quota.overview())).code).toBe('FORBIDDEN');
		const plan = await planOf(runtime.db, 'n8n', 'BASIC');
		expect((await rejection(api.admin.quota.setTotal({ planId: plan.id, totalQuota: 1000 }))).code).toBe('FORBIDDEN');
	});

	it('lists and filters all subscriptions', async () => {
		const { api } = await admin();
		const c = await customer();
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		const { subscriptionId } = await c.api.subscriptions.subscribe({ planId: plan.id });
		const byCustomer = await api.admin.subscriptions.list({ q: c.user.email, page: 1, pageSize: 10 });
		expect(byCustomer.items.map((s) => s.id)).toEqual([subscriptionId]);
		expect(byCustomer.items[0].user.email).toBe(c.user.email);
		// Its app's status, which the page follows while the app is busy.
		expect(byCustomer.items[0].instanceStatus).toBe((await instanceOf(runtime.db, subscriptionId)).status);
		const byPlan = await api.admin.subscriptions.list({ planId: plan.id, status: 'ACTIVE', page: 1, pageSize: 100 });
		expect(byPlan.items.every((s) => s.planId === plan.id && s.status === 'ACTIVE')).toBe(true);
		expect(byPlan.total).toBeGreaterThanOrEqual(1);
	});

	it('grants a bonus subscription without charge that still takes a slot, audited', async () => {
		const { user: adminUser, api } = await admin();
		const c = await customer(0);
		const plan = await planOf(runtime.db, 'n8n', 'PREMIUM');
		const { subscriptionId } = await api.admin.subscriptions.grant({ userId: c.user.id, planId: plan.id, months: 3 });
		const subscription = await reloadSubscription(runtime.db, subscriptionId);
		expect(subscription).toMatchObject({ isGrant: true, grantedBy: adminUser.id, status: 'ACTIVE' });
		expect(subscription.endDate.getTime() - subscription.startDate.getTime()).toBeGreaterThan(88 * DAY_MS);
		expect((await reloadUser(runtime, c.user.id)).creditBalance).toBe(0);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota + 1);
		const audits = await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, subscriptionId));
		expect(audits.map((a) => a.action)).toContain('subscription.grant');
		// The customer is told what follows the grant: renewals at the plan's price from the credit.
		const [started] = (await inLocale('en', () => c.api.notifications.list())).items.filter(
			(n) => n.type === 'SUBSCRIPTION_STARTED'
		);
		expect(started.body).toMatch(/^You were granted n8n .+ free until \d{1,2} \w{3} \d{4}\. After that it renews at /);
		expect(started.body).toContain(`renews at ${formatRupiah(plan.monthlyPrice)} a month from your credit`);
		// A granted subscription refunds nothing when terminated, and its dialog says so first.
		expect(await api.admin.subscriptions.terminationRefund({ id: subscriptionId })).toEqual({ subscriptionId, refund: 0 });
		const result = await api.admin.subscriptions.terminate({ id: subscriptionId, refund: true, reason: 'End of promotion' });
		expect(result.refunded).toBe(0);
	});

	it('refuses to grant an app the customer already subscribes to, in the operator’s words', async () => {
		const { api } = await admin();
		const c = await customer();
		const { subscriptionId } = await c.api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'gitea', 'BASIC')).id });
		const plan = await planOf(runtime.db, 'gitea', 'PRO');
		const grant = () => api.admin.subscriptions.grant({ userId: c.user.id, planId: plan.id, months: 1 });
		const refused = await rejection(grant());
		expect(refused.code).toBe('DUPLICATE_SUBSCRIPTION');
		expect(refused.message).toBe('This customer already subscribes to Gitea. Change or extend that subscription.');
		expect(refused.details).toEqual({ subscriptionId });
		expect((await inLocale('id', () => rejection(grant()))).message).toBe(
			'Pelanggan ini sudah berlangganan Gitea. Ubah atau perpanjang langganan itu.'
		);
	});

	it('extends a period', async () => {
		const { api } = await admin();
		const c = await customer();
		const plan = await planOf(runtime.db, 'gitea', 'PRO');
		const { subscriptionId } = await c.api.subscriptions.subscribe({ planId: plan.id });
		const before = await reloadSubscription(runtime.db, subscriptionId);
		await api.admin.subscriptions.extend({ id: subscriptionId, days: 7, reason: 'Compensation for downtime' });
		const after = await reloadSubscription(runtime.db, subscriptionId);
		expect(after.endDate.getTime() - before.endDate.getTime()).toBe(7 * DAY_MS);
		expect((await rejection(api.admin.subscriptions.extend({ id: subscriptionId, days: 7, reason: '' }))).code).toBe(
			'BAD_REQUEST'
		);
	});

	it('suspends (slot released, app scaled down) and resumes (slot taken again)', async () => {
		const { api } = await admin();
		const c = await customer();
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		const { subscriptionId } = await c.api.subscriptions.subscribe({ planId: plan.id });
		await api.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Abuse report under review' });
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('SUSPENDED');
		// The customer reads the administrator's reason on the subscription, not only in the notification.
		expect((await c.api.subscriptions.get({ id: subscriptionId })).suspensionNote).toBe('Abuse report under review');
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
		const instance = await instanceOf(runtime.db, subscriptionId);
		const actions = await queuedJobs<{ instanceId: string; action: string }>(runtime.db, 'instance-action');
		expect(actions.map((j) => j.data)).toContainEqual({ instanceId: instance.id, action: 'suspend' });
		expect((await rejection(api.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Again please' }))).code).toBe(
			'INVALID_STATE'
		);

		await api.admin.subscriptions.resume({ id: subscriptionId });
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');
		expect((await c.api.subscriptions.get({ id: subscriptionId })).suspensionNote).toBeNull();
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota + 1);
	});

	it('terminates with or without refund', async () => {
		const { api } = await admin();
		const withRefund = await customer();
		const without = await customer();
		const plan = await planOf(runtime.db, 'memos', 'BASIC');
		const a = await withRefund.api.subscriptions.subscribe({ planId: plan.id });
		const b = await without.api.subscriptions.subscribe({ planId: plan.id });
		// The dialog shows the refund before anything changes; the termination then gives it (the
		// seconds between them may round it down by one step of Rp 100).
		const preview = await api.admin.subscriptions.terminationRefund({ id: a.subscriptionId });
		expect(preview.refund).toBeGreaterThan(plan.monthlyPrice - 10);
		expect((await reloadSubscription(runtime.db, a.subscriptionId)).status).toBe('ACTIVE');
		expect((await reloadUser(runtime, withRefund.user.id)).creditBalance).toBe(1_000_000 - plan.monthlyPrice);
		expect((await rejection(withRefund.api.admin.subscriptions.terminationRefund({ id: a.subscriptionId }))).code).toBe(
			'FORBIDDEN'
		);
		const refunded = await api.admin.subscriptions.terminate({ id: a.subscriptionId, refund: true, reason: 'Customer request' });
		expect(preview.refund - refunded.refunded).toBeGreaterThanOrEqual(0);
		expect(preview.refund - refunded.refunded).toBeLessThanOrEqual(100);
		// Once ended, nothing is left to give back.
		expect((await api.admin.subscriptions.terminationRefund({ id: a.subscriptionId })).refund).toBe(0);
		const kept = await api.admin.subscriptions.terminate({ id: b.subscriptionId, refund: false, reason: 'Terms violation' });
		expect(refunded.refunded).toBeGreaterThan(plan.monthlyPrice - 10);
		expect(kept.refunded).toBe(0);
		expect((await reloadUser(runtime, without.user.id)).creditBalance).toBe(1_000_000 - plan.monthlyPrice);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
	});

	it('refunds the paid days left of a suspended app when the administrator asks; its owner ending it gets none', async () => {
		const { api } = await admin();
		const plan = await planOf(runtime.db, 'memos', 'BASIC');
		const byAdmin = await customer();
		const byOwner = await customer();
		const a = await byAdmin.api.subscriptions.subscribe({ planId: plan.id });
		const b = await byOwner.api.subscriptions.subscribe({ planId: plan.id });
		for (const { subscriptionId } of [a, b])
			await api.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Abuse report under review' });

		// The period was paid minutes ago: almost all of it comes back (it came back as Rp 0).
		const { refunded } = await api.admin.subscriptions.terminate({
			id: a.subscriptionId,
			refund: true,
			reason: 'Customer request'
		});
		expect(refunded).toBeGreaterThan(plan.monthlyPrice - 200);
		expect((await reloadUser(runtime, byAdmin.user.id)).creditBalance).toBe(1_000_000 - plan.monthlyPrice + refunded);

		// The owner's own "terminate now" refunds an active period only, as its dialog says.
		expect((await byOwner.api.subscriptions.cancel({ id: b.subscriptionId, when: 'now' })).refunded).toBe(0);
		expect((await reloadUser(runtime, byOwner.user.id)).creditBalance).toBe(1_000_000 - plan.monthlyPrice);
	});

	it('sets a plan total, never below the used count, and offers new slots to the waitlist', async () => {
		const { api } = await admin();
		const { plan } = await soldOut('vaultwarden', 'PREMIUM');
		const waiting = await customer();
		await waiting.api.waitlist.join({ planId: plan.id });
		const full = await reloadPlan(runtime.db, plan.id);

		const error = await api.admin.quota.setTotal({ planId: plan.id, totalQuota: full.usedQuota - 1 }).catch((e: TRPCError) => e);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).message).toMatch(/^totalQuota:/);
		expect((await reloadPlan(runtime.db, plan.id)).totalQuota).toBe(full.totalQuota);

		const result = await api.admin.quota.setTotal({ planId: plan.id, totalQuota: full.usedQuota + 2 });
		expect(result.plan.availableQuota).toBe(2);
		expect(result.offered).toBe(1);
		expect((await waiting.api.waitlist.list())[0].status).toBe('NOTIFIED');
	});

	it('shows total, used and available slots per plan and service', async () => {
		const { api } = await admin();
		const overview = await api.admin.quota.overview();
		const n8n = overview.find((s) => s.service.slug === 'n8n')!;
		expect(n8n.plans.map((p) => p.planType)).toEqual(['FREE', 'BASIC', 'PRO', 'PREMIUM']);
		for (const plan of n8n.plans) {
			expect(plan.available).toBe(plan.totalQuota - plan.usedQuota);
			expect(plan.liveSubscriptions).toBe(plan.usedQuota);
		}
		expect(n8n.total).toBe(n8n.plans.reduce((sum, p) => sum + p.totalQuota, 0));
		expect(n8n.used).toBe(n8n.plans.reduce((sum, p) => sum + p.usedQuota, 0));
	});

	it('finds users by e-mail to act for', async () => {
		const { api } = await admin();
		const c = await customer();
		const found = await api.admin.users({ q: c.user.email.slice(0, 12) });
		expect(found.map((u) => u.id)).toContain(c.user.id);
	});
});
