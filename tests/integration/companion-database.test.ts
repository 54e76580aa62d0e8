// A template with a companion database, end to end on the emulator with real pg-boss
// workers: both come up (the app only once its database is ready), the app's environment
// carries the database's credentials, the namespace quota counts both, an upgrade resizes
// both, termination removes both, and stopping or suspending the app stops its database too
// (starting brings the database up first and the app once it is ready).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serviceInstances, type ServiceInstance } from '../../src/lib/server/db/schema';
import { COMPANION_PASSWORD_KEY, companionResources } from '../../src/lib/server/kube/companion';
import { instanceNames } from '../../src/lib/server/kube/names';
import { namespaceQuota } from '../../src/lib/server/kube/namespace-objects';
import { openSecrets } from '../../src/lib/server/secrets/instance-secrets';
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
		.map((object) => object.metadata.name)
		.sort();
type Quota = { spec: { hard: Record<string, string> }; status?: { used: Record<string, string> } };
type Wire = { spec: Record<string, never> };

describe('an app with a companion PostgreSQL', () => {
	it('provisions both, wires the credentials into the app, counts both in the quota, and termination removes both', async () => {
		const { api } = await newCustomer(runtime);
		const plan = await planOf(runtime.db, 'umami', 'FREE');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const running = await untilStatus(instanceId, 'RUNNING');
		const appNames = instanceNames(running);
		const { namespace, database } = appNames;

		// Both Deployments, Services, claims and Secrets, and the database's network policy.
		expect(names('Deployment', namespace)).toEqual([appNames.deployment, database.deployment].sort());
		expect(names('Service', namespace)).toEqual([appNames.service, database.service].sort());
		expect(names('PersistentVolumeClaim', namespace)).toEqual(
			[appNames.persistentVolumeClaim, database.persistentVolumeClaim].sort()
		);
		expect(names('NetworkPolicy', namespace)).toEqual([database.networkPolicy, 'minispod-isolation'].sort());
		expect(names('Secret', namespace)).toEqual(expect.arrayContaining([appNames.secret, database.secret]));
		const pods = emulator()
			.list('Pod', namespace)
			.filter((pod) => !pod.metadata.deletionTimestamp);
		expect(pods.map((pod) => pod.metadata.labels?.['app.kubernetes.io/instance']).sort()).toEqual(
			[appNames.deployment, database.deployment].sort()
		);
		// The app's pod waited for its database in an init container that has completed.
		const appPod = pods.find((pod) => pod.metadata.labels?.['app.kubernetes.io/instance'] === appNames.deployment)!;
		const initStatuses = (
			appPod.status as { initContainerStatuses?: { name: string; state: { terminated?: { reason: string } } }[] }
		).initContainerStatuses;
		expect(initStatuses?.map((status) => [status.name, status.state.terminated?.reason])).toEqual([
			['wait-for-database', 'Completed']
		]);
		// The steps the customer watched include the database's.
		expect(running.provisioningSteps.map((step) => step.step)).toContain('database');

		// The password is generated once, sealed with the instance's other secrets, and reaches
		// both the database and the app (as part of DATABASE_URL).
		const password = openSecrets(running.id, running.generatedSecrets)![COMPANION_PASSWORD_KEY];
		expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
		expect(running.generatedSecrets![COMPANION_PASSWORD_KEY]).not.toBe(password);
		const databaseSecret = emulator().get('Secret', namespace, database.secret) as unknown as { data: Record<string, string> };
		expect(Buffer.from(databaseSecret.data.password, 'base64').toString()).toBe(password);
		const appSecret = emulator().get('Secret', namespace, appNames.secret) as unknown as { data: Record<string, string> };
		expect(Buffer.from(appSecret.data.DATABASE_URL, 'base64').toString()).toBe(
			`postgresql://app:${password}@${database.service}:5432/app?sslmode=disable`
		);
		expect(JSON.stringify(running.envVars)).not.toContain(password);

		// The quota is sized for the app and its database, and the emulator's quota controller
		// sees both pods inside it.
		const quota = emulator().get('ResourceQuota', namespace, 'minispod-quota') as unknown as Quota;
		expect(quota.spec.hard).toEqual(namespaceQuota([{ instanceId, plan, companion: 'postgresql' }]));
		const size = companionResources('postgresql', plan);
		expect(quota.spec.hard['requests.storage']).toBe(`${plan.storageGb + size.storageGb}Gi`);
		const databasePod = emulator().get('Deployment', namespace, database.deployment) as unknown as Wire;
		expect(JSON.stringify(databasePod.spec)).toContain(`"memory":"${size.memoryMb}Mi"`);

		await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
		await untilStatus(instanceId, 'TERMINATED');
		await expect.poll(() => emulator().get('Namespace', undefined, namespace), WAIT).toBeUndefined();
		for (const kind of ['Deployment', 'Service', 'PersistentVolumeClaim', 'Secret', 'NetworkPolicy', 'Pod']) {
			expect(names(kind, namespace), kind).toEqual([]);
		}
	});

	it('removes the database with its app while another app stays in the namespace', async () => {
		const { user, api } = await newCustomer(runtime);
		const kept = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'memos', 'FREE')).id });
		const ended = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'miniflux', 'FREE')).id });
		await untilStatus(kept.instanceId, 'RUNNING');
		const endedNames = instanceNames(await untilStatus(ended.instanceId, 'RUNNING'));

		await api.subscriptions.cancel({ id: ended.subscriptionId, when: 'now' });
		await untilStatus(ended.instanceId, 'TERMINATED');
		const namespace = `user-${user.id}`;
		const keptNames = instanceNames(await instance(kept.instanceId));
		expect(names('Deployment', namespace)).toEqual([keptNames.deployment]);
		expect(names('PersistentVolumeClaim', namespace)).toEqual([keptNames.persistentVolumeClaim]);
		expect(names('NetworkPolicy', namespace)).toEqual(['minispod-isolation']);
		expect(names('Secret', namespace)).not.toContain(endedNames.database.secret);
		const quota = emulator().get('ResourceQuota', namespace, 'minispod-quota') as unknown as Quota;
		const memos = await planOf(runtime.db, 'memos', 'FREE');
		expect(quota.spec.hard).toEqual(namespaceQuota([{ instanceId: kept.instanceId, plan: memos }]));
	});

	it('is resized with its app on an upgrade', async () => {
		const { api } = await newCustomer(runtime);
		const basic = await planOf(runtime.db, 'vikunja', 'BASIC');
		const pro = await planOf(runtime.db, 'vikunja', 'PRO');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: basic.id });
		const { namespace, database } = instanceNames(await untilStatus(instanceId, 'RUNNING'));

		await api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id });
		await expect.poll(async () => (await reloadSubscription(runtime.db, subscriptionId)).status, WAIT).toBe('ACTIVE');
		await untilStatus(instanceId, 'RUNNING');
		const size = companionResources('postgresql', pro);
		const claim = emulator().get('PersistentVolumeClaim', namespace, database.persistentVolumeClaim) as unknown as {
			spec: { resources: { requests: { storage: string } } };
		};
		expect(claim.spec.resources.requests.storage).toBe(`${size.storageGb}Gi`);
		const deployment = emulator().get('Deployment', namespace, database.deployment) as unknown as {
			spec: { template: { spec: { containers: { resources: { limits: Record<string, string> } }[] } } };
		};
		expect(deployment.spec.template.spec.containers[0].resources.limits).toMatchObject({
			cpu: `${size.cpuMilli}m`,
			memory: `${size.memoryMb}Mi`
		});
		const quota = emulator().get('ResourceQuota', namespace, 'minispod-quota') as unknown as Quota;
		expect(quota.spec.hard).toEqual(namespaceQuota([{ instanceId, plan: pro, companion: 'postgresql' }]));
	});

	it('keeps the app from RUNNING while its database cannot start: the set-up fails with the reason and is refunded', async () => {
		const { api } = await newCustomer(runtime);
		emulator().faults.failImagePull({ image: 'postgres:17.6-alpine' });
		const plan = await planOf(runtime.db, 'hedgedoc', 'BASIC');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const failed = await untilStatus(instanceId, 'ERROR');
		expect(failed.statusReason).toMatch(/image/i);
		expect(failed.provisioningSteps.find((step) => step.step === 'rollout')?.status).toBe('failed');
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PENDING_PAYMENT');
		// The clean-up took the database with the app.
		const { namespace, database } = instanceNames(failed);
		await expect.poll(() => emulator().get('Deployment', namespace, database.deployment), WAIT).toBeUndefined();
	});

	it('stops with its app (customer stop, admin suspend) and starts first, the app once the database is ready', async () => {
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const { api } = await newCustomer(runtime);
		const plan = await planOf(runtime.db, 'umami', 'FREE');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const appNames = instanceNames(await untilStatus(instanceId, 'RUNNING'));

		await api.instances.stop({ id: instanceId });
		await untilStatus(instanceId, 'STOPPED');
		expect(replicas(appNames)).toEqual({ app: 0, database: 0 });
		await expect.poll(() => livePods(appNames.namespace).length, WAIT).toBe(0);

		await api.instances.start({ id: instanceId });
		await untilStatus(instanceId, 'RUNNING');
		expect(replicas(appNames)).toEqual({ app: 1, database: 1 });
		expectAppStartedAfterDatabaseReady(appNames);

		await admin.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Checking a payment' });
		await untilStatus(instanceId, 'SUSPENDED');
		expect(replicas(appNames)).toEqual({ app: 0, database: 0 });
		await expect.poll(() => livePods(appNames.namespace).length, WAIT).toBe(0);

		await admin.admin.subscriptions.resume({ id: subscriptionId });
		await untilStatus(instanceId, 'RUNNING');
		expect(replicas(appNames)).toEqual({ app: 1, database: 1 });
		expectAppStartedAfterDatabaseReady(appNames);
	});

	it('leaves the app stopped while its database cannot start again: the start fails with the reason', async () => {
		const { api } = await newCustomer(runtime);
		const plan = await planOf(runtime.db, 'umami', 'FREE');
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		const appNames = instanceNames(await untilStatus(instanceId, 'RUNNING'));
		await api.instances.stop({ id: instanceId });
		await untilStatus(instanceId, 'STOPPED');

		emulator().faults.failImagePull({ image: 'postgres:17.6-alpine' });
		await api.instances.start({ id: instanceId });
		const failed = await untilStatus(instanceId, 'ERROR');
		expect(failed.statusReason).toMatch(/image/i);
		expect(replicas(appNames).app).toBe(0);
		expect(livePods(appNames.namespace).filter((pod) => instanceLabel(pod) === appNames.deployment)).toEqual([]);
	});
});

type Pod = ReturnType<ReturnType<typeof emulator>['list']>[number];
const instanceLabel = (pod: Pod) => pod.metadata.labels?.['app.kubernetes.io/instance'];
const livePods = (namespace: string) =>
	emulator()
		.list('Pod', namespace)
		.filter((pod) => !pod.metadata.deletionTimestamp);

function replicas(appNames: ReturnType<typeof instanceNames>) {
	const of = (name: string) =>
		(emulator().get('Deployment', appNames.namespace, name) as unknown as { spec: { replicas: number } }).spec.replicas;
	return { app: of(appNames.deployment), database: of(appNames.database.deployment) };
}

/** The app's pod was created only once the database's pod was ready. */
function expectAppStartedAfterDatabaseReady(appNames: ReturnType<typeof instanceNames>) {
	const pods = livePods(appNames.namespace);
	const app = pods.find((pod) => instanceLabel(pod) === appNames.deployment)!;
	const database = pods.find((pod) => instanceLabel(pod) === appNames.database.deployment)!;
	const ready = (
		database.status as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] }
	).conditions?.find((condition) => condition.type === 'Ready' && condition.status === 'True');
	expect(ready?.lastTransitionTime).toBeDefined();
	expect(Date.parse(app.metadata.creationTimestamp!)).toBeGreaterThanOrEqual(Date.parse(ready!.lastTransitionTime!));
}
