// A draining process is not ready, takes no new jobs, and lets the job it is running finish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serviceInstances } from '../../src/lib/server/db/schema';
import { setRuntime } from '../../src/lib/server/runtime';
import { GET as ready } from '../../src/routes/healthz/ready/+server';
import { GET as live } from '../../src/routes/healthz/live/+server';
import { newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf, queuedJobs } from '../support/fixtures';
import { waitForJob } from '../support/waits';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
	setRuntime(runtime);
});
afterAll(() => runtime?.close());

const status = async (id: string) =>
	(await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id)))[0].status;

describe('graceful shutdown', () => {
	it('drains: not ready, running jobs finish, new jobs wait for another worker', async () => {
		expect((await ready()).status).toBe(200);

		const { api } = await customer();
		// Provisioning stops at the Deployment until the test lets it go.
		const held = runtime.emulator!.faults.hold({ method: 'POST', path: '/deployments' });
		const first = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'vaultwarden', 'BASIC')).id });
		await held.reached;

		await runtime.drain();
		const response = await ready();
		expect(response.status).toBe(503);
		expect(await response.json()).toEqual({ ok: false, draining: true });
		expect((await live()).status).toBe(200);

		const second = await (
			await customer()
		).api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'memos', 'BASIC')).id });
		held.release();
		// The running job finishes: the first app's objects are applied. The wait for its pods
		// is a new job (instance-rollout), which, like the second app's set-up, waits for
		// another worker.
		expect((await waitForJob(runtime, 'provision-instance', { data: { instanceId: first.instanceId } })).state).toBe('completed');
		expect(await status(first.instanceId)).toBe('PROVISIONING');
		expect(await queuedJobs(runtime.db, 'instance-rollout')).toContainEqual(
			expect.objectContaining({ state: 'created', data: expect.objectContaining({ instanceId: first.instanceId }) })
		);
		expect(await status(second.instanceId)).toBe('PENDING');
		expect(await queuedJobs(runtime.db, 'provision-instance')).toContainEqual(
			expect.objectContaining({ state: 'created', data: { instanceId: second.instanceId } })
		);
	});
});

const customer = () => newCustomer(runtime);
