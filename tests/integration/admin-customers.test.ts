// Administrators looking after customers: the list (search, filters, sorting, pages), one
// customer in full, blocking and unblocking, and who is an administrator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { auditLog, sessions, subscriptions, transactions, users, type User } from '../../src/lib/server/db/schema';
import { createCaller } from '../../src/lib/server/router';
import { startSession } from '../../src/lib/server/auth/service';
import { validateSessionToken } from '../../src/lib/server/auth/sessions';
import { callerFor, createUser, newCustomer, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf, queuedJobs, reloadSubscription } from '../support/fixtures';
import { expectError, rejection } from '../support/errors';
import { expectInvariants } from '../support/invariants';
import { inLocale } from '../support/locale';
import { loadPage } from '../support/pages';
import { load as loadCustomersPage } from '../../src/routes/admin/customers/+page.server';

let runtime: TestRuntime;
let admin: User;
let adminApi: Awaited<ReturnType<typeof callerFor>>;
beforeAll(async () => {
	runtime = await startTestRuntime();
	admin = await createUser(runtime, { role: 'ADMINISTRATOR', name: 'Ops Admin' });
	adminApi = await callerFor(runtime, admin);
});
afterAll(async () => {
	await expectInvariants(runtime.db);
	await runtime?.close();
});

const tag = () => randomUUID().slice(0, 8);
const anonymous = () => createCaller({ runtime, user: null, session: null, ipAddress: '127.0.0.1' });

describe('admin.customers.list', () => {
	it('shows balance, live subscriptions and monthly spend, and finds customers by name or e-mail', async () => {
		const marker = tag();
		const { user, api } = await newCustomer(runtime, 500_000);
		await runtime.db
			.update(users)
			.set({ name: `Dewi ${marker}` })
			.where(eq(users.id, user.id));
		const basic = await planOf(runtime.db, 'memos', 'BASIC');
		const free = await planOf(runtime.db, 'uptime-kuma', 'FREE');
		await api.subscriptions.subscribe({ planId: basic.id });
		await api.subscriptions.subscribe({ planId: free.id });

		const byName = await adminApi.admin.customers.list({ q: `dewi ${marker}` });
		expect(byName.total).toBe(1);
		expect(byName.items[0]).toEqual({
			id: user.id,
			name: `Dewi ${marker}`,
			email: user.email,
			role: 'USER',
			blocked: false,
			creditBalance: 500_000 - basic.monthlyPrice,
			liveSubscriptions: 2,
			monthlySpend: basic.monthlyPrice,
			pastDue: false,
			createdAt: user.createdAt
		});
		const byEmail = await adminApi.admin.customers.list({ q: user.email.toUpperCase() });
		expect(byEmail.items.map((row) => row.id)).toEqual([user.id]);
	});

	it('counts live subscriptions alike on the overview and in the customers list: a suspended one is live, an ended one is not', async () => {
		const marker = tag();
		const { user, api } = await newCustomer(runtime, 500_000);
		await runtime.db
			.update(users)
			.set({ name: `Live ${marker}` })
			.where(eq(users.id, user.id));
		const before = (await adminApi.admin.overview()).liveSubscriptions;
		const free = await planOf(runtime.db, 'uptime-kuma', 'FREE');
		const basic = await planOf(runtime.db, 'memos', 'BASIC');
		const paid = await api.subscriptions.subscribe({ planId: basic.id });
		const gratis = await api.subscriptions.subscribe({ planId: free.id });
		await adminApi.admin.subscriptions.suspend({ id: paid.subscriptionId, reason: 'Payment dispute under review' });
		expect((await reloadSubscription(runtime.db, paid.subscriptionId)).status).toBe('SUSPENDED');
		const listed = async () => (await adminApi.admin.customers.list({ q: `live ${marker}` })).items[0].liveSubscriptions;
		expect(await listed()).toBe(2);
		expect((await adminApi.admin.overview()).liveSubscriptions - before).toBe(2);
		await api.subscriptions.cancel({ id: gratis.subscriptionId, when: 'now' });
		expect(await listed()).toBe(1);
		expect((await adminApi.admin.overview()).liveSubscriptions - before).toBe(1);
	});

	it('filters by live subscriptions, past due, blocked and balance, and sorts and pages', async () => {
		const marker = tag();
		const make = async (name: string, credit: number) => {
			const user = await createUser(runtime, { name: `${marker} ${name}`, credit });
			return { user, api: await callerFor(runtime, user) };
		};
		const rich = await make('Rich', 900_000);
		await make('Poor', 10_000);
		const late = await make('Late', 300_000);
		const blocked = await make('Blocked', 50_000);
		await rich.api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'gitea', 'PRO')).id });
		const { subscriptionId } = await late.api.subscriptions.subscribe({
			planId: (await planOf(runtime.db, 'gitea', 'BASIC')).id
		});
		// Its paid period is over while it is still live.
		await runtime.db
			.update(subscriptions)
			.set({ endDate: new Date(Date.now() - 3_600_000) })
			.where(eq(subscriptions.id, subscriptionId));
		await adminApi.admin.customers.block({ userId: blocked.user.id, reason: 'Chargeback fraud' });

		const names = async (input: Parameters<typeof adminApi.admin.customers.list>[0]) =>
			(await adminApi.admin.customers.list({ q: marker, ...input })).items.map((row) => row.name.replace(`${marker} `, ''));

		expect(await names({ filter: 'live', sort: 'name', order: 'asc' })).toEqual(['Late', 'Rich']);
		expect(await names({ filter: 'past_due' })).toEqual(['Late']);
		expect(await names({ filter: 'blocked' })).toEqual(['Blocked']);
		expect(await names({ balanceAbove: 50_000, sort: 'balance', order: 'desc' })).toEqual(['Rich', 'Late', 'Blocked']);
		expect(await names({ balanceBelow: 50_000, sort: 'balance', order: 'asc' })).toEqual(['Poor', 'Blocked']);
		expect((await names({ sort: 'spend', order: 'desc' })).slice(0, 2)).toEqual(['Rich', 'Late']);
		expect((await names({ sort: 'live', order: 'asc' })).slice(2)).toEqual(expect.arrayContaining(['Rich', 'Late']));
		const pageOne = await adminApi.admin.customers.list({ q: marker, sort: 'name', order: 'asc', pageSize: 3, page: 1 });
		const pageTwo = await adminApi.admin.customers.list({ q: marker, sort: 'name', order: 'asc', pageSize: 3, page: 2 });
		expect(pageOne.total).toBe(4);
		expect([...pageOne.items, ...pageTwo.items].map((row) => row.name.replace(`${marker} `, ''))).toEqual([
			'Blocked',
			'Late',
			'Poor',
			'Rich'
		]);
	});

	it('names the field of bad input', async () => {
		const error = await expectError(adminApi.admin.customers.list({ balanceAbove: 1.5 }), 'BAD_REQUEST');
		expect(error.message).toMatch(/^balanceAbove: Use whole rupiah/);
		const reversed = await expectError(
			adminApi.admin.customers.list({ balanceAbove: 500_000, balanceBelow: 100 }),
			'BAD_REQUEST'
		);
		expect(reversed.message).toBe('balanceBelow: The maximum balance is below the minimum');
	});
});

describe('customers page', () => {
	const open = (query: string) => loadPage(runtime, admin, `/admin/customers?${query}`, loadCustomersPage);

	it('tells a maximum balance below the minimum beside it, instead of silently matching no one', async () => {
		const page = await open('balanceAbove=500000&balanceBelow=100');
		expect(page.problems).toEqual({ balanceBelow: 'Saldo maksimal lebih kecil dari saldo minimal' });
		expect(page.typed).toEqual({ balanceAbove: '500000', balanceBelow: '100' });
	});

	it('tells a balance that is no amount beside its field, kept as typed, instead of dropping it', async () => {
		const page = await open('balanceAbove=-100&balanceBelow=abc');
		const unreadable = 'Isi rupiah bulat, 0 atau lebih, dengan angka saja';
		expect(page.problems).toEqual({ balanceAbove: unreadable, balanceBelow: unreadable });
		expect(page.typed).toEqual({ balanceAbove: '-100', balanceBelow: 'abc' });
		expect(page.list.items).toEqual([]);

		const fine = await open('balanceAbove=100&balanceBelow=500000');
		expect(fine.problems).toEqual({});
	});
});

describe('admin.customers.get', () => {
	it('shows profile, wallet and ledger, subscriptions with their apps, notifications and the audit trail', async () => {
		const { user, api } = await newCustomer(runtime, 400_000);
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		const { subscriptionId, instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		await adminApi.admin.wallet.adjust({ userId: user.id, direction: 'credit', amount: 25_000, reason: 'Goodwill credit' });
		await adminApi.admin.subscriptions.extend({ id: subscriptionId, days: 3, reason: 'Downtime compensation' });

		const detail = await adminApi.admin.customers.get({ userId: user.id });
		expect(detail.profile).toMatchObject({ id: user.id, email: user.email, role: 'USER', blocked: false, activeSessions: 1 });
		expect(detail.wallet).toEqual({
			balance: 400_000 - plan.monthlyPrice + 25_000,
			totalTopUp: 0,
			totalSpent: plan.monthlyPrice
		});
		expect(detail.ledger.total).toBe(3);
		expect(detail.ledger.items.map((row) => [row.type, row.amount])).toEqual([
			['ADMIN_ADJUSTMENT', 25_000],
			['SUBSCRIPTION', -plan.monthlyPrice],
			['ADMIN_ADJUSTMENT', 400_000]
		]);
		expect(detail.ledger.items[0].adminNotes).toBe('Goodwill credit');
		expect(detail.subscriptions).toHaveLength(1);
		expect(detail.subscriptions[0]).toMatchObject({
			id: subscriptionId,
			status: 'ACTIVE',
			service: { slug: 'vaultwarden' },
			plan: { id: plan.id },
			instance: { id: instanceId, status: 'PENDING' }
		});
		expect(detail.notifications.map((n) => n.type)).toEqual(
			expect.arrayContaining(['SUBSCRIPTION_STARTED', 'WALLET_ADJUSTED', 'SUBSCRIPTION_EXTENDED'])
		);
		expect(detail.audit.map((entry) => entry.action)).toEqual(['subscription.extend', 'wallet.adjustment.credit']);
		expect(detail.audit[0].actor).toEqual({ id: admin.id, name: admin.name, email: admin.email });
		// Nothing secret travels: no password hash, no generated secrets.
		expect(JSON.stringify(detail)).not.toMatch(/passwordHash|argon2|generatedSecrets/);
	});

	it('orders the ledger by when each row took effect, so its balance reads top to bottom', async () => {
		const { user, api } = await newCustomer(runtime, 400_000);
		const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
		const form = new FormData();
		form.set('amount', '75000');
		form.set('file', new File([PNG], 'receipt.png', { type: 'image/png' }));
		// The proof is begun first, the subscription is charged, and then the proof is approved.
		const proof = await api.wallet.uploadProof(form);
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		await api.subscriptions.subscribe({ planId: plan.id });
		await adminApi.admin.wallet.approveProof({ id: proof.id });

		const { items } = (await adminApi.admin.customers.get({ userId: user.id })).ledger;
		expect(items.map((row) => [row.type, row.amount])).toEqual([
			['TOP_UP', 75_000],
			['SUBSCRIPTION', -plan.monthlyPrice],
			['ADMIN_ADJUSTMENT', 400_000]
		]);
		expect(items.map((row) => row.balanceAfter)).toEqual([
			400_000 - plan.monthlyPrice + 75_000,
			400_000 - plan.monthlyPrice,
			400_000
		]);
		expect(items[0].completedAt!.getTime()).toBeGreaterThan(items[1].createdAt.getTime());
		expect(items[0].createdAt.getTime()).toBeLessThan(items[1].createdAt.getTime());
	});

	it('tells how each top-up ended as its owner reads it: a cancelled one is not "Failed"', async () => {
		const { user, api } = await newCustomer(runtime, 0);
		for (const [index, metadata] of [
			{ cancelReason: 'cancelled' },
			{ cancelReason: 'expired', cancelSource: 'job' },
			{ rejectionReason: 'No transfer arrived.' },
			{}
		].entries()) {
			const { transactionId } = await api.wallet.topUp({ amount: 10_000 + index * 1_000, method: 'QRIS' });
			await runtime.db.update(transactions).set({ status: 'FAILED', metadata }).where(eq(transactions.id, transactionId));
		}
		const detail = await adminApi.admin.customers.get({ userId: user.id });
		const history = await api.wallet.transactions({ page: 1 });
		expect(detail.ledger.items.map((row) => row.displayStatus)).toEqual(history.items.map((item) => item.displayStatus));
		expect(detail.ledger.items.map((row) => row.displayStatus).sort()).toEqual(['CANCELLED', 'EXPIRED', 'FAILED', 'REJECTED']);
	});

	it("words the ledger and the notifications in the administrator's language, as the customer reads them", async () => {
		const { user, api } = await newCustomer(runtime, 400_000);
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		await api.subscriptions.subscribe({ planId: plan.id });
		await adminApi.admin.wallet.adjust({ userId: user.id, direction: 'credit', amount: 25_000, reason: 'Goodwill credit' });
		for (const locale of ['id', 'en'] as const) {
			const [detail, history, sent] = await inLocale(locale, () =>
				Promise.all([
					adminApi.admin.customers.get({ userId: user.id }),
					api.wallet.transactions({ page: 1 }),
					api.notifications.list()
				])
			);
			expect(detail.ledger.items.map((row) => row.description)).toEqual(history.items.map((item) => item.description));
			const titles = new Map(sent.items.map((n) => [n.id, n.title]));
			for (const notification of detail.notifications) expect(notification.title).toBe(titles.get(notification.id));
		}
		const english = await inLocale('en', () => adminApi.admin.customers.get({ userId: user.id }));
		const indonesian = await inLocale('id', () => adminApi.admin.customers.get({ userId: user.id }));
		expect(indonesian.ledger.items.map((row) => row.description)).not.toEqual(english.ledger.items.map((row) => row.description));
	});

	it('refuses an unknown customer', async () => {
		await expectError(adminApi.admin.customers.get({ userId: randomUUID() }), 'NOT_FOUND');
	});
});

describe('blocking', () => {
	it('ends every session at once, refuses login, keeps the apps running, and is audited', async () => {
		const { user, api } = await newCustomer(runtime, 200_000);
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'memos', 'BASIC')).id });
		const { token } = await startSession(runtime.db, user.id, 30);
		const jobsBefore = (await queuedJobs(runtime.db, 'instance-action')).length;

		const blocked = await adminApi.admin.customers.block({ userId: user.id, reason: 'Abuse of the platform' });
		expect(blocked).toMatchObject({ id: user.id, blocked: true, sessionsEnded: 2 });
		expect(await runtime.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
		expect(await validateSessionToken(runtime.db, token, { days: 30 })).toBeNull();
		const refused = await rejection(anonymous().auth.login({ email: user.email, password: 'correct horse battery' }));
		expect(refused.trpcCode).toBe('FORBIDDEN');
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');
		expect(await queuedJobs(runtime.db, 'instance-action')).toHaveLength(jobsBefore);
		const [entry] = await runtime.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityId, user.id), eq(auditLog.action, 'user.block')));
		expect(entry).toMatchObject({
			actorId: admin.id,
			entityType: 'user',
			details: { reason: 'Abuse of the platform', sessionsEnded: 2 }
		});

		await expectError(adminApi.admin.customers.block({ userId: user.id, reason: 'Again, twice' }), 'CONFLICT');
		const unblocked = await adminApi.admin.customers.unblock({ userId: user.id, reason: 'Appeal accepted' });
		expect(unblocked.blocked).toBe(false);
		expect((await anonymous().auth.login({ email: user.email, password: 'correct horse battery' })).id).toBe(user.id);
		await expectError(adminApi.admin.customers.unblock({ userId: user.id, reason: 'Not blocked now' }), 'CONFLICT');
	});

	it('needs a reason, and never blocks oneself', async () => {
		const user = await createUser(runtime);
		expect((await expectError(adminApi.admin.customers.block({ userId: user.id, reason: 'no' }), 'BAD_REQUEST')).message).toMatch(
			/^reason: Give a reason/
		);
		await expectError(adminApi.admin.customers.block({ userId: admin.id, reason: 'Locking myself out' }), 'CONFLICT');
		expect((await reloadUser(runtime, admin.id)).isActive).toBe(true);
	});
});

describe('administrators', () => {
	it('makes and removes an administrator, audited', async () => {
		const user = await createUser(runtime);
		const made = await adminApi.admin.customers.setRole({
			userId: user.id,
			role: 'ADMINISTRATOR',
			reason: 'Joins the support team'
		});
		expect(made.role).toBe('ADMINISTRATOR');
		const promoted = await callerFor(runtime, await reloadUser(runtime, user.id));
		expect((await promoted.admin.customers.list({ q: user.email })).total).toBe(1);
		const removed = await adminApi.admin.customers.setRole({ userId: user.id, role: 'USER', reason: 'Left the support team' });
		expect(removed.role).toBe('USER');
		const actions = await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, user.id));
		expect(actions.map((entry) => entry.action).sort()).toEqual(['user.make_admin', 'user.remove_admin']);
	});

	it('never removes or blocks the last active administrator, even when two act at once', async () => {
		// A database of its own: this test needs to know every administrator.
		const solo = await startTestRuntime({ catalog: false });
		try {
			const first = await createUser(solo, { role: 'ADMINISTRATOR' });
			const second = await createUser(solo, { role: 'ADMINISTRATOR' });
			const [firstApi, secondApi] = [await callerFor(solo, first), await callerFor(solo, second)];
			const results = await Promise.allSettled([
				firstApi.admin.customers.setRole({ userId: second.id, role: 'USER', reason: 'Demoting the other one' }),
				secondApi.admin.customers.setRole({ userId: first.id, role: 'USER', reason: 'Demoting the other one' })
			]);
			expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
			const admins = await solo.db.select().from(users).where(eq(users.role, 'ADMINISTRATOR'));
			expect(admins).toHaveLength(1);
			const last = admins[0];
			const lastApi = last.id === first.id ? firstApi : secondApi;
			const refused = await rejection(
				lastApi.admin.customers.setRole({ userId: last.id, role: 'USER', reason: 'Stepping down now' })
			);
			expect(refused.message).toMatch(/last active administrator/);
			// Blocking oneself is refused anyway; the last administrator cannot be blocked by anyone.
			const other = await createUser(solo, { role: 'ADMINISTRATOR' });
			await solo.db.update(users).set({ isActive: false }).where(eq(users.id, other.id));
			await expectError(lastApi.admin.customers.block({ userId: last.id, reason: 'Locking myself out' }), 'CONFLICT');
		} finally {
			await solo.close();
		}
	});
});
