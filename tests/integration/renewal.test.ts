// Monthly renewal: charged once per period from the wallet through the ledger, the period
// moving on by the billing anchor; PAST_DUE when the balance is short; never for what does
// not renew. Renewals here run at chosen moments (sweepDueRenewals with `now`) on
// subscriptions started at chosen moments, so each test controls its own calendar.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { servicePlans, subscriptions, transactions, users } from '../../src/lib/server/db/schema';
import { retryDueRenewals, sweepDueRenewals } from '../../src/lib/server/subscriptions/renewal';
import { completeUpgrade } from '../../src/lib/server/subscriptions/upgrade';
import { grantSubscription } from '../../src/lib/server/subscriptions/admin';
import { periodChargeKey } from '../../src/lib/server/subscriptions/subscribe';
import { applyBalanceChange } from '../../src/lib/server/wallet/ledger';
import { createUser, newCustomer, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectInvariants } from '../support/invariants';
import { renewals as renewalsMetric } from '../../src/lib/server/metrics';

/** The renewals the metrics have counted with this outcome so far. */
async function renewalsCounted(outcome: 'charged' | 'failed') {
	const { values } = await renewalsMetric.get();
	return values.find((sample) => sample.labels.outcome === outcome)?.value ?? 0;
}
import { planOf, reloadPlan, reloadSubscription } from '../support/fixtures';
import { mailsOf, notificationsOf, subscribeAt, wib } from '../support/billing';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());
afterEach(async () => {
	await expectInvariants(runtime.db);
});

async function chargesOf(subscriptionId: string) {
	return runtime.db
		.select()
		.from(transactions)
		.where(and(eq(transactions.subscriptionId, subscriptionId), eq(transactions.type, 'SUBSCRIPTION')))
		.orderBy(transactions.createdAt);
}

/** Lets plans take as many subscriptions as a test needs. */
async function roomy(planId: string) {
	await runtime.db
		.update(servicePlans)
		.set({ totalQuota: sql`${servicePlans.usedQuota} + 500` })
		.where(eq(servicePlans.id, planId));
}

describe('renewal', () => {
	it('charges the plan price when the period ends, moves the period on and sends a receipt with the balance left', async () => {
		const { user } = await newCustomer(runtime, 500_000);
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		const start = wib('2025-03-10T09:00:00');
		const subscription = await subscribeAt(runtime, user, plan, start);
		const balanceAfterFirst = 500_000 - plan.monthlyPrice;

		// Not due a second before the end.
		expect((await sweepDueRenewals(runtime, { now: wib('2025-04-10T08:59:59') })).renewed).toBe(0);
		const chargedBefore = await renewalsCounted('charged');
		const tally = await sweepDueRenewals(runtime, { now: wib('2025-04-10T09:00:00') });
		expect(tally.renewed).toBeGreaterThanOrEqual(1);
		// The metrics count what the sweep committed.
		expect((await renewalsCounted('charged')) - chargedBefore).toBe(tally.renewed);

		const renewed = await reloadSubscription(runtime.db, subscription.id);
		expect(renewed).toMatchObject({
			status: 'ACTIVE',
			currentPeriodStart: wib('2025-04-10T09:00:00'),
			endDate: wib('2025-05-10T09:00:00'),
			lastChargeAmount: plan.monthlyPrice
		});
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balanceAfterFirst - plan.monthlyPrice);
		const charges = await chargesOf(subscription.id);
		expect(charges.map((c) => c.idempotencyKey)).toEqual([
			periodChargeKey(subscription.id, start),
			periodChargeKey(subscription.id, wib('2025-04-10T09:00:00'))
		]);
		expect(charges[1]).toMatchObject({ status: 'COMPLETED', amount: -plan.monthlyPrice, paymentMethod: 'CREDIT' });

		const [receipt] = await notificationsOf(runtime, user.id, 'SUBSCRIPTION_RENEWED');
		expect(receipt.body).toContain('10 Apr 2025 – 10 May 2025');
		expect(receipt.body).toContain(`Rp ${(balanceAfterFirst - plan.monthlyPrice).toLocaleString('id-ID')}`);
		expect((await mailsOf(runtime, user.id)).map((m) => (m.data as { title: string }).title)).toContain('Ghost renewed');
	});

	it('keeps the anchor day across month ends: 31 Jan -> 28 Feb -> 31 Mar -> 30 Apr', async () => {
		const { user } = await newCustomer(runtime, 1_000_000);
		const plan = await planOf(runtime.db, 'memos', 'BASIC');
		const subscription = await subscribeAt(runtime, user, plan, wib('2025-01-31T10:00:00'));
		expect(subscription.endDate).toEqual(wib('2025-02-28T10:00:00'));
		for (const [at, next] of [
			['2025-02-28T10:00:00', '2025-03-31T10:00:00'],
			['2025-03-31T10:00:00', '2025-04-30T10:00:00'],
			['2025-04-30T10:00:00', '2025-05-31T10:00:00']
		]) {
			await sweepDueRenewals(runtime, { now: wib(at) });
			expect((await reloadSubscription(runtime.db, subscription.id)).endDate).toEqual(wib(next));
		}
		expect((await chargesOf(subscription.id)).map((c) => (c.metadata as { periodStart: string }).periodStart)).toEqual(
			['2025-01-31T10:00:00', '2025-02-28T10:00:00', '2025-03-31T10:00:00', '2025-04-30T10:00:00'].map((t) =>
				wib(t).toISOString()
			)
		);
	});

	it('renews a subscription several periods behind one period at a time, each charged once', async () => {
		const { user } = await newCustomer(runtime, 1_000_000);
		const plan = await planOf(runtime.db, 'gitea', 'BASIC');
		const subscription = await subscribeAt(runtime, user, plan, wib('2025-01-05T08:00:00'));
		await sweepDueRenewals(runtime, { now: wib('2025-04-06T00:00:00') });
		expect((await reloadSubscription(runtime.db, subscription.id)).endDate).toEqual(wib('2025-05-05T08:00:00'));
		expect(await chargesOf(subscription.id)).toHaveLength(4);
	});

	it('goes PAST_DUE when the balance is short, keeping its slot and telling the customer the shortfall', async () => {
		const plan = await planOf(runtime.db, 'n8n', 'BASIC');
		const { user } = await newCustomer(runtime, plan.monthlyPrice + 10_000);
		const subscription = await subscribeAt(runtime, user, plan, wib('2025-06-01T12:00:00'));
		const used = (await reloadPlan(runtime.db, plan.id)).usedQuota;

		const failedBefore = await renewalsCounted('failed');
		const lapsed = await sweepDueRenewals(runtime, { now: wib('2025-07-01T12:00:00') });
		expect((await renewalsCounted('failed')) - failedBefore).toBe(lapsed.pastDue);
		const pastDue = await reloadSubscription(runtime.db, subscription.id);
		expect(pastDue).toMatchObject({ status: 'PAST_DUE', endDate: wib('2025-07-01T12:00:00') });
		expect(pastDue.gracePeriodEnd).toEqual(wib('2025-07-08T12:00:00'));
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(used);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(10_000);
		expect(await chargesOf(subscription.id)).toHaveLength(1);

		const [failed] = await notificationsOf(runtime, user.id, 'RENEWAL_FAILED');
		const shortfall = plan.monthlyPrice - 10_000;
		expect(failed.link).toBe(`/wallet?amount=${shortfall}`);
		expect(failed.body).toContain(`Rp ${shortfall.toLocaleString('id-ID')} short`);
		const [mail] = (await mailsOf(runtime, user.id)).filter((m) => m.essential);
		expect(mail.data).toMatchObject({ title: failed.title });
		// A second sweep neither charges nor tells again.
		await sweepDueRenewals(runtime, { now: wib('2025-07-02T12:00:00') });
		expect(await notificationsOf(runtime, user.id, 'RENEWAL_FAILED')).toHaveLength(1);
	});

	it('pays the oldest due renewals first, as many as the balance covers; a credit pays the rest', async () => {
		const ghost = await planOf(runtime.db, 'ghost', 'BASIC');
		const memos = await planOf(runtime.db, 'memos', 'BASIC');
		const kuma = await planOf(runtime.db, 'uptime-kuma', 'BASIC');
		// The first periods, then exactly enough for the two oldest renewals.
		const firstPeriods = ghost.monthlyPrice + memos.monthlyPrice + kuma.monthlyPrice;
		const user = await createUser(runtime, { credit: firstPeriods + ghost.monthlyPrice + memos.monthlyPrice });
		const oldest = await subscribeAt(runtime, user, ghost, wib('2025-08-01T10:00:00'));
		const middle = await subscribeAt(runtime, user, memos, wib('2025-08-02T10:00:00'));
		const newest = await subscribeAt(runtime, user, kuma, wib('2025-08-03T10:00:00'));

		const now = wib('2025-09-04T00:00:00');
		await sweepDueRenewals(runtime, { now });
		expect((await reloadSubscription(runtime.db, oldest.id)).status).toBe('ACTIVE');
		expect((await reloadSubscription(runtime.db, middle.id)).status).toBe('ACTIVE');
		expect((await reloadSubscription(runtime.db, newest.id)).status).toBe('PAST_DUE');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);

		await applyBalanceChange(runtime.db, {
			userId: user.id,
			type: 'ADMIN_ADJUSTMENT',
			amount: kuma.monthlyPrice,
			idempotencyKey: `oldest-first:${user.id}`,
			description: 'Test credit',
			at: new Date()
		});
		expect((await retryDueRenewals(runtime, user.id, now)).renewed).toBe(1);
		expect(await reloadSubscription(runtime.db, newest.id)).toMatchObject({
			status: 'ACTIVE',
			currentPeriodStart: wib('2025-09-03T10:00:00'),
			gracePeriodEnd: null
		});
	});
});

describe('exactly once', () => {
	/** `count` customers with one due Memos subscription each, started on `at`. */
	async function dueSubscriptions(count: number, at: Date) {
		const plan = await planOf(runtime.db, 'memos', 'PRO');
		await roomy(plan.id);
		const created = [];
		for (let i = 0; i < count; i++) {
			const user = await createUser(runtime, { credit: plan.monthlyPrice * 3 });
			created.push(await subscribeAt(runtime, user, plan, at));
		}
		return { plan, ids: created.map((s) => s.id) };
	}

	async function renewalCharges(ids: string[], periodStart: Date) {
		const rows = await runtime.db
			.select({ subscriptionId: transactions.subscriptionId })
			.from(transactions)
			.where(
				and(
					eq(transactions.type, 'SUBSCRIPTION'),
					sql`${transactions.subscriptionId} = ANY(${sql.param(ids)}::uuid[])`,
					sql`${transactions.metadata}->>'periodStart' = ${periodStart.toISOString()}`
				)
			);
		return rows.map((row) => row.subscriptionId);
	}

	it('two sweeps racing over the same due subscriptions charge each period once', async () => {
		const { ids } = await dueSubscriptions(40, wib('2025-10-15T10:00:00'));
		const now = wib('2025-11-15T10:00:00');
		const [a, b] = await Promise.all([
			sweepDueRenewals(runtime, { now, batchSize: 7 }),
			sweepDueRenewals(runtime, { now, batchSize: 7 })
		]);
		// Older subscriptions of other tests fall due by then too.
		expect(a.renewed + b.renewed).toBeGreaterThanOrEqual(40);
		const charged = await renewalCharges(ids, now);
		expect(charged.sort()).toEqual([...ids].sort());
		for (const id of ids) expect((await reloadSubscription(runtime.db, id)).endDate).toEqual(wib('2025-12-15T10:00:00'));
	});

	it('a crash between the charge and the commit charges nothing; the re-run charges once', async () => {
		const { ids } = await dueSubscriptions(3, wib('2025-10-20T10:00:00'));
		const [victim] = ids;
		const before = await reloadSubscription(runtime.db, victim);
		const { balance } = (
			await runtime.db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, before.userId))
		)[0];
		// A statement that fails after the ledger write, inside the renewal's transaction.
		await runtime.db.execute(
			sql.raw(`
			CREATE FUNCTION crash_renewal() RETURNS trigger AS $$
			BEGIN RAISE EXCEPTION 'injected crash'; END $$ LANGUAGE plpgsql;
			CREATE TRIGGER crash_renewal BEFORE UPDATE OF end_date ON subscriptions
			FOR EACH ROW WHEN (OLD.id = '${victim}') EXECUTE FUNCTION crash_renewal();`)
		);
		const now = wib('2025-11-20T10:00:00');
		const crashed = await sweepDueRenewals(runtime, { now, batchSize: 10 });
		expect(crashed.failed).toBe(1);
		expect(await reloadSubscription(runtime.db, victim)).toMatchObject({ status: 'ACTIVE', endDate: before.endDate });
		expect(await renewalCharges([victim], now)).toEqual([]);
		expect((await reloadUser(runtime, before.userId)).creditBalance).toBe(balance);
		// The others were renewed despite it.
		expect((await renewalCharges(ids, now)).sort()).toEqual(ids.slice(1).sort());

		await runtime.db.execute(sql.raw('DROP TRIGGER crash_renewal ON subscriptions; DROP FUNCTION crash_renewal();'));
		const rerun = await sweepDueRenewals(runtime, { now });
		expect(rerun.renewed).toBeGreaterThanOrEqual(1);
		expect(await renewalCharges([victim], now)).toEqual([victim]);
		expect((await reloadUser(runtime, before.userId)).creditBalance).toBe(balance - before.monthlyPrice);
		// Running it again changes nothing.
		await sweepDueRenewals(runtime, { now });
		expect(await renewalCharges(ids, now)).toHaveLength(3);
	});

	it('a credit arriving while the sweep runs does not charge a period twice', async () => {
		const { ids } = await dueSubscriptions(10, wib('2025-10-25T10:00:00'));
		const now = wib('2025-11-25T10:00:00');
		const owners = await runtime.db
			.select({ userId: subscriptions.userId })
			.from(subscriptions)
			.where(sql`${subscriptions.id} = ANY(${sql.param(ids)}::uuid[])`);
		await Promise.all([
			sweepDueRenewals(runtime, { now, batchSize: 3 }),
			...owners.map(({ userId }) => retryDueRenewals(runtime, userId, now))
		]);
		expect((await renewalCharges(ids, now)).sort()).toEqual([...ids].sort());
	});
});

describe('what does not renew', () => {
	it('a subscription cancelled at period end ends instead, uncharged', async () => {
		const { user, api } = await newCustomer(runtime, 500_000);
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		const subscription = await subscribeAt(runtime, user, plan, wib('2025-05-05T10:00:00'));
		await api.subscriptions.cancel({ id: subscription.id, when: 'period_end' });
		const balance = (await reloadUser(runtime, user.id)).creditBalance;
		await sweepDueRenewals(runtime, { now: wib('2025-06-05T10:00:00') });
		expect((await reloadSubscription(runtime.db, subscription.id)).status).toBe('ACTIVE');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balance);
		expect(await chargesOf(subscription.id)).toHaveLength(1);
	});

	it('a grant renews without charge until it ends, then from the credit like any other', async () => {
		const adminUser = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const plan = await planOf(runtime.db, 'n8n', 'PRO');
		const { user } = await newCustomer(runtime, plan.monthlyPrice);
		const { subscriptionId } = await grantSubscription(runtime, adminUser, { userId: user.id, planId: plan.id, months: 2 });
		const granted = await reloadSubscription(runtime.db, subscriptionId);
		expect(await chargesOf(subscriptionId)).toEqual([]);

		// A month in, the grant still runs: nothing is due.
		const monthIn = new Date(granted.startDate.getTime() + 31 * 86_400_000);
		await sweepDueRenewals(runtime, { now: monthIn });
		expect(await chargesOf(subscriptionId)).toEqual([]);

		await sweepDueRenewals(runtime, { now: granted.endDate });
		const paid = await reloadSubscription(runtime.db, subscriptionId);
		expect(paid).toMatchObject({ status: 'ACTIVE', isGrant: false, currentPeriodStart: granted.endDate });
		expect(await chargesOf(subscriptionId)).toHaveLength(1);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});

	it('a free plan moves on without a ledger row', async () => {
		const { user } = await newCustomer(runtime, 0);
		const plan = await planOf(runtime.db, 'uptime-kuma', 'FREE');
		const subscription = await subscribeAt(runtime, user, plan, wib('2025-02-14T10:00:00'));
		await sweepDueRenewals(runtime, { now: wib('2025-03-14T10:00:00') });
		expect(await reloadSubscription(runtime.db, subscription.id)).toMatchObject({
			status: 'ACTIVE',
			endDate: wib('2025-04-14T10:00:00')
		});
		expect(await chargesOf(subscription.id)).toEqual([]);
	});

	it('waits for a pending upgrade and then charges the new price', async () => {
		const basic = await planOf(runtime.db, 'gitea', 'PRO');
		const premium = await planOf(runtime.db, 'gitea', 'PREMIUM');
		const { user } = await newCustomer(runtime, 2_000_000);
		const subscription = await subscribeAt(runtime, user, basic, wib('2025-07-07T10:00:00'));
		// An upgrade whose cluster update is still running when the period ends.
		await runtime.db.transaction(async (tx) => {
			const { takeSlot } = await import('../../src/lib/server/subscriptions/quota');
			await takeSlot(tx, premium.id);
			await tx
				.update(subscriptions)
				.set({ status: 'PENDING_UPGRADE', planId: premium.id, previousPlanId: basic.id, monthlyPrice: premium.monthlyPrice })
				.where(eq(subscriptions.id, subscription.id));
		});
		const now = wib('2025-08-07T10:00:00');
		await sweepDueRenewals(runtime, { now });
		expect(await chargesOf(subscription.id)).toHaveLength(1);
		expect((await retryDueRenewals(runtime, user.id, now)).renewed).toBe(0);

		await completeUpgrade(runtime.db, { subscriptionId: subscription.id, upgradeId: 'test-upgrade' });
		await sweepDueRenewals(runtime, { now });
		const charges = await chargesOf(subscription.id);
		expect(charges).toHaveLength(2);
		expect(charges[1].amount).toBe(-premium.monthlyPrice);
	});

	it('never charges a suspended, expired or cancelled subscription', async () => {
		const plan = await planOf(runtime.db, 'ghost', 'PRO');
		const statuses = ['SUSPENDED', 'EXPIRED', 'CANCELLED'] as const;
		const ids: string[] = [];
		for (const status of statuses) {
			const { user } = await newCustomer(runtime, 1_000_000);
			const subscription = await subscribeAt(runtime, user, plan, wib('2025-04-01T10:00:00'));
			// Take the slot back as the real paths do, so the books stay straight.
			const { releaseSlot } = await import('../../src/lib/server/subscriptions/quota');
			await runtime.db.transaction(async (tx) => {
				await releaseSlot(tx, plan.id);
				await tx.update(subscriptions).set({ status }).where(eq(subscriptions.id, subscription.id));
			});
			ids.push(subscription.id);
		}
		await sweepDueRenewals(runtime, { now: wib('2025-05-02T00:00:00') });
		for (const id of ids) expect(await chargesOf(id)).toHaveLength(1);
	});
});
