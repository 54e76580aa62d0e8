// Analytics from hand-made fixtures: a January (WIB) of customers, top-ups, subscriptions,
// charges, refunds, an upgrade, a suspension and app status history, with rows just before
// and after the month. Every figure below is worked out by hand from these rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import {
	instanceEvents,
	planSlotSnapshots,
	serviceInstances,
	subscriptions,
	transactions,
	users,
	type InstanceStatus,
	type PaymentMethod,
	type ServicePlan,
	type SubscriptionStatus,
	type User
} from '../../src/lib/server/db/schema';
import { applyBalanceChange } from '../../src/lib/server/wallet/ledger';
import { takeSlot } from '../../src/lib/server/subscriptions/quota';
import { reportCsv } from '../../src/lib/server/admin/analytics/csv';
import { toRange } from '../../src/lib/server/admin/analytics/range';
import { snapshotPlanSlots } from '../../src/lib/server/admin/analytics/snapshot';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { expectError } from '../support/errors';
import { expectInvariants } from '../support/invariants';

let runtime: TestRuntime;
let api: Awaited<ReturnType<typeof callerFor>>;

/** An instant given in WIB. */
const wib = (local: string) => new Date(`${local}+07:00`);
const january = { from: '2025-01-01', to: '2025-01-31' };

async function customer(name: string, joined: string): Promise<User> {
	const user = await createUser(runtime, { name });
	await runtime.db
		.update(users)
		.set({ createdAt: wib(joined) })
		.where(eq(users.id, user.id));
	return user;
}

let keys = 0;
/** A ledger change through the one balance writer, then dated when it happened. */
async function money(
	user: User,
	at: string,
	change: {
		type: 'TOP_UP' | 'SUBSCRIPTION' | 'UPGRADE' | 'REFUND';
		amount: number;
		method?: PaymentMethod;
		subscriptionId?: string;
		metadata?: Record<string, unknown>;
	}
) {
	keys += 1;
	const { transaction } = await applyBalanceChange(runtime.db, {
		userId: user.id,
		type: change.type,
		amount: change.amount,
		idempotencyKey: `fixture:${keys}`,
		description: 'Fixture',
		at: new Date(),
		paymentMethod: change.method ?? 'CREDIT',
		subscriptionId: change.subscriptionId,
		metadata: change.metadata
	});
	await runtime.db
		.update(transactions)
		.set({ createdAt: wib(at), completedAt: wib(at) })
		.where(eq(transactions.id, transaction.id));
}

/** A top-up that never completed. */
async function openTopUp(user: User, at: string, amount: number, method: PaymentMethod, status: 'PENDING' | 'FAILED') {
	keys += 1;
	await runtime.db.insert(transactions).values({
		userId: user.id,
		type: 'TOP_UP',
		status,
		amount,
		paymentMethod: method,
		description: 'Fixture top-up',
		idempotencyKey: `fixture:${keys}`,
		createdAt: wib(at)
	});
}

async function subscription(
	user: User,
	plan: ServicePlan,
	fields: { start: string; status: SubscriptionStatus; end: string; price?: number; suspendedAt?: string; isGrant?: boolean }
) {
	if (fields.status === 'ACTIVE') await takeSlot(runtime.db, plan.id);
	const [row] = await runtime.db
		.insert(subscriptions)
		.values({
			userId: user.id,
			serviceId: plan.serviceId,
			planId: plan.id,
			status: fields.status,
			startDate: wib(fields.start),
			currentPeriodStart: wib(fields.start),
			endDate: wib(fields.end),
			monthlyPrice: fields.price ?? plan.monthlyPrice,
			suspendedAt: fields.suspendedAt ? wib(fields.suspendedAt) : null,
			isGrant: fields.isGrant ?? false,
			createdAt: wib(fields.start)
		})
		.returning();
	return row;
}

/** An app and the statuses it went through, at the given WIB times. */
async function app(
	subscription: { id: string; userId: string; serviceId: string },
	created: string,
	history: [InstanceStatus, InstanceStatus, string][]
) {
	const { id: subscriptionId, userId } = subscription;
	const [instance] = await runtime.db
		.insert(serviceInstances)
		.values({
			subscriptionId,
			userId,
			name: 'Fixture app',
			subdomain: `fixture-${subscriptionId.slice(0, 8)}`,
			namespace: `user-${userId}`,
			status: history.at(-1)?.[1] ?? 'PENDING',
			createdAt: wib(created)
		})
		.returning();
	let since = created;
	for (const [previousStatus, status, at] of history) {
		await runtime.db.insert(instanceEvents).values({
			instanceId: instance.id,
			serviceId: subscription.serviceId,
			previousStatus,
			previousSince: wib(since),
			status,
			createdAt: wib(at)
		});
		since = at;
	}
	return instance;
}

beforeAll(async () => {
	runtime = await startTestRuntime();
	api = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
	const [giteaBasic, giteaPro, memosFree, memosBasic, vaultwardenBasic, ghostBasic, n8nBasic] = await Promise.all([
		planOf(runtime.db, 'gitea', 'BASIC'),
		planOf(runtime.db, 'gitea', 'PRO'),
		planOf(runtime.db, 'memos', 'FREE'),
		planOf(runtime.db, 'memos', 'BASIC'),
		planOf(runtime.db, 'vaultwarden', 'BASIC'),
		planOf(runtime.db, 'ghost', 'BASIC'),
		planOf(runtime.db, 'n8n', 'BASIC')
	]);
	// Fixed prices, whatever the seed says.
	const price = (plan: ServicePlan, monthlyPrice: number) => ({ ...plan, monthlyPrice });
	const [gBasic, gPro, mFree, mBasic, vBasic, ghBasic, nBasic] = [
		price(giteaBasic, 39_000),
		price(giteaPro, 89_000),
		price(memosFree, 0),
		price(memosBasic, 15_000),
		price(vaultwardenBasic, 19_000),
		price(ghostBasic, 59_000),
		price(n8nBasic, 49_000)
	];

	const a = await customer('Ayu', '2024-12-10T09:00:00');
	const b = await customer('Bima', '2025-01-05T09:00:00');
	const c = await customer('Citra', '2025-01-20T09:00:00');
	const d = await customer('Dodi', '2025-02-10T09:00:00');

	// Top-ups: 530.000 settled in January (one at 00:30 WIB on 1 January), others outside it or unsettled.
	await money(a, '2024-11-01T08:00:00', { type: 'TOP_UP', amount: 100_000, method: 'MIDTRANS_BANK_TRANSFER' });
	await money(a, '2024-12-20T08:00:00', { type: 'TOP_UP', amount: 80_000, method: 'MIDTRANS_E_WALLET' });
	await money(a, '2025-01-01T00:30:00', { type: 'TOP_UP', amount: 30_000, method: 'MIDTRANS_E_WALLET' });
	await money(a, '2025-01-02T10:00:00', { type: 'TOP_UP', amount: 200_000, method: 'MIDTRANS_BANK_TRANSFER' });
	await money(b, '2025-01-06T09:30:00', { type: 'TOP_UP', amount: 200_000, method: 'MIDTRANS_QRIS' });
	await openTopUp(b, '2025-01-07T11:00:00', 50_000, 'MIDTRANS_QRIS', 'FAILED');
	await openTopUp(c, '2025-01-20T10:00:00', 300_000, 'MIDTRANS_BANK_TRANSFER', 'PENDING');
	await money(c, '2025-01-21T10:00:00', { type: 'TOP_UP', amount: 100_000, method: 'MIDTRANS_QRIS' });
	await money(d, '2025-02-01T00:30:00', { type: 'TOP_UP', amount: 25_000, method: 'MIDTRANS_BANK_TRANSFER' });

	// S6: vaultwarden since November, suspended on 10 January.
	const s6 = await subscription(a, vBasic, {
		start: '2024-11-01T09:00:00',
		status: 'SUSPENDED',
		end: '2025-01-01T09:00:00',
		suspendedAt: '2025-01-10T09:00:00'
	});
	await money(a, '2024-11-01T09:00:00', {
		type: 'SUBSCRIPTION',
		amount: -19_000,
		subscriptionId: s6.id,
		metadata: { planId: vBasic.id }
	});
	// S1: gitea Basic since December, live throughout.
	const s1 = await subscription(a, gBasic, { start: '2024-12-20T09:00:00', status: 'ACTIVE', end: '2025-02-20T09:00:00' });
	await money(a, '2024-12-20T09:00:00', {
		type: 'SUBSCRIPTION',
		amount: -39_000,
		subscriptionId: s1.id,
		metadata: { planId: gBasic.id }
	});
	// S3: memos Basic from 3 January, terminated on 15 January with 7.000 back.
	const s3 = await subscription(a, mBasic, { start: '2025-01-03T09:00:00', status: 'CANCELLED', end: '2025-01-15T09:00:00' });
	await money(a, '2025-01-03T09:00:00', {
		type: 'SUBSCRIPTION',
		amount: -15_000,
		subscriptionId: s3.id,
		metadata: { planId: mBasic.id }
	});
	await money(a, '2025-01-15T09:00:00', { type: 'REFUND', amount: 7_000, subscriptionId: s3.id });
	// S2: gitea Pro from 6 January.
	const s2 = await subscription(b, gPro, { start: '2025-01-06T10:00:00', status: 'ACTIVE', end: '2025-02-06T10:00:00' });
	await money(b, '2025-01-06T10:00:00', {
		type: 'SUBSCRIPTION',
		amount: -89_000,
		subscriptionId: s2.id,
		metadata: { planId: gPro.id }
	});
	// S8: ghost Basic on 8 January, set-up failed and refunded at once: never paying.
	const s8 = await subscription(b, ghBasic, {
		start: '2025-01-08T09:00:00',
		status: 'PENDING_PAYMENT',
		end: '2025-02-08T09:00:00'
	});
	await money(b, '2025-01-08T09:00:00', {
		type: 'SUBSCRIPTION',
		amount: -59_000,
		subscriptionId: s8.id,
		metadata: { planId: ghBasic.id }
	});
	await money(b, '2025-01-08T09:05:01', { type: 'REFUND', amount: 59_000, subscriptionId: s8.id });
	// S5: a granted memos Basic for Bima.
	await subscription(b, mBasic, {
		start: '2025-01-10T09:00:00',
		status: 'ACTIVE',
		end: '2025-03-10T09:00:00',
		isGrant: true,
		price: 15_000
	});
	// S4: memos Free from 20 January, upgraded to Basic on 25 January for 10.000.
	const s4 = await subscription(c, mBasic, { start: '2025-01-20T12:00:00', status: 'ACTIVE', end: '2025-02-20T12:00:00' });
	await money(c, '2025-01-25T12:00:00', {
		type: 'UPGRADE',
		amount: -10_000,
		subscriptionId: s4.id,
		metadata: { upgradeId: 'u-1', fromPlanId: mFree.id, toPlanId: mBasic.id, fromMonthlyPrice: 0, toMonthlyPrice: 15_000 }
	});
	// S7: after January.
	await subscription(c, nBasic, { start: '2025-02-05T09:00:00', status: 'ACTIVE', end: '2025-03-05T09:00:00' });

	// Apps and their status history.
	await app(s2, '2025-01-06T10:00:00', [
		['PENDING', 'PROVISIONING', '2025-01-06T10:00:05'],
		['PROVISIONING', 'RUNNING', '2025-01-06T10:01:05']
	]);
	await app(s4, '2025-01-20T12:00:00', [
		['PENDING', 'PROVISIONING', '2025-01-20T12:00:02'],
		['PROVISIONING', 'ERROR', '2025-01-20T12:00:32'],
		['ERROR', 'PENDING', '2025-01-20T13:00:00'],
		['PENDING', 'PROVISIONING', '2025-01-20T13:00:01'],
		['PROVISIONING', 'RUNNING', '2025-01-20T13:00:21']
	]);
	await app(s8, '2025-01-08T09:00:00', [
		['PENDING', 'PROVISIONING', '2025-01-08T09:00:01'],
		['PROVISIONING', 'ERROR', '2025-01-08T09:05:01']
	]);
	await app(s1, '2024-12-20T09:00:00', [
		['PENDING', 'PROVISIONING', '2024-12-20T09:00:02'],
		['PROVISIONING', 'RUNNING', '2024-12-20T09:00:40'],
		['RUNNING', 'STOPPING', '2025-01-12T08:00:00'],
		['STOPPING', 'STOPPED', '2025-01-12T08:00:10'],
		['STOPPED', 'STARTING', '2025-01-12T09:00:00'],
		['STARTING', 'RUNNING', '2025-01-12T09:00:20'],
		['RUNNING', 'RESTARTING', '2025-01-13T09:00:00'],
		['RESTARTING', 'RUNNING', '2025-01-13T09:00:30']
	]);
	await app(s6, '2024-11-01T09:00:00', [
		['SUSPENDED', 'STARTING', '2025-01-09T09:00:00'],
		['STARTING', 'SUSPENDED', '2025-01-10T09:00:00']
	]);

	await runtime.db.insert(planSlotSnapshots).values([
		{ day: '2025-01-10', planId: gBasic.id, totalQuota: 20, usedQuota: 5 },
		{ day: '2025-01-11', planId: gBasic.id, totalQuota: 20, usedQuota: 6 },
		{ day: '2024-12-31', planId: gBasic.id, totalQuota: 20, usedQuota: 4 }
	]);
});
afterAll(async () => {
	await expectInvariants(runtime.db);
	await runtime?.close();
});

describe('admin.analytics.overview', () => {
	it('computes the month’s figures from the ledger, subscriptions and events', async () => {
		const overview = await api.admin.analytics.overview(january);
		expect(overview).toEqual({
			from: '2025-01-01',
			to: '2025-01-31',
			// S1 39.000 + S2 89.000 + S4 15.000 live at the end of January.
			mrr: 143_000,
			// S1, S2, S4 and the grant S5.
			activeSubscriptions: 4,
			revenueReceived: 530_000,
			// S2 89.000 + S3 15.000 - 7.000 + S4's upgrade 10.000 + S8 59.000 - 59.000.
			revenueEarned: 107_000,
			payingCustomers: 3,
			arpu: 47_667,
			// New: S3 15.000 + S2 89.000; expansion: S4's upgrade; churn: S3 ended, S6 suspended.
			mrrMovement: { new: 104_000, expansion: 15_000, churn: 34_000 },
			// S2, S3, S4, S8 (the grant S5 does not count).
			newSubscriptions: 4,
			// Of the two live when January began (S1, S6), S6 stopped (suspended); S3 began within it.
			churnedSubscriptions: 1,
			// Beside the new ones, all that stopped in January: S3, S6, and S8 whose set-up failed.
			stoppedSubscriptions: 3,
			churnRate: 0.5,
			churnBasis: { liveAtStart: 2, stopped: 1 },
			topUps: { created: 6, settled: 4, conversion: 4 / 6 },
			// Set-ups ended: S2 RUNNING after 60 s, S8 failed, S4 failed then RUNNING after 20 s.
			provisioning: { attempts: 4, succeeded: 2, failed: 2, successRate: 0.5, p50Seconds: 40, p95Seconds: 58 },
			customers: { total: 3, new: 2, withLiveSubscriptions: 3 }
		});
	});

	it('names the field of a bad range', async () => {
		const error = await expectError(api.admin.analytics.overview({ from: '2025-02-01', to: '2025-01-01' }), 'BAD_REQUEST');
		expect(error.message).toBe('to: The end date is before the start date');
	});
});

describe('admin.analytics.report', () => {
	const report = async (name: string, range: { from: string; to: string; by?: 'day' | 'month' } = january) =>
		(await api.admin.analytics.report({ ...range, report: name })).rows;

	it('revenue received: settled top-ups by day (WIB) and channel', async () => {
		expect(await report('revenue-received')).toEqual([
			{ period: '2025-01-01', channel: 'MIDTRANS_E_WALLET', top_ups: 1, amount: 30_000 },
			{ period: '2025-01-02', channel: 'MIDTRANS_BANK_TRANSFER', top_ups: 1, amount: 200_000 },
			{ period: '2025-01-06', channel: 'MIDTRANS_QRIS', top_ups: 1, amount: 200_000 },
			{ period: '2025-01-21', channel: 'MIDTRANS_QRIS', top_ups: 1, amount: 100_000 }
		]);
		expect(await report('revenue-received', { ...january, by: 'month' })).toEqual([
			{ period: '2025-01-01', channel: 'MIDTRANS_BANK_TRANSFER', top_ups: 1, amount: 200_000 },
			{ period: '2025-01-01', channel: 'MIDTRANS_E_WALLET', top_ups: 1, amount: 30_000 },
			{ period: '2025-01-01', channel: 'MIDTRANS_QRIS', top_ups: 2, amount: 300_000 }
		]);
	});

	it('revenue earned: charges net of refunds by service and plan', async () => {
		expect(await report('revenue-earned', { ...january, by: 'month' })).toEqual([
			{ period: '2025-01-01', service: 'Ghost', plan: 'Basic', charged: 59_000, refunded: 59_000, net: 0 },
			{ period: '2025-01-01', service: 'Gitea', plan: 'Pro', charged: 89_000, refunded: 0, net: 89_000 },
			{ period: '2025-01-01', service: 'Memos', plan: 'Basic', charged: 25_000, refunded: 7_000, net: 18_000 }
		]);
	});

	it('MRR at the end of each day and its movement', async () => {
		const rows = await report('mrr');
		expect(rows).toHaveLength(31);
		const day = (d: string) => rows.find((row) => row.period === d);
		expect(day('2025-01-01')).toEqual({ period: '2025-01-01', mrr: 58_000, new: 0, expansion: 0, churn: 0 });
		expect(day('2025-01-03')).toMatchObject({ mrr: 73_000, new: 15_000 });
		expect(day('2025-01-06')).toMatchObject({ mrr: 162_000, new: 89_000 });
		expect(day('2025-01-08')).toMatchObject({ mrr: 162_000, new: 0 });
		expect(day('2025-01-10')).toMatchObject({ mrr: 143_000, churn: 19_000 });
		expect(day('2025-01-15')).toMatchObject({ mrr: 128_000, churn: 15_000 });
		expect(day('2025-01-20')).toMatchObject({ mrr: 143_000, new: 0 });
		expect(day('2025-01-25')).toMatchObject({ mrr: 143_000, expansion: 15_000 });
		expect(day('2025-01-31')).toMatchObject({ mrr: 143_000 });
	});

	it('subscriptions started, and churned as the overview counts them', async () => {
		// Churned: S6, live when January began and suspended in it; S3 began within the month.
		expect(await report('subscriptions', { ...january, by: 'month' })).toEqual([{ period: '2025-01-01', new: 4, churned: 1 }]);
		// By day each day is a period of its own: S3, live when 15 January began, ended that day.
		const days = (await report('subscriptions')).filter((row) => row.new !== 0 || row.churned !== 0);
		expect(days).toEqual([
			{ period: '2025-01-03', new: 1, churned: 0 },
			{ period: '2025-01-06', new: 1, churned: 0 },
			{ period: '2025-01-08', new: 1, churned: 0 },
			{ period: '2025-01-10', new: 0, churned: 1 },
			{ period: '2025-01-15', new: 0, churned: 1 },
			{ period: '2025-01-20', new: 1, churned: 0 }
		]);
	});

	it('top-up conversion per channel', async () => {
		expect(await report('topups')).toEqual([
			{ channel: 'MIDTRANS_BANK_TRANSFER', created: 2, settled: 1, settled_amount: 200_000, conversion: 0.5 },
			{ channel: 'MIDTRANS_E_WALLET', created: 1, settled: 1, settled_amount: 30_000, conversion: 1 },
			{ channel: 'MIDTRANS_QRIS', created: 3, settled: 2, settled_amount: 300_000, conversion: 0.6667 }
		]);
	});

	it('provisioning attempts when they ended, success and time from the start of the set-up to RUNNING', async () => {
		expect(await report('provisioning')).toEqual([
			{ period: '2025-01-06', attempts: 1, succeeded: 1, failed: 0, success_rate: 1, p50_seconds: 60, p95_seconds: 60 },
			{ period: '2025-01-08', attempts: 1, succeeded: 0, failed: 1, success_rate: 0, p50_seconds: null, p95_seconds: null },
			{ period: '2025-01-20', attempts: 2, succeeded: 1, failed: 1, success_rate: 0.5, p50_seconds: 20, p95_seconds: 20 }
		]);
	});

	it('service control usage per day and service (a resume is not a start)', async () => {
		expect(await report('controls')).toEqual([
			{ period: '2025-01-12', service: 'Gitea', stop: 1, start: 1, restart: 0, retry: 0 },
			{ period: '2025-01-13', service: 'Gitea', stop: 0, start: 0, restart: 1, retry: 0 },
			{ period: '2025-01-20', service: 'Memos', stop: 0, start: 0, restart: 0, retry: 1 }
		]);
	});

	it('customer growth', async () => {
		const rows = await report('customers');
		expect(rows.find((row) => row.period === '2025-01-01')).toEqual({ period: '2025-01-01', new: 0, total: 1 });
		expect(rows.find((row) => row.period === '2025-01-05')).toEqual({ period: '2025-01-05', new: 1, total: 2 });
		expect(rows.at(-1)).toEqual({ period: '2025-01-31', new: 0, total: 3 });
	});

	it('slot utilisation from the daily snapshots, which the job writes', async () => {
		expect(await report('slots')).toEqual([
			{ period: '2025-01-10', service: 'Gitea', plan: 'Basic', total: 20, used: 5, utilisation: 0.25 },
			{ period: '2025-01-11', service: 'Gitea', plan: 'Basic', total: 20, used: 6, utilisation: 0.3 }
		]);
		expect(await report('slots', { ...january, by: 'month' })).toEqual([
			{ period: '2025-01-01', service: 'Gitea', plan: 'Basic', total: 20, used: 5.5, utilisation: 0.275 }
		]);
		const written = await snapshotPlanSlots(runtime.db, '2025-01-31');
		expect(written.plans).toBeGreaterThan(0);
		const again = await snapshotPlanSlots(runtime.db, '2025-01-31');
		expect(again.plans).toBe(written.plans);
		const [{ count }] = (
			await runtime.db.execute<{ count: number }>(
				sql`SELECT count(*)::int AS count FROM plan_slot_snapshots WHERE day = '2025-01-31'`
			)
		).rows;
		expect(count).toBe(written.plans);
		expect((await report('slots')).filter((row) => row.period === '2025-01-31')).toHaveLength(written.plans);
	});
});

describe('CSV export', () => {
	it('streams a report as CSV with a header', async () => {
		const text = await new Response(reportCsv(runtime.db, 'revenue-received', toRange({ ...january, by: 'month' }))).text();
		expect(text).toBe(
			[
				'period,channel,top_ups,amount',
				'2025-01-01,MIDTRANS_BANK_TRANSFER,1,200000',
				'2025-01-01,MIDTRANS_E_WALLET,1,30000',
				'2025-01-01,MIDTRANS_QRIS,2,300000',
				''
			].join('\r\n')
		);
		// The cursor's connection went back to the pool.
		expect(runtime.db.$client.totalCount - runtime.db.$client.idleCount).toBe(0);
	});

	it('streams more rows than one batch', async () => {
		const rows = (
			await new Response(reportCsv(runtime.db, 'mrr', toRange({ from: '2024-01-01', to: '2025-12-31', by: 'day' }))).text()
		)
			.trim()
			.split('\r\n');
		expect(rows).toHaveLength(1 + 731);
		expect(rows[0]).toBe('period,mrr,new,expansion,churn');
		expect(rows.find((row) => row.startsWith('2025-01-31,'))).toBe('2025-01-31,143000,0,0,0');
	});
});

describe('churn rate', () => {
	it('is the share of the subscriptions live at the start that stopped in the range', async () => {
		// June 2025: S1, S2, S4 and S7 live throughout; two more from May, of which one is
		// suspended and one terminated in June. Six live when June began, two of them stopped.
		const eko = await customer('Eko', '2025-05-01T09:00:00');
		const [ghostBasic, n8nBasic] = await Promise.all([planOf(runtime.db, 'ghost', 'BASIC'), planOf(runtime.db, 'n8n', 'BASIC')]);
		await subscription(eko, ghostBasic, {
			start: '2025-05-02T09:00:00',
			status: 'SUSPENDED',
			end: '2025-06-02T09:00:00',
			suspendedAt: '2025-06-10T09:00:00'
		});
		await subscription(eko, n8nBasic, { start: '2025-05-03T09:00:00', status: 'CANCELLED', end: '2025-06-12T09:00:00' });

		const june = await api.admin.analytics.overview({ from: '2025-06-01', to: '2025-06-30' });
		// The churned count is the rate's numerator: the suspension counts as well as the termination.
		expect(june.churnedSubscriptions).toBe(2);
		expect(june.churnRate).toBeCloseTo(2 / 6);
		expect(june.churnBasis).toEqual({ liveAtStart: 6, stopped: 2 });
		expect(
			await api.admin.analytics.report({ from: '2025-06-01', to: '2025-06-30', by: 'month', report: 'subscriptions' })
		).toMatchObject({
			rows: [{ period: '2025-06-01', new: 0, churned: 2 }]
		});
		// Neither was live when July began: July has no churn.
		const july = await api.admin.analytics.overview({ from: '2025-07-01', to: '2025-07-31' });
		expect(july.churnRate).toBe(0);
	});

	it('is none, not 0%, when no paid subscription was live at the start', async () => {
		// Before S6 (November 2024) nothing was live; S3 began and ended within the range.
		const overview = await api.admin.analytics.overview({ from: '2024-10-01', to: '2025-01-31' });
		// Not churn either: S3 and S6 stopped within the range, but neither was live at its start.
		expect(overview.churnedSubscriptions).toBe(0);
		expect(overview.churnBasis).toEqual({ liveAtStart: 0, stopped: 0 });
		// They did stop, though, as MRR churn counts them (and S8, whose set-up failed): the count
		// beside "new" says so (it said 0).
		expect(overview.stoppedSubscriptions).toBe(3);
		expect(overview.churnRate).toBeNull();
	});

	it('and the churned count beside it count the same subscriptions, whatever the range', async () => {
		for (const range of [
			january,
			{ from: '2025-01-10', to: '2025-01-20' },
			{ from: '2024-12-01', to: '2025-06-30' },
			{ from: '2025-06-01', to: '2025-06-30' }
		]) {
			const overview = await api.admin.analytics.overview(range);
			const { liveAtStart, stopped } = overview.churnBasis;
			expect(overview.churnedSubscriptions, `${range.from}..${range.to}`).toBe(stopped);
			expect(overview.churnRate, `${range.from}..${range.to}`).toBe(
				liveAtStart === 0 ? null : overview.churnedSubscriptions / liveAtStart
			);
		}
	});
});
