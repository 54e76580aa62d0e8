// The operations view: apps by status and health with their last error, failed background
// jobs and the retry of safe ones, the webhook log with verdicts, and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { auditLog, instanceEvents, paymentEvents, type User } from '../../src/lib/server/db/schema';
import { updateInstance } from '../../src/lib/server/instances/state';
import type { QueueName } from '../../src/lib/server/queue';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { expectError, rejection } from '../support/errors';
import { expectInvariants } from '../support/invariants';
import { loadPage } from '../support/pages';
import { load as loadAuditPage } from '../../src/routes/admin/operations/audit/+page.server';

let runtime: TestRuntime;
let admin: User;
let adminApi: Awaited<ReturnType<typeof callerFor>>;
beforeAll(async () => {
	runtime = await startTestRuntime();
	admin = await createUser(runtime, { role: 'ADMINISTRATOR', name: 'Night Shift' });
	adminApi = await callerFor(runtime, admin);
});
afterAll(async () => {
	await expectInvariants(runtime.db);
	await runtime?.close();
});

async function anApp(name: string) {
	const { api, user } = await newCustomer(runtime, 1_000_000);
	const { instanceId } = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'memos', 'FREE')).id, name });
	return { instanceId, user };
}

describe('apps', () => {
	it('filters failed, unhealthy and stuck apps, with the last error and a link to logs and events', async () => {
		const marker = randomUUID().slice(0, 6);
		const failed = await anApp(`failed ${marker}`);
		await updateInstance(runtime.db, failed.instanceId, { status: 'PROVISIONING' });
		await updateInstance(runtime.db, failed.instanceId, { status: 'ERROR', statusReason: 'Image pull failed: not found' });

		const recovered = await anApp(`recovered ${marker}`);
		await updateInstance(runtime.db, recovered.instanceId, { status: 'ERROR', statusReason: 'Back-off restarting' });
		await updateInstance(runtime.db, recovered.instanceId, { status: 'RUNNING', statusReason: null, healthStatus: 'failing' });

		const stuck = await anApp(`stuck ${marker}`);
		await updateInstance(runtime.db, stuck.instanceId, { status: 'PROVISIONING' });
		await runtime.db
			.update(instanceEvents)
			.set({ createdAt: new Date(Date.now() - 20 * 60_000) })
			.where(eq(instanceEvents.instanceId, stuck.instanceId));

		const fresh = await anApp(`fresh ${marker}`);
		await updateInstance(runtime.db, fresh.instanceId, { status: 'PROVISIONING' });

		const names = async (input: Parameters<typeof adminApi.admin.operations.apps>[0]) =>
			(await adminApi.admin.operations.apps({ q: marker, ...input })).items
				.map((app) => app.name.replace(` ${marker}`, ''))
				.sort();
		expect(await names({})).toEqual(['failed', 'fresh', 'recovered', 'stuck']);
		expect(await names({ filter: 'error' })).toEqual(['failed']);
		expect(await names({ filter: 'unhealthy' })).toEqual(['failed', 'recovered']);
		expect(await names({ filter: 'stuck', minutes: 10 })).toEqual(['stuck']);
		expect(await names({ filter: 'stuck', minutes: 30 })).toEqual([]);
		expect(await names({ status: 'RUNNING' })).toEqual(['recovered']);

		const { items } = await adminApi.admin.operations.apps({ q: `recovered ${marker}` });
		expect(items[0]).toMatchObject({
			status: 'RUNNING',
			healthStatus: 'failing',
			lastError: 'Back-off restarting',
			user: { id: recovered.user.id },
			service: { slug: 'memos' },
			link: `/instances/${recovered.instanceId}`
		});
		// The link opens for an administrator: the app page with its logs and events.
		expect((await adminApi.instances.get({ id: recovered.instanceId })).id).toBe(recovered.instanceId);
	});

	it('keeps every status an app entered, with the one it left', async () => {
		const { instanceId } = await anApp('history');
		await updateInstance(runtime.db, instanceId, { status: 'PROVISIONING' });
		await updateInstance(runtime.db, instanceId, { status: 'PROVISIONING', statusReason: null });
		await updateInstance(runtime.db, instanceId, { status: 'RUNNING' }, ['STOPPING']);
		await updateInstance(runtime.db, instanceId, { status: 'RUNNING' }, ['PROVISIONING']);
		await updateInstance(runtime.db, instanceId, { healthStatus: 'healthy' });
		const history = await runtime.db.select().from(instanceEvents).where(eq(instanceEvents.instanceId, instanceId));
		expect(history.map((event) => [event.previousStatus, event.status])).toEqual([
			['PENDING', 'PROVISIONING'],
			['PROVISIONING', 'RUNNING']
		]);
	});

	it('keeps a history without gaps when changes of one app race', async () => {
		const { instanceId } = await anApp('racing history');
		// The app's worker (PENDING is no worker's to leave at once) and four operations at once,
		// each to a status of its own: whatever order they take, each event left the status the
		// one before it entered.
		const targets = ['PROVISIONING', 'STOPPING', 'STOPPED', 'STARTING', 'RESTARTING'] as const;
		await Promise.all(targets.map((status) => updateInstance(runtime.db, instanceId, { status })));
		const history = await runtime.db.select().from(instanceEvents).where(eq(instanceEvents.instanceId, instanceId));
		expect(history).toHaveLength(targets.length);
		let status: string = 'PENDING';
		for (let step = 0; step < targets.length; step++) {
			const next = history.filter((event) => event.previousStatus === status);
			expect(next).toHaveLength(1);
			status = next[0].status;
		}
		expect(targets).toContain(status);
	});
});

describe('failed jobs', () => {
	async function failedJob(queue: QueueName, data: object, error: string) {
		const id = (await runtime.boss.send(queue, data, { retryLimit: 0 }))!;
		const [job] = await runtime.boss.fetch(queue);
		expect(job.id).toBe(id);
		await runtime.boss.fail(queue, id, { message: error });
		return id;
	}

	it('lists failed jobs with their error and retries a safe one, audited', async () => {
		const safe = await failedJob('slot-snapshot', {}, 'connection reset');
		const unsafe = await failedJob('instance-action', { instanceId: randomUUID(), action: 'stop' }, 'cluster unreachable');

		const list = await adminApi.admin.operations.failedJobs({});
		const byId = new Map(list.items.map((job) => [job.id, job]));
		expect(byId.get(safe)).toMatchObject({ queue: 'slot-snapshot', error: 'connection reset', canRetry: true, archived: false });
		expect(byId.get(unsafe)).toMatchObject({ queue: 'instance-action', error: 'cluster unreachable', canRetry: false });
		expect((await adminApi.admin.operations.failedJobs({ queue: 'instance-action' })).items.map((job) => job.id)).toEqual([
			unsafe
		]);

		expect(await adminApi.admin.operations.retryJob({ queue: 'slot-snapshot', id: safe })).toEqual({
			id: safe,
			queue: 'slot-snapshot',
			state: 'retry'
		});
		expect((await runtime.boss.getJobById('slot-snapshot', safe))?.state).toBe('retry');
		const [entry] = await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, safe));
		expect(entry).toMatchObject({ actorId: admin.id, action: 'job.retry', details: { queue: 'slot-snapshot' } });

		const refused = await rejection(adminApi.admin.operations.retryJob({ queue: 'instance-action', id: unsafe }));
		expect(refused.code).toBe('INVALID_STATE');
		expect((await runtime.boss.getJobById('instance-action', unsafe))?.state).toBe('failed');
		await expectError(adminApi.admin.operations.retryJob({ queue: 'slot-snapshot', id: safe }), 'CONFLICT');
		await expectError(adminApi.admin.operations.retryJob({ queue: 'no-such-queue', id: safe }), 'NOT_FOUND');
	});
});

describe('webhook log', () => {
	it('shows every notification with its verdict, filterable', async () => {
		const order = `TXMP-OPS-${randomUUID().slice(0, 8)}`;
		const outcomes = ['credited', 'ignored_duplicate', 'rejected_signature', 'ignored_stale', 'amount_mismatch'];
		for (const [index, outcome] of outcomes.entries()) {
			await runtime.db.insert(paymentEvents).values({
				orderId: order,
				transactionStatus: 'settlement',
				signatureValid: outcome !== 'rejected_signature',
				outcome,
				payload: {},
				receivedAt: new Date(Date.now() - (outcomes.length - index) * 1000)
			});
		}
		const log = await adminApi.admin.operations.webhooks({ orderId: order });
		expect(log.items.map((event) => event.verdict)).toEqual(['amount mismatch', 'stale', 'forged', 'duplicate', 'applied']);
		const forged = await adminApi.admin.operations.webhooks({ orderId: order, outcome: 'rejected_signature' });
		expect(forged.items).toHaveLength(1);
		expect(forged.items[0]).toMatchObject({ signatureValid: false, verdict: 'forged' });
	});
});

describe('audit log', () => {
	it('filters by actor, action, target and time', async () => {
		const other = await createUser(runtime, { role: 'ADMINISTRATOR', name: 'Day Shift' });
		const otherApi = await callerFor(runtime, other);
		const target = await createUser(runtime);
		await adminApi.admin.customers.block({ userId: target.id, reason: 'Spam from this account' });
		await otherApi.admin.customers.unblock({ userId: target.id, reason: 'Cleared after review' });
		await adminApi.admin.wallet.adjust({ userId: target.id, direction: 'credit', amount: 1_000, reason: 'Small goodwill' });

		const actions = async (input: Parameters<typeof adminApi.admin.operations.audit>[0]) =>
			(await adminApi.admin.operations.audit({ entityId: target.id, ...input })).items.map((entry) => entry.action);
		expect(await actions({})).toEqual(['wallet.adjustment.credit', 'user.unblock', 'user.block']);
		expect(await actions({ actor: 'day shift' })).toEqual(['user.unblock']);
		expect(await actions({ actor: admin.email })).toEqual(['wallet.adjustment.credit', 'user.block']);
		expect(await actions({ action: 'user.' })).toEqual(['user.unblock', 'user.block']);
		expect(await actions({ entityType: 'user', action: 'wallet' })).toEqual(['wallet.adjustment.credit']);
		expect(await actions({ from: '2000-01-01', to: '2000-12-31' })).toEqual([]);
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
		expect(await actions({ from: today, to: today })).toHaveLength(3);
		const [blocked] = (await adminApi.admin.operations.audit({ entityId: target.id, action: 'user.block' })).items;
		expect(blocked).toMatchObject({
			actor: { id: admin.id, name: 'Night Shift' },
			entityType: 'user',
			details: { reason: 'Spam from this account' }
		});
	});

	it('names what each entry points at, its target and the ids in its details, with the admin page of each', async () => {
		const { user } = await newCustomer(runtime, 0);
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		const { subscriptionId } = await adminApi.admin.subscriptions.grant({ userId: user.id, planId: plan.id, months: 1 });
		await adminApi.admin.customers.block({ userId: user.id, reason: 'Spam from this account' });

		const [granted] = (await adminApi.admin.operations.audit({ entityId: subscriptionId })).items;
		expect(granted.entityType).toBe('subscription');
		expect(granted.target).toEqual({
			name: `Vaultwarden ${plan.name} · ${user.name} (${user.email})`,
			link: `/admin/customers/${user.id}`
		});
		expect(granted.details).toEqual({ userId: `${user.name} (${user.email})`, planId: `Vaultwarden ${plan.name}`, months: 1 });
		const [blocked] = (await adminApi.admin.operations.audit({ entityId: user.id, action: 'user.block' })).items;
		expect(blocked.target).toEqual({ name: `${user.name} (${user.email})`, link: `/admin/customers/${user.id}` });
		// An id that names no row (a deleted one) stays as it was, without a target.
		const gone = randomUUID();
		await runtime.db
			.insert(auditLog)
			.values({ action: 'user.block', entityType: 'user', entityId: gone, details: { userId: gone } });
		const [missing] = (await adminApi.admin.operations.audit({ entityId: gone })).items;
		expect(missing).toMatchObject({ target: null, details: { userId: gone } });

		// The customer's own page reads the same names.
		const detail = await adminApi.admin.customers.get({ userId: user.id });
		expect(detail.audit.find((entry) => entry.id === granted.id)?.details).toEqual(granted.details);
	});
});

describe('audit log page', () => {
	it('tells a range ending before it starts beside the To field, with no error page', async () => {
		const page = await loadPage(runtime, admin, '/admin/operations/audit?from=2026-12-31&to=2026-01-01', loadAuditPage);
		expect(page.problem).toEqual({ field: 'to', message: 'Tanggal akhir sebelum tanggal awal' });
		expect(page.log.items).toEqual([]);
		expect(page.filter).toMatchObject({ from: '2026-12-31', to: '2026-01-01' });

		const fine = await loadPage(runtime, admin, '/admin/operations/audit?from=2026-01-01&to=2026-12-31', loadAuditPage);
		expect(fine.problem).toBeNull();
	});
});

describe('admin.* for customers', () => {
	it('refuses a customer every admin procedure', async () => {
		const { appRouter } = await import('../../src/lib/server/router');
		const { api } = await newCustomer(runtime);
		const paths = Object.keys(appRouter._def.procedures).filter((path) => path.startsWith('admin.'));
		expect(paths).toEqual(
			expect.arrayContaining([
				'admin.customers.list',
				'admin.customers.get',
				'admin.customers.block',
				'admin.customers.unblock',
				'admin.customers.setRole',
				'admin.catalog.createService',
				'admin.catalog.updatePlan',
				'admin.analytics.overview',
				'admin.operations.retryJob'
			])
		);
		const auditedBefore = (await runtime.db.select().from(auditLog)).length;
		for (const path of paths) {
			const procedure = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api);
			const refused = await rejection((procedure as (input: unknown) => Promise<unknown>)({}));
			expect(refused.trpcCode, path).toBe('FORBIDDEN');
		}
		// Nothing was done by the attempts.
		expect(await runtime.db.select().from(auditLog)).toHaveLength(auditedBefore);
	});
});
