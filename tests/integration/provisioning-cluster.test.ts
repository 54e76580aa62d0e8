// Provisioning against an API server that behaves like a real one (the emulator with
// ResourceQuota and LimitRange admission, quota charged before AlreadyExists, Pod Security
// enforcement, namespaces that take time to terminate, cert-manager's TLS Secret): the
// scenarios that broke on a stricter cluster, end to end with real pg-boss workers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { notifications, serviceInstances, type ServiceInstance } from '../../src/lib/server/db/schema';
import { instanceNames } from '../../src/lib/server/kube/names';
import { namespaceQuota } from '../../src/lib/server/kube/namespace-objects';
import { refreshInstanceHealth } from '../../src/lib/server/provisioning/health';
import { seedServices } from '../../src/lib/server/seed/catalog';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectInvariants } from '../support/invariants';
import { planOf, reloadSubscription } from '../support/fixtures';
import { scaled } from '../support/timeouts';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
});
afterAll(() => runtime?.close());
afterEach(async () => {
	runtime.emulator!.faults.clear();
	runtime.emulator!.configure({ namespaceTerminationMs: 200, metricsApi: true });
	await expectInvariants(runtime.db);
});

const WAIT = { timeout: scaled(15_000), interval: 100 };

async function instance(id: string): Promise<ServiceInstance> {
	const [row] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id));
	return row;
}

async function untilStatus(id: string, status: string) {
	await expect.poll(async () => (await instance(id)).status, WAIT).toBe(status);
	return instance(id);
}

const emulator = () => runtime.emulator!;
const names = (kind: string, namespace: string) =>
	emulator()
		.list(kind, namespace)
		.map((object) => object.metadata.name);
type Quota = { spec: { hard: Record<string, string> } };
type Limits = { spec: { limits: { type: string; max: Record<string, string> }[] } };

describe('one customer, several apps', () => {
	it('every seeded app subscribed at once comes up, in one restricted namespace sized for all of them and their databases', async () => {
		const { user, api } = await newCustomer(runtime);
		const plans = await Promise.all(seedServices.map((service) => planOf(runtime.db, service.slug, 'FREE')));
		const subscribed = await Promise.all(plans.map((plan) => api.subscriptions.subscribe({ planId: plan.id })));
		const running = await Promise.all(subscribed.map(({ instanceId }) => untilStatus(instanceId, 'RUNNING')));

		const namespace = `user-${user.id}`;
		expect(new Set(running.map((row) => row.namespace))).toEqual(new Set([namespace]));
		const labels = emulator().get('Namespace', undefined, namespace)!.metadata.labels!;
		// Admission let every pod in under "restricted", the databases' pods included.
		expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
		const quota = emulator().get('ResourceQuota', namespace, 'minispod-quota') as unknown as Quota;
		expect(quota.spec.hard).toEqual(
			namespaceQuota(
				running.map((row, index) => ({
					instanceId: row.id,
					plan: plans[index],
					companion: seedServices[index].companionDatabase?.engine ?? null
				}))
			)
		);
		const databases = seedServices.filter((service) => service.companionDatabase).length;
		expect(
			emulator()
				.list('Pod', namespace)
				.filter((pod) => !pod.metadata.deletionTimestamp)
		).toHaveLength(seedServices.length + databases);
	});
});

describe('upgrades', () => {
	it('stick under a namespace quota sized exactly for the apps: the claim is never created twice', async () => {
		const { api } = await newCustomer(runtime);
		const basic = await planOf(runtime.db, 'n8n', 'BASIC');
		const pro = await planOf(runtime.db, 'n8n', 'PRO');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: basic.id });
		const { namespace, persistentVolumeClaim } = instanceNames(await untilStatus(instanceId, 'RUNNING'));

		await api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id });
		await expect.poll(async () => (await reloadSubscription(runtime.db, subscriptionId)).status, WAIT).toBe('ACTIVE');
		expect((await reloadSubscription(runtime.db, subscriptionId)).planId).toBe(pro.id);
		await untilStatus(instanceId, 'RUNNING');
		const claim = emulator().get('PersistentVolumeClaim', namespace, persistentVolumeClaim) as unknown as {
			spec: { resources: { requests: { storage: string } } };
		};
		expect(claim.spec.resources.requests.storage).toBe(`${pro.storageGb}Gi`);
		const quota = emulator().get('ResourceQuota', namespace, 'minispod-quota') as unknown as Quota;
		expect(quota.spec.hard).toEqual(namespaceQuota([{ instanceId, plan: pro }]));
		const claimPosts = emulator().requests.filter(
			(request) => request.method === 'POST' && request.path === `/api/v1/namespaces/${namespace}/persistentvolumeclaims`
		);
		expect(claimPosts.map((request) => request.status)).toEqual([201]);
	});

	it('that fail put the namespace quota and limits back to the old plan', async () => {
		const { api } = await newCustomer(runtime);
		const basic = await planOf(runtime.db, 'gitea', 'BASIC');
		const premium = await planOf(runtime.db, 'gitea', 'PREMIUM');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: basic.id });
		const { namespace, deployment } = instanceNames(await untilStatus(instanceId, 'RUNNING'));
		const fault = emulator().faults.apiError({
			method: 'PUT',
			path: `/deployments/${deployment}`,
			status: 422,
			message: 'Deployment.apps is invalid: spec.template.spec.containers[0].image: Invalid value',
			times: 1
		});
		await api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id });
		await expect.poll(async () => (await instance(instanceId)).statusReason, WAIT).toMatch(/^Upgrade failed: /);
		expect(fault.hits).toBe(1);
		expect((await reloadSubscription(runtime.db, subscriptionId)).planId).toBe(basic.id);
		const quota = emulator().get('ResourceQuota', namespace, 'minispod-quota') as unknown as Quota;
		expect(quota.spec.hard).toEqual(namespaceQuota([{ instanceId, plan: basic }]));
		const limits = emulator().get('LimitRange', namespace, 'minispod-limits') as unknown as Limits;
		expect(limits.spec.limits.find((limit) => limit.type === 'Container')!.max).toMatchObject({
			cpu: `${basic.cpuMilli}m`,
			memory: `${basic.memoryMb}Mi`
		});
		expect(limits.spec.limits.find((limit) => limit.type === 'PersistentVolumeClaim')!.max).toEqual({
			storage: `${basic.storageGb}Gi`
		});
	});
});

describe('restarts within the quota', () => {
	it('a start right after a stop fits beside the pod that is still terminating', async () => {
		// The old pod takes its time to go, and counts against the quota meanwhile.
		emulator().configure({ podTerminationMs: 3_000 });
		try {
			const { api } = await newCustomer(runtime);
			const plan = await planOf(runtime.db, 'gitea', 'PRO');
			const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
			const running = await untilStatus(instanceId, 'RUNNING');
			const { namespace } = instanceNames(running);

			await api.instances.stop({ id: instanceId });
			await untilStatus(instanceId, 'STOPPED');
			await api.instances.start({ id: instanceId });
			const started = await untilStatus(instanceId, 'RUNNING');
			expect(started.podName).not.toBe(running.podName);
			// The stopped app's pod was still there when the new one came up.
			expect(emulator().get('Pod', namespace, running.podName!)?.metadata.deletionTimestamp).toBeDefined();
		} finally {
			emulator().configure({ podTerminationMs: 100 });
		}
	});
});

describe('termination', () => {
	it('of several apps at once is done within seconds, and leaves nothing of them behind', async () => {
		const { user, api } = await newCustomer(runtime);
		const slugs = ['vaultwarden', 'memos', 'uptime-kuma', 'n8n'];
		const subscribed = await Promise.all(
			slugs.map(async (slug) => api.subscriptions.subscribe({ planId: (await planOf(runtime.db, slug, 'FREE')).id }))
		);
		const rows = await Promise.all(subscribed.map(({ instanceId }) => untilStatus(instanceId, 'RUNNING')));
		const namespace = `user-${user.id}`;
		// cert-manager has issued every app's certificate.
		await expect
			.poll(() => rows.every((row) => names('Secret', namespace).includes(instanceNames(row).tlsSecret)), WAIT)
			.toBe(true);

		const [kept, ...ending] = subscribed;
		const started = Date.now();
		await Promise.all(ending.map(({ subscriptionId }) => api.subscriptions.cancel({ id: subscriptionId, when: 'now' })));
		await Promise.all(ending.map(({ instanceId }) => untilStatus(instanceId, 'TERMINATED')));
		expect(Date.now() - started).toBeLessThan(5_000);

		const keptNames = instanceNames(rows[0]);
		expect(names('Deployment', namespace)).toEqual([keptNames.deployment]);
		expect(names('Service', namespace)).toEqual([keptNames.service]);
		expect(names('Ingress', namespace)).toEqual([keptNames.ingress]);
		expect(names('ConfigMap', namespace)).toEqual([keptNames.configMap]);
		expect(names('PersistentVolumeClaim', namespace)).toEqual([keptNames.persistentVolumeClaim]);
		// cert-manager's TLS Secrets of the ended apps went with them.
		expect(names('Secret', namespace).sort()).toEqual([keptNames.secret, keptNames.tlsSecret].sort());
		const pods = emulator().list('Pod', namespace);
		expect(pods.every((pod) => pod.metadata.labels?.['minispod.io/instance-id'] === kept.instanceId)).toBe(true);
		const quota = emulator().get('ResourceQuota', namespace, 'minispod-quota') as unknown as Quota;
		const vaultwarden = await planOf(runtime.db, 'vaultwarden', 'FREE');
		expect(quota.spec.hard).toEqual(namespaceQuota([{ instanceId: kept.instanceId, plan: vaultwarden }]));

		// The last app takes the namespace with it.
		await api.subscriptions.cancel({ id: kept.subscriptionId, when: 'now' });
		await untilStatus(kept.instanceId, 'TERMINATED');
		expect(emulator().get('Namespace', undefined, namespace)).toBeUndefined();
	});

	it('of all apps at once, then a new subscription: it waits for the clean-up and ends RUNNING', async () => {
		// Namespaces take a while to go, as on a real cluster.
		emulator().configure({ namespaceTerminationMs: 2_000 });
		const { user, api } = await newCustomer(runtime);
		const first = await Promise.all(
			['memos', 'vaultwarden'].map(async (slug) =>
				api.subscriptions.subscribe({ planId: (await planOf(runtime.db, slug, 'FREE')).id })
			)
		);
		await Promise.all(first.map(({ instanceId }) => untilStatus(instanceId, 'RUNNING')));
		await Promise.all(first.map(({ subscriptionId }) => api.subscriptions.cancel({ id: subscriptionId, when: 'now' })));
		await expect
			.poll(() => emulator().get('Namespace', undefined, `user-${user.id}`)?.metadata.deletionTimestamp, WAIT)
			.toBeDefined();

		const { instanceId } = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'n8n', 'FREE')).id });
		await expect
			.poll(async () => (await instance(instanceId)).provisioningSteps.find((step) => step.step === 'namespace')?.text, WAIT)
			.toEqual({ key: 'step_waiting_for_cleanup', params: {} });
		const running = await untilStatus(instanceId, 'RUNNING');
		expect(running.provisioningSteps.every((step) => step.status === 'done')).toBe(true);
		for (const { instanceId: ended } of first) expect((await instance(ended)).status).toBe('TERMINATED');
		expect(emulator().get('Namespace', undefined, `user-${user.id}`)?.metadata.deletionTimestamp).toBeUndefined();
	});
});

describe('an app whose objects disappear from the cluster', () => {
	it('is marked failing, its owner told once, and repair applies its objects again', async () => {
		const { user, api } = await newCustomer(runtime);
		const plan = await planOf(runtime.db, 'vaultwarden', 'FREE');
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		const running = await untilStatus(instanceId, 'RUNNING');
		const { namespace, deployment } = instanceNames(running);

		// Someone deletes it out of band.
		await runtime.cluster.delete('Deployment', namespace, deployment);
		await refreshInstanceHealth(runtime);
		const missing = await instance(instanceId);
		expect(missing).toMatchObject({ status: 'ERROR', healthStatus: 'missing', podName: null });
		expect(missing.statusReason).toMatch(/missing from the cluster/);
		await refreshInstanceHealth(runtime);
		const told = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'INSTANCE_MISSING')));
		expect(told).toHaveLength(1);
		const view = await api.instances.get({ id: instanceId });
		expect(view.actions.repair).toEqual({ allowed: true, reason: null });

		expect((await api.instances.repair({ id: instanceId })).status).toBe('STARTING');
		const repaired = await untilStatus(instanceId, 'RUNNING');
		expect(repaired.statusReason).toBeNull();
		expect(names('Deployment', namespace)).toEqual([deployment]);
		await refreshInstanceHealth(runtime);
		expect((await instance(instanceId)).healthStatus).toBe('healthy');
	});
});

describe('resource usage', () => {
	it('is sampled by the health job and shown against the plan; without a metrics API it says so', async () => {
		const { api } = await newCustomer(runtime);
		const plan = await planOf(runtime.db, 'memos', 'BASIC');
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		await untilStatus(instanceId, 'RUNNING');

		// Both looks at one instant: two looks a moment apart could straddle a minute and make two points.
		const at = new Date();
		await refreshInstanceHealth(runtime, at);
		const view = await api.instances.get({ id: instanceId });
		expect(view.usage).toMatchObject({ state: 'measured', limits: { cpuMilli: plan.cpuMilli, memoryMb: plan.memoryMb } });
		if (view.usage.state !== 'measured') throw new Error('not measured');
		expect(view.usage.cpuMilli).toBeGreaterThan(0);
		expect(view.usage.cpuMilli).toBeLessThanOrEqual(plan.cpuMilli);
		expect(view.usage.memoryMb).toBeGreaterThan(0);
		expect(view.usage.memoryMb).toBeLessThanOrEqual(plan.memoryMb);
		// One point a minute: a second look in the same minute replaces it.
		await refreshInstanceHealth(runtime, at);
		const history = await api.instances.usage({ id: instanceId });
		expect(history).toHaveLength(1);
		expect(history[0]).toMatchObject({ cpuMilli: expect.any(Number), memoryMb: expect.any(Number) });
		const totals = await api.instances.usageTotals();
		expect(totals).toMatchObject({ apps: 1, measuredApps: 1, limits: { cpuMilli: plan.cpuMilli, memoryMb: plan.memoryMb } });

		emulator().configure({ metricsApi: false });
		await refreshInstanceHealth(runtime);
		expect((await api.instances.get({ id: instanceId })).usage).toEqual({ state: 'unavailable' });
		expect((await api.instances.usageTotals()).unavailable).toBe(true);
		// The app itself is fine: usage missing is not a failure.
		expect((await instance(instanceId)).status).toBe('RUNNING');
		const other = await callerFor(runtime, await createUser(runtime));
		await expect(other.instances.usage({ id: instanceId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});
});

describe('admin suspend then resume a moment later', () => {
	it('leaves the paid app running, whichever job gets there first', async () => {
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const { api } = await newCustomer(runtime);
		const plan = await planOf(runtime.db, 'uptime-kuma', 'BASIC');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const { deployment } = instanceNames(await untilStatus(instanceId, 'RUNNING'));

		// Resume while the suspend job is scaling the app down (its request held at the API server).
		const scaling = emulator().faults.hold({ method: 'PATCH', path: `/deployments/${deployment}/scale` });
		await admin.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Checking a payment' });
		await scaling.reached;
		const resuming = admin.admin.subscriptions.resume({ id: subscriptionId });
		scaling.release();
		await resuming;
		await expect.poll(async () => (await instance(instanceId)).status, WAIT).toBe('RUNNING');

		// And straight after one another, as an administrator clicking twice.
		await admin.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Again' });
		await admin.admin.subscriptions.resume({ id: subscriptionId });
		await expect.poll(async () => (await instance(instanceId)).status, WAIT).toBe('RUNNING');
		await expect.poll(() => jobsInFlight(instanceId), WAIT).toBe(0);
		expect((await instance(instanceId)).status).toBe('RUNNING');
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');
		const running = emulator()
			.list('Pod', instanceNames(await instance(instanceId)).namespace)
			.filter((pod) => !pod.metadata.deletionTimestamp);
		expect(running).toHaveLength(1);
	});
});

async function jobsInFlight(instanceId: string) {
	const rows = await runtime.db
		.select({ id: serviceInstances.id })
		.from(serviceInstances)
		.where(and(eq(serviceInstances.id, instanceId), inArray(serviceInstances.status, ['STARTING', 'STOPPING', 'SUSPENDED'])));
	const { rows: jobs } = await runtime.db.$client.query(
		`SELECT 1 FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND data->>'instanceId' = $1`,
		[instanceId]
	);
	return rows.length + jobs.length;
}
