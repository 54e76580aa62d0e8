// Item 7 of the hardening issue: control actions returned the raw instance row, generated
// secrets included. Every answer that carries an instance or a subscription must leave out
// its secrets and internals, whoever calls (the owner or an administrator).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serviceInstances, type InstanceStatus } from '../../src/lib/server/db/schema';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { expectInvariants } from '../support/invariants';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

const SECRET = 'sentinel-admin-token-5f0c2a';
const ENV = 'sentinel-env-value-91be';

/** Fails when an answer carries a planted secret or names a field that must stay on the server. */
function expectNoSecrets(answer: unknown) {
	const text = JSON.stringify(answer);
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain(ENV);
	expect(text).not.toContain('generatedSecrets');
	expect(text).not.toContain('envVars');
	expect(text).not.toContain('passwordHash');
}

async function setStatus(instanceId: string, status: InstanceStatus) {
	await runtime.db
		.update(serviceInstances)
		.set({ status, generatedSecrets: { ADMIN_TOKEN: SECRET }, envVars: { DOMAIN: ENV } })
		.where(eq(serviceInstances.id, instanceId));
}

describe('instance secrets never leave the server', () => {
	it('in what control actions, retries, pages and lists answer', async () => {
		const { api } = await newCustomer(runtime);
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
		const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id, name: 'Vault' });

		const answers: unknown[] = [];
		await setStatus(instanceId, 'RUNNING');
		answers.push(await api.instances.restart({ id: instanceId }));
		await setStatus(instanceId, 'RUNNING');
		answers.push(await api.subscriptions.restart({ id: subscriptionId }));
		await setStatus(instanceId, 'RUNNING');
		answers.push(await admin.instances.stop({ id: instanceId }));
		await setStatus(instanceId, 'STOPPED');
		answers.push(await api.instances.start({ id: instanceId }));
		await setStatus(instanceId, 'STOPPED');
		answers.push(await api.subscriptions.start({ id: subscriptionId }));
		await setStatus(instanceId, 'ERROR');
		answers.push(await api.instances.retry({ id: instanceId }));
		await setStatus(instanceId, 'ERROR');
		answers.push(await api.subscriptions.retryProvisioning({ id: subscriptionId }));
		await setStatus(instanceId, 'RUNNING');
		answers.push(
			await api.instances.get({ id: instanceId }),
			await admin.instances.get({ id: instanceId }),
			await api.instances.list(),
			await api.subscriptions.get({ id: subscriptionId }),
			await api.subscriptions.list(),
			await admin.admin.subscriptions.list({ page: 1, pageSize: 25 })
		);
		for (const answer of answers) expectNoSecrets(answer);
		await expectInvariants(runtime.db);
	});
});
