// The app lifecycle against the Kubernetes emulator over HTTP, with real pg-boss workers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { notifications, serviceInstances, services, transactions } from '../../src/lib/server/db/schema';
import { instanceNames, namespaceForUser } from '../../src/lib/server/kube/names';
import { provisionInstance } from '../../src/lib/server/provisioning/provision';
import { refreshInstanceHealth } from '../../src/lib/server/provisioning/health';
import { callerFor, createUser, newCustomer, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectInvariants } from '../support/invariants';
import { planOf, reloadPlan, reloadSubscription } from '../support/fixtures';
import type { ServiceInstance } from '../../src/lib/server/db/schema';
import { rejection } from '../support/errors';
import { scaled } from '../support/timeouts';
import { inLocale } from '../support/locale';
import { waitForInstance, waitForJob } from '../support/waits';
import { renderText } from '../../src/lib/server/notifications/texts';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
});
afterAll(() => runtime?.close());
afterEach(async () => {
	runtime.emulator!.faults.clear();
	await expectInvariants(runtime.db);
});

// For what can only be polled: the health check driven by the test, the emulator's and
// the event hub's counters.
const WAIT = { timeout: scaled(30_000), interval: 200 };

const customer = (credit?: number) => newCustomer(runtime, credit);

async function instance(id: string): Promise<ServiceInstance> {
	const [row] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id));
	return row;
}

const untilStatus = (id: string, status: string) => waitForInstance(runtime, id, (changed) => changed.status === status, status);

/** The running app's pod is lost and its replacement keeps crashing, until the health job marks it ERROR. */
async function crashUntilError(instanceId: string, running: ServiceInstance) {
	const names = instanceNames(running);
	runtime.emulator!.faults.crashLoop({ deployment: names.deployment, exitCode: 3 });
	await runtime.cluster.delete('Pod', names.namespace, running.podName!);
	await expect
		.poll(async () => {
			await refreshInstanceHealth(runtime);
			return (await instance(instanceId)).status;
		}, WAIT)
		.toBe('ERROR');
}

/** Pods not being deleted: as on a real cluster, a stopped app's pod takes its grace period to go. */
const pods = (namespace: string) => runtime.emulator!.list('Pod', namespace).filter((pod) => !pod.metadata.deletionTimestamp);
const objectNames = (kind: string, namespace: string) => runtime.emulator!.list(kind, namespace).map((o) => o.metadata.name);

describe('app lifecycle', () => {
	it('subscribe -> RUNNING -> stop -> start -> restart -> terminate', async () => {
		const { user, api } = await customer();
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id, name: 'Team vault' });

		const running = await untilStatus(instanceId, 'RUNNING');
		const names = instanceNames(running);
		expect(running.publicUrl).toBe(`https://${running.subdomain}.${runtime.config.kube.baseDomain}`);
		expect(running.namespace).toBe(`user-${user.id}`);
		expect(running.provisioningSteps.map((s) => [s.step, s.status])).toEqual([
			['namespace', 'done'],
			['quota', 'done'],
			['network-policy', 'done'],
			['secret', 'done'],
			['config', 'done'],
			['volume', 'done'],
			['deployment', 'done'],
			['service', 'done'],
			['ingress', 'done'],
			['rollout', 'done']
		]);
		expect(running.podName).toMatch(new RegExp(`^${names.deployment}-[a-z0-9]+-[a-z0-9]{5}$`));
		expect(running.generatedSecrets?.ADMIN_TOKEN).toBeTruthy();
		expect(objectNames('Deployment', names.namespace)).toEqual([names.deployment]);
		expect(objectNames('Ingress', names.namespace)).toEqual([names.ingress]);
		const deployment = runtime.emulator!.get('Deployment', names.namespace, names.deployment) as unknown as {
			spec: { template: { spec: { containers: { resources: { limits: Record<string, string> } }[] } } };
		};
		expect(deployment.spec.template.spec.containers[0].resources.limits).toMatchObject({
			cpu: `${plan.cpuMilli}m`,
			memory: `${plan.memoryMb}Mi`
		});
		const notes = await runtime.db.select().from(notifications).where(eq(notifications.userId, user.id));
		expect(notes.map((n) => n.type)).toContain('INSTANCE_RUNNING');

		// Stop: STOPPING -> STOPPED, no pods, data kept.
		const stopping = await api.instances.stop({ id: instanceId });
		expect(stopping.status).toBe('STOPPING');
		await untilStatus(instanceId, 'STOPPED');
		expect(pods(names.namespace)).toHaveLength(0);
		expect(objectNames('PersistentVolumeClaim', names.namespace)).toEqual([names.persistentVolumeClaim]);
		expect((await rejection(api.instances.stop({ id: instanceId }))).message).toBe('An app that is stopped cannot be stopped.');

		// Start: STOPPED -> STARTING -> RUNNING.
		expect((await api.instances.start({ id: instanceId })).status).toBe('STARTING');
		const started = await untilStatus(instanceId, 'RUNNING');
		expect(pods(names.namespace)).toHaveLength(1);

		// Restart through the subscription: a new pod, its name recorded.
		expect((await api.subscriptions.restart({ id: subscriptionId })).status).toBe('RESTARTING');
		const restarted = await untilStatus(instanceId, 'RUNNING');
		expect(restarted.podName).not.toBe(started.podName);
		expect(pods(names.namespace).map((p) => p.metadata.name)).toEqual([restarted.podName]);

		// Terminate: everything removed, the namespace with it (the user's only app).
		await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		await untilStatus(instanceId, 'TERMINATED');
		expect(runtime.emulator!.get('Namespace', undefined, names.namespace)).toBeUndefined();
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
	});

	it('an image pull failure ends in ERROR with the reason, cleans up, releases the slot and refunds exactly', async () => {
		const { user, api } = await customer(300_000);
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		runtime.emulator!.faults.failImagePull({ image: 'ghost:', message: 'manifest for ghost:5.105.0-alpine not found' });
		const before = await reloadUser(runtime, user.id);
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(before.creditBalance - plan.monthlyPrice);

		const failed = await untilStatus(instanceId, 'ERROR');
		// As on a real cluster, the pod alternates between ErrImagePull and ImagePullBackOff.
		expect(failed.statusReason).toMatch(
			/^Image pull failed: (manifest for ghost:5\.105\.0-alpine not found|Back-off pulling image "ghost:6\.52\.1-alpine@sha256:[0-9a-f]{64}")$/
		);
		const names = instanceNames(failed);
		// Deletion has begun: the volume claim may still wait for its pod (pvc-protection).
		const remaining = (kind: 'Deployment' | 'PersistentVolumeClaim') =>
			runtime.emulator!.list(kind, names.namespace).filter((object) => !object.metadata.deletionTimestamp);
		expect(remaining('Deployment')).toEqual([]);
		expect(remaining('PersistentVolumeClaim')).toEqual([]);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(before.creditBalance);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PENDING_PAYMENT');
		const refunds = await runtime.db
			.select()
			.from(transactions)
			.where(and(eq(transactions.subscriptionId, subscriptionId), eq(transactions.type, 'REFUND')));
		expect(refunds.map((r) => r.amount)).toEqual([plan.monthlyPrice]);
		const notes = await runtime.db.select().from(notifications).where(eq(notifications.userId, user.id));
		expect(notes.find((n) => n.type === 'INSTANCE_FAILED')?.body).toContain('Image pull failed');
		// The reason is kept as a key with the registry's words, and read in the viewer's language.
		expect(failed.statusReasonText).toMatchObject({ key: 'image_pull_failed' });
		const shown = await inLocale('id', () => api.instances.get({ id: instanceId }));
		expect(shown.statusReason).toMatch(/^Gagal mengunduh image: (manifest for ghost|Back-off pulling image)/);

		// Retry once the image is fixed: charged again, slot taken again, RUNNING. The page says
		// what the retry charges before it is asked for.
		expect(shown.retryCharge).toBe(plan.monthlyPrice);
		runtime.emulator!.faults.clear();
		const retried = await api.instances.retry({ id: instanceId });
		expect(retried.charged).toBe(plan.monthlyPrice);
		await untilStatus(instanceId, 'RUNNING');
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(before.creditBalance - plan.monthlyPrice);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota + 1);
		expect((await api.instances.get({ id: instanceId })).retryCharge).toBe(0);
	});

	it('terminating an app while it is being set up leaves nothing behind and refunds once', async () => {
		const { user, api } = await customer();
		const plan = await planOf(runtime.db, 'gitea', 'BASIC');
		runtime.emulator!.configure({ podReadyDelayMs: 60_000 });
		try {
			const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
			await waitForInstance(
				runtime,
				instanceId,
				(changed) => changed.provisioningSteps.find((s) => s.step === 'rollout')?.status === 'running',
				'the rollout step'
			);
			const { refunded } = await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
			expect(refunded).toBeGreaterThan(0);
			const terminated = await untilStatus(instanceId, 'TERMINATED');
			// The provisioning job notices and gives up without touching money or status.
			expect((await waitForJob(runtime, 'provision-instance', { data: { instanceId } })).state).toBe('completed');
			expect((await instance(instanceId)).status).toBe('TERMINATED');
			expect(runtime.emulator!.get('Namespace', undefined, instanceNames(terminated).namespace)).toBeUndefined();
			const refunds = await runtime.db
				.select()
				.from(transactions)
				.where(and(eq(transactions.subscriptionId, subscriptionId), eq(transactions.type, 'REFUND')));
			expect(refunds.map((r) => r.amount)).toEqual([refunded]);
			expect((await reloadUser(runtime, user.id)).creditBalance).toBe(1_000_000 - plan.monthlyPrice + refunded);
		} finally {
			runtime.emulator!.configure({ podReadyDelayMs: 100 });
		}
	});

	it('running the provisioning job twice creates nothing twice', async () => {
		const { api } = await customer();
		const plan = await planOf(runtime.db, 'memos', 'FREE');
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		const running = await untilStatus(instanceId, 'RUNNING');
		const names = instanceNames(running);
		const objectsBefore = runtime.emulator!.stats().objects;
		const secretsBefore = running.generatedSecrets;

		// As if a worker crashed after creating everything and the job ran again.
		await runtime.db.update(serviceInstances).set({ status: 'PROVISIONING' }).where(eq(serviceInstances.id, instanceId));
		const again = await provisionInstance(runtime, instanceId);
		expect(again.outcome).toBe('applied');
		await untilStatus(instanceId, 'RUNNING');
		expect(runtime.emulator!.stats().objects).toEqual(objectsBefore);
		expect(objectNames('Deployment', names.namespace)).toEqual([names.deployment]);
		expect(pods(names.namespace)).toHaveLength(1);
		expect((await instance(instanceId)).generatedSecrets).toEqual(secretsBefore);

		// A job for an instance that is already running does nothing.
		expect((await provisionInstance(runtime, instanceId)).outcome).toBe('skipped');
	});

	it('upgrades resize the app; an injected failure of the update job rolls everything back exactly', async () => {
		const { user, api } = await customer();
		const basic = await planOf(runtime.db, 'n8n', 'BASIC');
		const pro = await planOf(runtime.db, 'n8n', 'PRO');
		const premium = await planOf(runtime.db, 'n8n', 'PREMIUM');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: basic.id });
		const running = await untilStatus(instanceId, 'RUNNING');
		const names = instanceNames(running);
		const limits = () =>
			(
				runtime.emulator!.get('Deployment', names.namespace, names.deployment) as unknown as {
					spec: { template: { spec: { containers: { resources: { limits: Record<string, string> } }[] } } };
				}
			).spec.template.spec.containers[0].resources.limits;

		// Success: ACTIVE on the new plan, the pod has the new limits.
		// The update job hands the wait for the new pod to the rollout job.
		await api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id });
		await expect.poll(async () => (await reloadSubscription(runtime.db, subscriptionId)).status, WAIT).toBe('ACTIVE');
		expect((await reloadSubscription(runtime.db, subscriptionId)).planId).toBe(pro.id);
		await untilStatus(instanceId, 'RUNNING');
		expect(limits()).toMatchObject({ cpu: `${pro.cpuMilli}m`, memory: `${pro.memoryMb}Mi` });

		// Failure: the cluster refuses the change; balance, slots and plan are as before.
		const before = {
			balance: (await reloadUser(runtime, user.id)).creditBalance,
			subscription: await reloadSubscription(runtime.db, subscriptionId),
			proUsed: (await reloadPlan(runtime.db, pro.id)).usedQuota,
			premiumUsed: (await reloadPlan(runtime.db, premium.id)).usedQuota
		};
		const fault = runtime.emulator!.faults.apiError({
			method: 'PUT',
			path: `/deployments/${names.deployment}`,
			status: 422,
			message: 'Deployment is invalid: spec.template.spec.containers[0].resources: quota exceeded',
			times: 1
		});
		const refused = await api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id });
		expect(refused.charge).toBeGreaterThan(0);
		await waitForJob(runtime, 'update-instance-resources', { data: { upgradeId: refused.upgradeId } });
		await expect.poll(async () => (await reloadSubscription(runtime.db, subscriptionId)).status, WAIT).toBe('ACTIVE');
		expect(fault.hits).toBe(1);

		const after = await reloadSubscription(runtime.db, subscriptionId);
		expect(after).toMatchObject({
			planId: pro.id,
			monthlyPrice: before.subscription.monthlyPrice,
			endDate: before.subscription.endDate,
			previousPlanId: null
		});
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(before.balance);
		expect((await reloadPlan(runtime.db, pro.id)).usedQuota).toBe(before.proUsed);
		expect((await reloadPlan(runtime.db, premium.id)).usedQuota).toBe(before.premiumUsed);
		const settled = await untilStatus(instanceId, 'RUNNING');
		expect(settled.statusReason).toMatch(/^Upgrade failed: .*quota exceeded/);
		expect(limits()).toMatchObject({ cpu: `${pro.cpuMilli}m`, memory: `${pro.memoryMb}Mi` });
		const notes = await runtime.db.select().from(notifications).where(eq(notifications.userId, user.id));
		expect(notes.map((n) => n.type)).toContain('UPGRADE_FAILED');
		// The notice gives the cluster's refusal inside a sentence in the owner's language.
		const notice = notes.find((n) => n.type === 'UPGRADE_FAILED')!;
		expect(renderText(notice.text!, 'id')?.body).toMatch(/Kubernetes menolak: .*quota exceeded/);
	});

	it('the health job marks an app whose pod keeps crashing, and clears it when it recovers', async () => {
		const { api } = await customer();
		const plan = await planOf(runtime.db, 'gitea', 'FREE');
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		const running = await untilStatus(instanceId, 'RUNNING');
		const names = instanceNames(running);

		// The node loses the pod; its replacement keeps crashing.
		await crashUntilError(instanceId, running);
		const failing = await instance(instanceId);
		expect(failing.healthStatus).toBe('failing');
		expect(failing.statusReason).toBe('The app keeps crashing (exit code 3)');
		expect(failing.podName).not.toBe(running.podName);

		// Fixed: the next pod is healthy and the app is RUNNING again.
		runtime.emulator!.faults.clear();
		await runtime.cluster.delete('Pod', names.namespace, failing.podName!);
		await expect
			.poll(async () => {
				await refreshInstanceHealth(runtime);
				return (await instance(instanceId)).healthStatus;
			}, WAIT)
			.toBe('healthy');
		const healthy = await instance(instanceId);
		expect(healthy.status).toBe('RUNNING');
		expect(healthy.statusReason).toBeNull();
		expect(healthy.lastHealthCheck!.getTime()).toBeGreaterThan(failing.lastHealthCheck!.getTime());
	});

	it('a failed retry of an app that ran in its paid period refunds nothing and keeps the subscription', async () => {
		const { user, api } = await customer();
		const plan = await planOf(runtime.db, 'gitea', 'BASIC');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const running = await untilStatus(instanceId, 'RUNNING');
		const names = instanceNames(running);
		const balance = (await reloadUser(runtime, user.id)).creditBalance;
		const used = (await reloadPlan(runtime.db, plan.id)).usedQuota;

		// The app breaks: its pod keeps crashing and the health job marks it ERROR.
		await crashUntilError(instanceId, running);

		// The owner retries, at no charge (the period is paid), and the set-up fails again.
		expect((await api.instances.retry({ id: instanceId })).charged).toBe(0);
		await untilStatus(instanceId, 'ERROR');
		expect((await waitForJob(runtime, 'provision-instance', { data: { instanceId } })).state).toBe('completed');

		// The period was paid and used: nothing of it comes back, the subscription and its slot
		// stay, and the app can be retried again at no charge.
		const refunds = await runtime.db
			.select()
			.from(transactions)
			.where(and(eq(transactions.subscriptionId, subscriptionId), eq(transactions.type, 'REFUND')));
		expect(refunds).toEqual([]);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balance);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(used);
		expect((await api.instances.get({ id: instanceId })).retryCharge).toBe(0);
		// Its data stays for the next try: only ending the subscription removes it.
		expect(await runtime.cluster.isGone('PersistentVolumeClaim', names.namespace, names.persistentVolumeClaim)).toBe(false);
		expect(await runtime.cluster.isGone('Deployment', names.namespace, names.deployment)).toBe(true);
	});

	it('a set-up that fails before making anything (a broken template) ends in ERROR, refunded', async () => {
		const { user, api } = await customer();
		const plan = await planOf(runtime.db, 'uptime-kuma', 'PRO');
		const [service] = await runtime.db.select().from(services).where(eq(services.id, plan.serviceId));
		// A generated secret of no length cannot be made: the set-up fails while the app is PENDING.
		await runtime.db
			.update(services)
			.set({ envTemplate: [...service.envTemplate, { name: 'BROKEN_SECRET', secret: { length: 0 } }] })
			.where(eq(services.id, service.id));
		try {
			const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
			// Its last attempt (the queue retries an unexpected error a few times first).
			expect(await provisionInstance(runtime, instanceId, { final: true })).toMatchObject({ outcome: 'failed' });
			const failed = await instance(instanceId);
			expect(failed.status).toBe('ERROR');
			expect(failed.statusReason).toMatch(/Secret length must be a positive integer/);
			expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PENDING_PAYMENT');
			expect((await reloadUser(runtime, user.id)).creditBalance).toBe(1_000_000);
			expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
		} finally {
			await runtime.db.update(services).set({ envTemplate: service.envTemplate }).where(eq(services.id, service.id));
		}
	});
});

describe('live logs and events', () => {
	it('stream log lines, re-attach after a restart, and close the cluster stream when the client goes away', async () => {
		const { user } = await customer();
		const plan = await planOf(runtime.db, 'uptime-kuma', 'FREE');
		const owner = await callerFor(runtime, user);
		const { instanceId } = await owner.subscriptions.subscribe({ planId: plan.id });
		const first = await untilStatus(instanceId, 'RUNNING');

		const controller = new AbortController();
		const api = await callerFor(runtime, user, { signal: controller.signal });
		const stream = (await api.instances.logs({ id: instanceId, tailLines: 10 }))[Symbol.asyncIterator]();
		const seen: { kind: string; pod?: string; text?: string; message?: string }[] = [];
		const next = async () => {
			const { value } = await stream.next();
			if (!value) throw new Error('the log stream ended');
			seen.push(value);
			return value;
		};
		expect(await next()).toEqual({
			kind: 'status',
			message: `Showing logs of ${first.podName}`,
			note: { key: 'showing', pod: first.podName }
		});
		const line = await next();
		expect(line).toMatchObject({ kind: 'line', pod: first.podName });
		await expect.poll(() => runtime.emulator!.stats().openLogStreams, WAIT).toBe(1);

		await owner.instances.restart({ id: instanceId });
		const restarted = await untilStatus(instanceId, 'RUNNING');
		// Read on until lines of the new pod arrive.
		for (let i = 0; i < 500 && !seen.some((e) => e.kind === 'line' && e.pod === restarted.podName); i++) await next();
		expect(seen).toContainEqual({
			kind: 'status',
			message: `The app restarted: now showing ${restarted.podName}`,
			note: { key: 'restarted', pod: restarted.podName }
		});
		expect(seen.some((e) => e.kind === 'line' && e.pod === restarted.podName)).toBe(true);

		controller.abort();
		await stream.return?.(undefined);
		await expect.poll(() => runtime.emulator!.stats().openLogStreams, WAIT).toBe(0);
	});

	it('stream status and provisioning-step changes of the instance', async () => {
		const { user } = await customer();
		const plan = await planOf(runtime.db, 'memos', 'FREE');
		const owner = await callerFor(runtime, user);
		const controller = new AbortController();
		const api = await callerFor(runtime, user, { signal: controller.signal });
		// The set-up waits at its Deployment until the test has seen it under way: however busy the
		// machine, the stream shows progress before the end result (a reader that fell behind a
		// quick set-up saw only two of its steps, CI run 66 here).
		const deployment = runtime.emulator!.faults.hold({
			method: 'POST',
			path: `/namespaces/${namespaceForUser(user.id)}/deployments`
		});
		const { instanceId } = await owner.subscriptions.subscribe({ planId: plan.id });
		const stream = (await api.instances.events({ id: instanceId }))[Symbol.asyncIterator]();
		const snapshots: { status: string; done: number }[] = [];
		const read = async () => {
			const { value } = await stream.next();
			if (!value) throw new Error('the event stream ended');
			snapshots.push({ status: value.status, done: value.provisioningSteps.filter((s) => s.status === 'done').length });
			return snapshots.at(-1)!;
		};
		let under = await read();
		expect(['PENDING', 'PROVISIONING']).toContain(under.status);
		while (!(under.status === 'PROVISIONING' && under.done > 0)) under = await read();
		await deployment.reached;
		deployment.release();
		while ((await read()).status !== 'RUNNING');
		// Progress arrived step by step, not only as the end result.
		expect(under.done).toBeLessThan(10);
		expect(snapshots.at(-1)).toEqual({ status: 'RUNNING', done: 10 });

		await owner.instances.stop({ id: instanceId });
		const after: string[] = [];
		while (after.at(-1) !== 'STOPPED') after.push((await read()).status);
		expect(after.every((status) => status === 'STOPPING' || status === 'STOPPED')).toBe(true);
		controller.abort();
		await stream.return?.(undefined);
		await expect.poll(() => runtime.events.openStreams(), WAIT).toBe(0);
	});

	it('lists an app cancelled at the end of its period with the day it ends, and again without once it renews', async () => {
		const { api } = await customer();
		const plan = await planOf(runtime.db, 'memos', 'FREE');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const listed = async () => (await api.instances.list()).find((item) => item.id === instanceId)!;
		expect((await listed()).endsAt).toBeNull();
		const { endsAt } = await api.subscriptions.cancel({ id: subscriptionId, when: 'period_end' });
		expect((await listed()).endsAt).toEqual(endsAt);
		await api.subscriptions.setAutoRenew({ id: subscriptionId, autoRenew: true });
		expect((await listed()).endsAt).toBeNull();
	});

	it("a second user can neither control nor read the logs of the first user's app", async () => {
		const owner = await customer();
		const other = await customer();
		const plan = await planOf(runtime.db, 'n8n', 'FREE');
		const { instanceId, subscriptionId } = await owner.api.subscriptions.subscribe({ planId: plan.id });
		await untilStatus(instanceId, 'RUNNING');
		const before = await instance(instanceId);

		const attempts = [
			() => other.api.instances.get({ id: instanceId }),
			() => other.api.instances.stop({ id: instanceId }),
			() => other.api.instances.start({ id: instanceId }),
			() => other.api.instances.restart({ id: instanceId }),
			() => other.api.instances.retry({ id: instanceId }),
			() => other.api.instances.logs({ id: instanceId, tailLines: 5 }),
			() => other.api.instances.events({ id: instanceId }),
			() => other.api.subscriptions.stop({ id: subscriptionId }),
			() => other.api.subscriptions.retryProvisioning({ id: subscriptionId })
		];
		for (const attempt of attempts) expect((await rejection(attempt())).code).toBe('NOT_FOUND');
		expect((await other.api.instances.list()).map((i) => i.id)).not.toContain(instanceId);
		expect(await instance(instanceId)).toEqual(before);

		// An administrator may act on it.
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		expect((await admin.instances.get({ id: instanceId })).id).toBe(instanceId);
	});
});
