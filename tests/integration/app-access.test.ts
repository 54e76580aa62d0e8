// Getting into an app (issue 12): the owner reveals its generated secrets after typing their
// password again, rotates one (the app restarts with it), and the secrets are sealed in the
// database, reach the cluster only as the app's Secret and stay out of the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, serviceInstances } from '../../src/lib/server/db/schema';
import { instanceNames } from '../../src/lib/server/kube/names';
import { openSecrets, resealInstanceSecrets } from '../../src/lib/server/secrets/instance-secrets';
import { generateSecretKey, parseSecretKey, sealedKeyId } from '../../src/lib/server/secrets/box';
import { currentKeyring } from '../../src/lib/server/secrets/keyring';
import { newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { rejection } from '../support/errors';
import { waitForInstance } from '../support/waits';
import type { ServiceInstance } from '../../src/lib/server/db/schema';

const PASSWORD = 'correct horse battery';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
});
afterAll(() => runtime?.close());

async function row(id: string): Promise<ServiceInstance> {
	const [found] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id));
	return found;
}

const auditOf = (instanceId: string) => runtime.db.select().from(auditLog).where(eq(auditLog.entityId, instanceId));

/** The app's Secret in the cluster, decoded (stringData lands in data, base64-encoded). */
function clusterSecret(instance: ServiceInstance): Record<string, string> {
	const names = instanceNames(instance);
	const secret = runtime.emulator!.get('Secret', names.namespace, names.secret) as unknown as { data: Record<string, string> };
	return Object.fromEntries(Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]));
}

async function runningVault() {
	const customer = await newCustomer(runtime);
	const plan = await planOf(runtime.db, 'vaultwarden', 'BASIC');
	const { instanceId } = await customer.api.subscriptions.subscribe({ planId: plan.id, name: 'Vault' });
	const running = await waitForInstance(runtime, instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
	return { ...customer, instanceId, running };
}

describe('revealing an app’s generated secrets', () => {
	it('asks for the password, refuses other customers, audits without values and keeps the rows sealed', async () => {
		const { api, user, instanceId, running } = await runningVault();
		const stored = running.generatedSecrets!.ADMIN_TOKEN;
		expect(stored).toMatch(/^enc:v1:/);
		const token = clusterSecret(running).ADMIN_TOKEN;
		expect(token).toHaveLength(48);
		expect(stored).not.toContain(token);

		const wrong = await rejection(api.instances.revealSecrets({ id: instanceId, password: 'not my password' }));
		expect(wrong.code).toBe('BAD_REQUEST');
		expect(JSON.stringify(wrong)).not.toContain(token);

		const other = await newCustomer(runtime);
		expect((await rejection(other.api.instances.revealSecrets({ id: instanceId, password: PASSWORD }))).code).toBe('NOT_FOUND');

		const revealed = await api.instances.revealSecrets({ id: instanceId, password: PASSWORD });
		expect(revealed.secrets).toEqual([{ name: 'ADMIN_TOKEN', description: expect.any(String), value: token }]);

		const entries = await auditOf(instanceId);
		expect(entries.map((entry) => [entry.action, entry.actorId])).toEqual(
			expect.arrayContaining([
				['instance.secrets.reveal_refused', user.id],
				['instance.secrets.revealed', user.id]
			])
		);
		expect(entries.find((entry) => entry.action === 'instance.secrets.revealed')!.details).toEqual({ names: ['ADMIN_TOKEN'] });
		expect(JSON.stringify(entries)).not.toContain(token);
		// The instance page lists the first-run steps and the secrets by name, never their values.
		const page = await api.instances.get({ id: instanceId });
		expect(page.access.secrets).toEqual([{ name: 'ADMIN_TOKEN', description: 'Opens the /admin page' }]);
		expect(page.access.firstRunSteps.join(' ')).toContain('/admin');
		expect(JSON.stringify(page)).not.toContain(token);
		expect(JSON.stringify(await api.instances.list())).not.toContain(token);
	});

	it('reads rows stored before encryption and seals them at boot', async () => {
		const { api, instanceId } = await runningVault();
		await runtime.db
			.update(serviceInstances)
			.set({ generatedSecrets: { ADMIN_TOKEN: 'legacy-plain-token' } })
			.where(eq(serviceInstances.id, instanceId));
		expect((await api.instances.revealSecrets({ id: instanceId, password: PASSWORD })).secrets[0].value).toBe(
			'legacy-plain-token'
		);

		expect((await resealInstanceSecrets(runtime.db)).resealed).toBeGreaterThanOrEqual(1);
		const sealed = (await row(instanceId)).generatedSecrets!.ADMIN_TOKEN;
		expect(sealed).toMatch(/^enc:v1:/);
		expect(sealed).not.toContain('legacy-plain-token');
		expect((await api.instances.revealSecrets({ id: instanceId, password: PASSWORD })).secrets[0].value).toBe(
			'legacy-plain-token'
		);
		// A second pass finds nothing left to seal for this instance.
		await resealInstanceSecrets(runtime.db);
		expect((await row(instanceId)).generatedSecrets!.ADMIN_TOKEN).toBe(sealed);
	});
});

describe('rotating the secret key', () => {
	it('re-seals every value under the new key, which then opens them without the old one', async () => {
		const { instanceId, running } = await runningVault();
		const token = clusterSecret(running).ADMIN_TOKEN;
		const old = currentKeyring().current;
		const fresh = parseSecretKey(generateSecretKey());
		// Without the old key nothing opens: the start goes on and names the instances.
		const stranger = parseSecretKey(generateSecretKey());
		const lost = await resealInstanceSecrets(runtime.db, { current: stranger, previous: [] });
		expect(lost.unreadable).toContain(instanceId);
		expect((await resealInstanceSecrets(runtime.db, { current: fresh, previous: [old] })).resealed).toBeGreaterThanOrEqual(1);
		const stored = (await row(instanceId)).generatedSecrets!;
		expect(sealedKeyId(stored.ADMIN_TOKEN)).toBe(fresh.id);
		expect(openSecrets(instanceId, stored, { current: fresh, previous: [] })).toEqual({ ADMIN_TOKEN: token });
		// Back to the runtime's key, for the other tests of this file.
		await resealInstanceSecrets(runtime.db, { current: old, previous: [fresh] });
		expect(sealedKeyId((await row(instanceId)).generatedSecrets!.ADMIN_TOKEN)).toBe(old.id);
	});
});

describe('the reveal’s rate limit', () => {
	it('refuses further password checks after ten in a quarter of an hour', async () => {
		const { api, instanceId } = await runningVault();
		for (let attempt = 0; attempt < 10; attempt += 1) {
			expect((await rejection(api.instances.revealSecrets({ id: instanceId, password: 'guess ' + attempt }))).code).toBe(
				'BAD_REQUEST'
			);
		}
		expect((await rejection(api.instances.revealSecrets({ id: instanceId, password: PASSWORD }))).code).toBe('TOO_MANY_ATTEMPTS');
	});
});

describe('rotating a generated secret', () => {
	it('stores a new value, writes it into the cluster Secret and restarts the app; audited by name', async () => {
		const { api, user, instanceId, running } = await runningVault();
		const before = clusterSecret(running).ADMIN_TOKEN;
		const names = instanceNames(running);
		const deployment = () =>
			runtime.emulator!.get('Deployment', names.namespace, names.deployment) as unknown as {
				spec: { template: { metadata: { annotations?: Record<string, string> } } };
			};
		const annotationsBefore = JSON.stringify(deployment().spec.template.metadata.annotations ?? {});

		const other = await newCustomer(runtime);
		expect((await rejection(other.api.instances.rotateSecret({ id: instanceId, name: 'ADMIN_TOKEN' }))).code).toBe('NOT_FOUND');
		expect((await rejection(api.instances.rotateSecret({ id: instanceId, name: 'NO_SUCH' }))).code).toBe('BAD_REQUEST');

		const restarting = await api.instances.rotateSecret({ id: instanceId, name: 'ADMIN_TOKEN' });
		expect(restarting.status).toBe('RESTARTING');
		const after = await waitForInstance(runtime, instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING again');

		const rotated = clusterSecret(after).ADMIN_TOKEN;
		expect(rotated).toHaveLength(48);
		expect(rotated).not.toBe(before);
		expect(JSON.stringify(deployment().spec.template.metadata.annotations ?? {})).not.toBe(annotationsBefore);
		expect((await api.instances.revealSecrets({ id: instanceId, password: PASSWORD })).secrets[0].value).toBe(rotated);

		const entries = await auditOf(instanceId);
		const entry = entries.find((candidate) => candidate.action === 'instance.secret.rotated');
		expect(entry).toMatchObject({ actorId: user.id, details: { name: 'ADMIN_TOKEN' } });
		expect(JSON.stringify(entries)).not.toContain(rotated);
		expect(JSON.stringify(entries)).not.toContain(before);
	});
});

describe('the secrets of an app being deleted', () => {
	it('are neither revealed nor rotated once its subscription is terminated, and say why', async () => {
		const { api, instanceId, running } = await runningVault();
		await api.subscriptions.cancel({ id: running.subscriptionId, when: 'now' });
		expect(['TERMINATING', 'TERMINATED']).toContain((await row(instanceId)).status);

		const reveal = await rejection(api.instances.revealSecrets({ id: instanceId, password: PASSWORD }));
		expect(reveal.code).toBe('INVALID_STATE');
		expect(reveal.message).toBe(
			'This app is being deleted or has been deleted, so its credentials can no longer be revealed or replaced.'
		);
		const rotate = await rejection(api.instances.rotateSecret({ id: instanceId, name: 'ADMIN_TOKEN' }));
		expect(rotate.code).toBe('INVALID_STATE');
		expect(rotate.message).toBe(reveal.message);
		// Nothing was read or changed: no audit entry of a reveal or a rotation.
		const actions = (await auditOf(instanceId)).map((entry) => entry.action);
		expect(actions).not.toContain('instance.secrets.revealed');
		expect(actions).not.toContain('instance.secret.rotated');
	});
});
