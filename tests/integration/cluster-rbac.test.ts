// The ClusterRole in deploy/kubernetes grants exactly the API calls MinisPod's cluster client
// makes. The calls are not listed here: they are recorded through a whole app lifecycle
// (provision, stop/start/restart, live logs, health checks, upgrade, suspend/resume, a
// failed provisioning with its clean-up, deprovision, an administrator's restore of the
// terminated app) against the emulator, so the check
// follows the client as it changes.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeEmulator, type KubeEmulator } from '../../standins/kube-emulator';
import { backups, serviceInstances } from '../../src/lib/server/db/schema';
import { deleteBackup } from '../../src/lib/server/provisioning/backups';
import { refreshInstanceHealth } from '../../src/lib/server/provisioning/health';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf, reloadSubscription } from '../support/fixtures';
import { describeCall, grantedCalls, startRecordingProxy, type ApiCall, type RecordingProxy } from '../support/api-calls';
import { ROOT, scaled } from '../support/processes';
import { eventually } from '../support/kube';

let emulator: KubeEmulator;
let proxy: RecordingProxy;
let runtime: TestRuntime;
const kubeconfig = path.join(os.tmpdir(), `minispod-rbac-${process.pid}.json`);

beforeAll(async () => {
	emulator = await startKubeEmulator({ podReadyDelayMs: 100, logIntervalMs: 50, namespaces: ['ingress-nginx'] });
	proxy = await startRecordingProxy(emulator.url);
	writeFileSync(kubeconfig, emulator.kubeconfig().replace(emulator.url, proxy.url));
	runtime = await startTestRuntime({ work: true, env: { KUBECONFIG: kubeconfig } });
});

afterAll(async () => {
	await runtime?.close();
	await proxy?.close();
	await emulator?.stop();
	rmSync(kubeconfig, { force: true });
});

const WAIT_MS = scaled(30_000);
const status = async (id: string) =>
	(await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id)))[0].status;
const untilStatus = (id: string, expected: string) => eventually(async () => (await status(id)) === expected, WAIT_MS);

/** Drives one app through everything a customer and an administrator can do to it. */
async function wholeLifecycle() {
	const { user, api } = await newCustomer(runtime, 2_000_000);
	const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
	const basic = await planOf(runtime.db, 'n8n', 'BASIC');
	const pro = await planOf(runtime.db, 'n8n', 'PRO');
	const { instanceId, subscriptionId } = await api.subscriptions.subscribe({ planId: basic.id });
	await untilStatus(instanceId, 'RUNNING');

	await api.instances.stop({ id: instanceId });
	await untilStatus(instanceId, 'STOPPED');
	await api.instances.start({ id: instanceId });
	await untilStatus(instanceId, 'RUNNING');
	await api.instances.restart({ id: instanceId });
	await untilStatus(instanceId, 'RUNNING');

	// The live log, as the owner's browser reads it (a tRPC subscription), until a line arrives.
	const watching = new AbortController();
	const viewer = await callerFor(runtime, user, { signal: watching.signal });
	for await (const entry of await viewer.instances.logs({ id: instanceId, tailLines: 5 })) {
		if ((entry as { kind?: string }).kind === 'line') break;
	}
	watching.abort();

	await refreshInstanceHealth(runtime);

	await api.subscriptions.upgrade({ id: subscriptionId, planId: pro.id });
	await eventually(async () => (await reloadSubscription(runtime.db, subscriptionId)).status === 'ACTIVE', WAIT_MS);

	await admin.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Checking the RBAC of suspend' });
	await untilStatus(instanceId, 'SUSPENDED');
	await admin.admin.subscriptions.resume({ id: subscriptionId });
	await untilStatus(instanceId, 'RUNNING');

	// A second app whose image cannot be pulled: ERROR, and what was created is removed.
	emulator.faults.failImagePull({ image: 'ghost:' });
	const failed = await api.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'ghost', 'BASIC')).id });
	await untilStatus(failed.instanceId, 'ERROR');
	emulator.faults.clear();

	await api.subscriptions.cancel({ id: subscriptionId, when: 'now' });
	await untilStatus(instanceId, 'TERMINATED');
	// An administrator restores it from its termination backup (pre-provisioned contents and
	// snapshots, released once it runs), and it is terminated again.
	const restored = await admin.admin.backups.restoreTerminated({ subscriptionId, reason: 'Checking the RBAC of a restore' });
	await untilStatus(restored.instanceId, 'RUNNING');
	await eventually(
		async () => (await runtime.db.select().from(backups).where(eq(backups.id, restored.backupId)))[0].status === 'DELETED',
		WAIT_MS
	);
	await api.subscriptions.cancel({ id: restored.subscriptionId, when: 'now' });
	await untilStatus(restored.instanceId, 'TERMINATED');
	// The termination's backup, deleted as its expiry would (its retained content included).
	const [termination] = await runtime.db
		.select()
		.from(backups)
		.where(and(eq(backups.instanceId, restored.instanceId), eq(backups.kind, 'BEFORE_TERMINATION')));
	await deleteBackup(runtime, termination);
	await api.subscriptions.cancel({ id: failed.subscriptionId, when: 'now' });
}

function clusterRoleRules() {
	const text = readFileSync(path.join(ROOT, 'deploy/kubernetes/base/rbac.yaml'), 'utf8');
	const role = parseAllDocuments(text)
		.map((document) => document.toJS())
		.find((object) => object?.kind === 'ClusterRole');
	if (!role) throw new Error('deploy/kubernetes/base/rbac.yaml has no ClusterRole');
	return role.rules as { apiGroups?: string[]; resources?: string[]; verbs: string[] }[];
}

describe('the ClusterRole', () => {
	let recorded: ApiCall[];
	beforeAll(async () => {
		await wholeLifecycle();
		recorded = proxy.calls();
	}, scaled(240_000));

	it('grants every call the cluster client makes through an app lifecycle', () => {
		const granted = new Set(grantedCalls(clusterRoleRules()).map(describeCall));
		const missing = recorded.map(describeCall).filter((call) => !granted.has(call));
		expect(missing, `recorded: ${recorded.map(describeCall).join(', ')}`).toEqual([]);
	});

	it('grants nothing else, and no wildcard', () => {
		const rules = clusterRoleRules();
		for (const rule of rules) {
			for (const value of [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs]) expect(value).not.toContain('*');
		}
		const used = new Set(recorded.map(describeCall));
		expect(
			grantedCalls(rules)
				.map(describeCall)
				.filter((call) => !used.has(call))
		).toEqual([]);
	});
});
