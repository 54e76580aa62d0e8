// A customer's restart while the Kubernetes API server is failing (the emulator answering
// 500, or refusing with 403), with real pg-boss workers: trouble on the server's side is
// retried by the job through the queue and told as such; a refusal is told at once; an app
// whose restart never reached the cluster keeps running.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { notifications } from '../../src/lib/server/db/schema';
import { instanceNames } from '../../src/lib/server/kube/names';
import { renderInstanceReason, type InstanceReason } from '../../src/lib/server/instances/reasons';
import { newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectInvariants } from '../support/invariants';
import { planOf } from '../support/fixtures';
import { waitForInstance, waitForJob } from '../support/waits';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
	// The queue's retries as configured (jobs/instance-action.ts), a second apart instead of
	// backing off to half a minute, so exhausting them takes seconds: jobs take their retry
	// settings from the queue's row when they are sent.
	await runtime.db.execute(sql`UPDATE pgboss.queue SET retry_delay = 1, retry_backoff = false WHERE name = 'instance-action'`);
});
afterAll(() => runtime?.close());
afterEach(async () => {
	runtime.emulator!.faults.clear();
	await expectInvariants(runtime.db);
});

/** A running app of a new customer, and the path of its Deployment on the API server. */
async function runningApp() {
	const { user, api } = await newCustomer(runtime);
	const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
	const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
	const running = await waitForInstance(runtime, instanceId, (row) => row.status === 'RUNNING', 'RUNNING');
	const { namespace, deployment } = instanceNames(running);
	return { user, api, instanceId, running, deploymentPath: `/apis/apps/v1/namespaces/${namespace}/deployments/${deployment}` };
}

const restartJob = (instanceId: string) => waitForJob(runtime, 'instance-action', { data: { instanceId, action: 'restart' } });
const english = (text: unknown) => renderInstanceReason(text as InstanceReason, 'en');

describe('a restart while the API server answers 500', () => {
	it('for a few calls is retried by its job, says so meanwhile, and completes: the app is RUNNING on a new pod, never ERROR', async () => {
		const { api, instanceId, running, deploymentPath } = await runningApp();
		// More than the cluster client's own attempts (5): the job's first run fails, its retry succeeds.
		const fault = runtime.emulator!.faults.apiError({ method: 'PATCH', path: deploymentPath, status: 500, times: 7 });

		await api.instances.restart({ id: instanceId });
		const retrying = await waitForInstance(
			runtime,
			instanceId,
			(row) => row.statusReasonText?.key === 'action_retrying',
			'the retrying reason'
		);
		expect(retrying.status).toBe('RESTARTING');
		expect(english(retrying.statusReasonText)).toBe(
			'Could not restart the app yet: The cluster answered with an error (HTTP 500): the server is currently unable to handle the request (injected 500). Trying again shortly.'
		);
		const restarted = await waitForInstance(runtime, instanceId, (row) => row.status === 'RUNNING', 'RUNNING');
		expect(restarted.statusReason).toBeNull();
		expect(restarted.podName).not.toBe(running.podName);
		expect(fault.hits).toBe(7);
		const job = await restartJob(instanceId);
		expect(job.retryCount).toBe(1);
		const { rows } = await runtime.db.execute<{ status: string }>(
			sql`SELECT status FROM instance_events WHERE instance_id = ${instanceId} AND status = 'ERROR'`
		);
		expect(rows).toEqual([]);
	});

	it('on every call exhausts the retries, then keeps the untouched app RUNNING and says the cluster answered with an error', async () => {
		const { user, api, instanceId, running, deploymentPath } = await runningApp();
		const fault = runtime.emulator!.faults.apiError({ method: 'PATCH', path: deploymentPath, status: 500, times: Infinity });

		await api.instances.restart({ id: instanceId });
		const job = await restartJob(instanceId);
		expect(job.retryCount).toBe(job.retryLimit);
		expect(job.retryLimit).toBe(5);
		// Every run asked the cluster five times.
		expect(fault.hits).toBe(6 * 5);
		const after = await waitForInstance(runtime, instanceId, (row) => row.status !== 'RESTARTING', 'settled');
		expect(after.status).toBe('RUNNING');
		expect(after.podName).toBe(running.podName);
		const reason = english(after.statusReasonText);
		expect(reason).toMatch(/^Could not restart the app: The cluster answered with an error \(HTTP 500\): /);
		expect(reason).toContain('Nothing was changed');
		expect(reason).not.toContain('refused');
		const [notice] = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'INSTANCE_ACTION_FAILED')));
		expect(notice).toBeDefined();
	});
});

describe('a restart the API server refuses (403 Forbidden)', () => {
	it('is not retried: the refusal is told at once and the app keeps running', async () => {
		const { api, instanceId, running, deploymentPath } = await runningApp();
		const fault = runtime.emulator!.faults.apiError({
			method: 'PATCH',
			path: deploymentPath,
			status: 403,
			times: Infinity,
			message: 'deployments.apps is forbidden: User "system:serviceaccount:minispod:minispod" cannot patch resource "deployments"'
		});

		await api.instances.restart({ id: instanceId });
		const job = await restartJob(instanceId);
		expect(job.retryCount).toBe(0);
		expect(fault.hits).toBe(1);
		const after = await waitForInstance(runtime, instanceId, (row) => row.status !== 'RESTARTING', 'settled');
		expect(after.status).toBe('RUNNING');
		expect(after.podName).toBe(running.podName);
		expect(english(after.statusReasonText)).toMatch(
			/^Could not restart the app: Kubernetes refused: deployments\.apps is forbidden: .*Nothing was changed/
		);
	});
});
