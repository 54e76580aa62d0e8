// Provisioning that never becomes ready gives up after the configured time: the rollout job
// looks again and again, then settles the set-up as failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serviceInstances } from '../../src/lib/server/db/schema';
import { instanceNames } from '../../src/lib/server/kube/names';
import { callerFor, createUser, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectInvariants } from '../support/invariants';
import { planOf, reloadPlan, reloadSubscription } from '../support/fixtures';
import { scaled } from '../support/timeouts';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ env: { MINISPOD_PROVISION_TIMEOUT_SECONDS: '2' }, work: true });
	// Pods take a minute to become ready: far past the two-second limit.
	runtime.emulator!.configure({ podReadyDelayMs: 60_000 });
});
afterAll(() => runtime?.close());

describe('provisioning timeout', () => {
	it('ends in ERROR with the reason, cleans up, releases the slot and refunds', async () => {
		const user = await createUser(runtime, { credit: 200_000 });
		const api = await callerFor(runtime, user);
		const plan = await planOf(runtime.db, 'n8n', 'BASIC');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });

		const status = async () =>
			(await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId)))[0].status;
		await expect.poll(status, { timeout: scaled(10_000), interval: 100 }).toBe('ERROR');
		const [failed] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId));
		expect(failed.statusReason).toMatch(/^The app did not become ready within 2 seconds/);
		expect(failed.provisioningSteps.find((s) => s.step === 'rollout')?.status).toBe('failed');
		expect(failed.provisioningSteps.find((s) => s.step === 'cleanup')?.status).toBe('done');
		const names = instanceNames(failed);
		expect(runtime.emulator!.list('Deployment', names.namespace)).toEqual([]);
		// It was the customer's only app: its namespace goes too.
		await expect.poll(() => runtime.emulator!.get('Namespace', undefined, names.namespace), { timeout: 10_000 }).toBeUndefined();
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(200_000);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(plan.usedQuota);
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('PENDING_PAYMENT');
		await expectInvariants(runtime.db);
	});
});
