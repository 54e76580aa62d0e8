// Restoring an app from a backup on the Kubernetes emulator, whose volumes hold files that
// snapshots copy: the restored app sees the data of the backup's time, an undo brings the
// newer data back, keeping (or a day passing) deletes the previous volumes, an interrupted
// restore resumes, one that cannot go on switches back, and nobody restores what is not
// theirs or while the app is busy. Also: an upgrade waits for its backup before it changes
// anything on the cluster, and a failed backup leaves the plan as it was.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import {
	auditLog,
	backups,
	instanceEvents,
	notifications,
	restores,
	serviceInstances,
	subscriptions,
	transactions,
	type ServiceInstance
} from '../../src/lib/server/db/schema';
import { moveBillingClock } from '../../src/lib/server/clock';
import { instanceNames, volumeClaimNames } from '../../src/lib/server/kube/names';
import { runRestore } from '../../src/lib/server/provisioning/restore';
import { sweepBackups, takeBackup } from '../../src/lib/server/provisioning/backups';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { rejection } from '../support/errors';
import { expectInvariants } from '../support/invariants';
import { eventually } from '../support/kube';
import { waitForInstance } from '../support/waits';
import { runningProApp } from '../support/apps';
import { inLocale } from '../support/locale';
import { renderInstanceReason } from '../../src/lib/server/instances/reasons';

const HOUR_MS = 3_600_000;
const FILE = 'notes.txt';
let runtime: TestRuntime;

beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
	runtime.emulator!.configure({ snapshotReadyMs: 50 });
}, 120_000);
afterAll(() => runtime?.close());
afterEach(async () => {
	await expectInvariants(runtime.db);
});

const runningApp = (slug?: string) => runningProApp(runtime, slug);

const instanceRow = async (id: string) =>
	(await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id)))[0];
const restoreRow = async (id: string) => (await runtime.db.select().from(restores).where(eq(restores.id, id)))[0];

/** The claim the app's Deployment mounts now, and the files on it. */
function mounted(instance: ServiceInstance) {
	const deployment = runtime.emulator!.get('Deployment', instance.namespace, instanceNames(instance).deployment)!;
	const spec = deployment.spec as { template: { spec: { volumes: { persistentVolumeClaim?: { claimName: string } }[] } } };
	const claim = spec.template.spec.volumes.find((v) => v.persistentVolumeClaim)!.persistentVolumeClaim!.claimName;
	return { claim, files: runtime.emulator!.volumeFiles(instance.namespace, claim) };
}

const claimExists = (instance: ServiceInstance, name: string) =>
	runtime.emulator!.get('PersistentVolumeClaim', instance.namespace, name) !== undefined;

/** A ready manual backup of the app, taken while FILE says `text`; FILE says `after` from then on. */
async function backupWith(
	api: Awaited<ReturnType<typeof runningApp>>['api'],
	instance: ServiceInstance,
	text: string,
	after: string
) {
	const claim = volumeClaimNames(instance.subdomain, (await instanceRow(instance.id)).volumeSuffix).app;
	runtime.emulator!.writeVolumeFile(instance.namespace, claim, FILE, text);
	const created = await api.backups.create({ instanceId: instance.id });
	await eventually(async () => {
		await takeBackup(runtime, created.id);
		const [row] = await runtime.db.select().from(backups).where(eq(backups.id, created.id));
		return row.status === 'READY';
	});
	runtime.emulator!.writeVolumeFile(instance.namespace, claim, FILE, after);
	return created;
}

/** Waits for the restore to reach `status` and the app to be RUNNING again. */
async function settledAs(restoreId: string, instanceId: string, status: string) {
	const instance = await waitForInstance(runtime, instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
	const restore = await eventually(async () => {
		const row = await restoreRow(restoreId);
		return row.status === status && row;
	}).catch(async (error: Error) => {
		throw new Error(
			`${error.message}: ${JSON.stringify({ restore: await restoreRow(restoreId), instance: await instanceRow(instanceId) })}`
		);
	});
	return { instance, restore };
}

async function moveClock(ms: number) {
	runtime.clock.observe(await moveBillingClock(runtime.db, ms));
}

describe('restore from a backup', () => {
	it('brings the backup’s data back on new volumes, and undo brings the newer data back', async () => {
		const { user, api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		const original = volumeClaimNames(instance.subdomain).app;

		const started = await api.backups.restore({ backupId: backup.id });
		expect(started).toMatchObject({ status: 'RESTORING', backupId: backup.id });
		expect((await instanceRow(instance.id)).status).toBe('UPDATING');
		const { instance: restored, restore } = await settledAs(started.id, instance.id, 'RESTORED');
		expect(restored.volumeSuffix).toBe(restore.restoredSuffix);
		const now = mounted(restored);
		expect(now.claim).toBe(volumeClaimNames(instance.subdomain, restore.restoredSuffix).app);
		expect(now.files).toEqual({ [FILE]: 'old' });
		// The previous volume is kept, with the newer data, for an undo.
		expect(runtime.emulator!.volumeFiles(instance.namespace, original)).toEqual({ [FILE]: 'new' });
		expect(restore.keepOldUntil!.getTime() - restore.restoredAt!.getTime()).toBe(24 * HOUR_MS);
		const listed = await api.backups.list({ instanceId: instance.id });
		expect(listed.restore).toMatchObject({ id: started.id, status: 'RESTORED', step: 'done' });

		await api.backups.undoRestore({ restoreId: started.id });
		const { instance: undone } = await settledAs(started.id, instance.id, 'UNDONE');
		expect(undone.volumeSuffix).toBeNull();
		expect(mounted(undone)).toEqual({ claim: original, files: { [FILE]: 'new' } });
		await eventually(() => !claimExists(instance, now.claim));

		const audited = await runtime.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(and(eq(auditLog.actorId, user.id), eq(auditLog.entityId, instance.id)));
		expect(audited.map((a) => a.action).sort()).toEqual(['backup.restore', 'backup.restore_undo']);
	});

	it('restores the companion database’s volume together with the app’s', async () => {
		const { api, instance } = await runningApp('umami');
		const claims = volumeClaimNames(instance.subdomain);
		runtime.emulator!.writeVolumeFile(instance.namespace, claims.database, 'rows', 'old rows');
		const backup = await backupWith(api, instance, 'old', 'new');
		runtime.emulator!.writeVolumeFile(instance.namespace, claims.database, 'rows', 'new rows');
		const started = await api.backups.restore({ backupId: backup.id });
		const { restore } = await settledAs(started.id, instance.id, 'RESTORED');
		const restored = volumeClaimNames(instance.subdomain, restore.restoredSuffix);
		expect(runtime.emulator!.volumeFiles(instance.namespace, restored.database)).toEqual({ rows: 'old rows' });
		const database = runtime.emulator!.get('Deployment', instance.namespace, instanceNames(instance).database.deployment)!;
		expect(JSON.stringify(database.spec)).toContain(restored.database);
		await api.backups.keepRestored({ restoreId: started.id });
	});

	it('keep deletes the previous volumes at once; only one restore is open at a time', async () => {
		const { api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		const started = await api.backups.restore({ backupId: backup.id });
		expect((await rejection(api.backups.restore({ backupId: backup.id }))).code).toBe('INVALID_STATE');
		await settledAs(started.id, instance.id, 'RESTORED');
		expect((await rejection(api.backups.restore({ backupId: backup.id }))).message).toMatch(/keep its data or undo/);

		const kept = await api.backups.keepRestored({ restoreId: started.id });
		expect(kept.status).toBe('KEPT');
		await eventually(() => !claimExists(instance, volumeClaimNames(instance.subdomain).app));
		expect(mounted(await instanceRow(instance.id)).files).toEqual({ [FILE]: 'old' });
		expect((await rejection(api.backups.undoRestore({ restoreId: started.id }))).code).toBe('INVALID_STATE');
		// A new backup is of the volumes the app runs on now, not of the ones a restore left.
		const again = await backupWith(api, instance, 'third', 'fourth');
		const [row] = await runtime.db.select().from(backups).where(eq(backups.id, again.id));
		expect(row.snapshots.map((s) => s.claim)).toEqual([mounted(await instanceRow(instance.id)).claim]);
	});

	it('the sweep deletes the previous volumes 24 hours after the restore (billing clock)', async () => {
		const { api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		const started = await api.backups.restore({ backupId: backup.id });
		await settledAs(started.id, instance.id, 'RESTORED');
		const original = volumeClaimNames(instance.subdomain).app;
		await moveClock(23 * HOUR_MS);
		await sweepBackups(runtime);
		expect((await restoreRow(started.id)).status).toBe('RESTORED');
		expect(claimExists(instance, original)).toBe(true);
		await moveClock(HOUR_MS + 60_000);
		await sweepBackups(runtime);
		expect((await restoreRow(started.id)).status).toBe('KEPT');
		await eventually(() => !claimExists(instance, original));
	});

	it('a restore interrupted between steps resumes where it stopped, the app never left without its volume', async () => {
		const { api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		// Creating claims fails (the API server is unavailable) until the fault is removed.
		const fault = runtime.emulator!.faults.apiError({
			method: 'POST',
			path: `/api/v1/namespaces/${instance.namespace}/persistentvolumeclaims`,
			status: 503,
			times: 10_000
		});
		let started: { id: string };
		try {
			started = await api.backups.restore({ backupId: backup.id });
			// A run that dies part-way (its attempt is not the last: the queue will run it again).
			await expect(runRestore(runtime, started.id, { final: false })).rejects.toThrow();
			const interrupted = await restoreRow(started.id);
			expect(interrupted).toMatchObject({ status: 'RESTORING', step: 'volumes' });
			// Stopped, and still on its own volume with its data.
			const row = await instanceRow(instance.id);
			expect(row).toMatchObject({ status: 'UPDATING', volumeSuffix: null });
			expect(mounted(row).files).toEqual({ [FILE]: 'new' });
			expect(runtime.emulator!.get('Deployment', instance.namespace, instanceNames(instance).deployment)!.spec).toMatchObject({
				replicas: 0
			});
		} finally {
			fault.remove();
		}
		// The queue's next attempt (or this run) carries on from the recorded step.
		await runRestore(runtime, started.id);
		const { instance: restored } = await settledAs(started.id, instance.id, 'RESTORED');
		expect(mounted(restored).files).toEqual({ [FILE]: 'old' });
		await api.backups.keepRestored({ restoreId: started.id });
	});

	it('a restore whose snapshots are gone switches back to the previous data and fails', async () => {
		const { api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		const [row] = await runtime.db.select().from(backups).where(eq(backups.id, backup.id));
		await runtime.cluster.snapshots.delete(instance.namespace, row.snapshots[0].snapshot);
		await eventually(async () => !(await runtime.cluster.snapshots.read(instance.namespace, row.snapshots[0].snapshot)));
		const started = await api.backups.restore({ backupId: backup.id });
		const { instance: back, restore } = await settledAs(started.id, instance.id, 'FAILED');
		expect(restore.error).toMatch(/no longer on the cluster/);
		expect(restore.errorText).toMatchObject({ key: 'restore_snapshot_gone' });
		expect(back.volumeSuffix).toBeNull();
		expect(mounted(back).files).toEqual({ [FILE]: 'new' });
		// A failed restore is over: another may be asked for. Its reason reads in the viewer's language.
		const claim = row.snapshots[0].claim;
		expect((await inLocale('en', () => api.backups.list({ instanceId: instance.id }))).restore).toMatchObject({
			status: 'FAILED',
			error: `The snapshot of volume ${claim} is no longer on the cluster.`
		});
		expect((await inLocale('id', () => api.backups.list({ instanceId: instance.id }))).restore).toMatchObject({
			status: 'FAILED',
			error: `Snapshot volume ${claim} sudah tidak ada di klaster.`
		});
		// The app said so while it started again on its previous data (its history keeps the key).
		const [said] = await runtime.db
			.select()
			.from(instanceEvents)
			.where(and(eq(instanceEvents.instanceId, instance.id), sql`${instanceEvents.reasonText}->>'key' = 'restore_failed'`));
		expect(renderInstanceReason(said.reasonText!, 'id')).toBe(
			`Pemulihan gagal: Snapshot volume ${claim} sudah tidak ada di klaster. Aplikasi kembali memakai data sebelumnya.`
		);
		expect(said.reason).toBe(
			`Restore failed: The snapshot of volume ${claim} is no longer on the cluster. The app is back on its previous data.`
		);
		// The owner is told, once, in their language (both exist).
		const told = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, instance.userId), eq(notifications.type, 'RESTORE_FAILED')));
		expect(told).toHaveLength(1);
		expect(told[0].title).toBe(`Restoring ${instance.name} failed`);
		expect(told[0].body).toMatch(/no longer on the cluster.*back on the data it had before/);
		const { items: listed } = await inLocale('id', () => api.notifications.list());
		expect(listed.find((n) => n.type === 'RESTORE_FAILED')?.body).toBe(
			`Snapshot volume ${claim} sudah tidak ada di klaster. Aplikasi Anda kembali memakai data yang dimilikinya sebelum pemulihan.`
		);
	});

	it('is refused for another customer’s backup, for a backup not ready, and while an upgrade is in flight', async () => {
		const { api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		const stranger = await newCustomer(runtime);
		expect((await rejection(stranger.api.backups.restore({ backupId: backup.id }))).code).toBe('NOT_FOUND');

		runtime.emulator!.configure({ snapshotReadyMs: 60_000 });
		try {
			const premium = await planOf(runtime.db, 'vaultwarden', 'PREMIUM');
			await api.subscriptions.upgrade({ id: instance.subscriptionId, planId: premium.id });
			const refused = await rejection(api.backups.restore({ backupId: backup.id }));
			expect(refused.code).toBe('INVALID_STATE');
			expect(refused.message).toMatch(/being upgraded/);
			const [pending] = (await runtime.db.select().from(backups).where(eq(backups.instanceId, instance.id))).filter(
				(b) => b.kind === 'BEFORE_UPGRADE'
			);
			expect((await rejection(api.backups.restore({ backupId: pending.id }))).message).toMatch(/ready backup/);
		} finally {
			runtime.emulator!.configure({ snapshotReadyMs: 50 });
		}
		await waitForInstance(runtime, instance.id, (changed) => changed.status === 'RUNNING', 'RUNNING');
	});

	it('a backup cannot be deleted while a restore from it is open; once the restore is kept, it can', async () => {
		const { api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		const started = await api.backups.restore({ backupId: backup.id });
		const restoring = await rejection(api.backups.delete({ backupId: backup.id }));
		expect(restoring).toMatchObject({
			code: 'INVALID_STATE',
			message: 'Your app was restored from this backup and the restore is still open: keep the restored data or undo it first.'
		});
		await settledAs(started.id, instance.id, 'RESTORED');
		expect((await rejection(api.backups.delete({ backupId: backup.id }))).code).toBe('INVALID_STATE');
		await api.backups.keepRestored({ restoreId: started.id });
		expect(await api.backups.delete({ backupId: backup.id })).toMatchObject({ status: 'DELETED' });
		// A deleted backup cannot be restored from.
		expect((await rejection(api.backups.restore({ backupId: backup.id }))).code).toBe('INVALID_STATE');
	});

	it('is refused for a suspended app, as a backup is, saying it must be reactivated first', async () => {
		const { api, instance } = await runningApp();
		const backup = await backupWith(api, instance, 'old', 'new');
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		await admin.admin.subscriptions.suspend({ id: instance.subscriptionId, reason: 'Checking a payment' });
		const expectRefused = async () => {
			expect((await api.backups.list({ instanceId: instance.id })).suspended).toBe(true);
			for (const refused of [
				await rejection(api.backups.restore({ backupId: backup.id })),
				await rejection(api.backups.create({ instanceId: instance.id }))
			]) {
				expect(refused.code).toBe('INVALID_STATE');
				expect(refused.message).toBe(
					'The app is suspended: it can be backed up or restored once its subscription is reactivated.'
				);
			}
		};
		// From the moment the subscription is suspended, and once the app is scaled down.
		await expectRefused();
		await waitForInstance(runtime, instance.id, (changed) => changed.status === 'SUSPENDED', 'SUSPENDED');
		await expectRefused();
		expect(await runtime.db.select().from(restores).where(eq(restores.instanceId, instance.id))).toEqual([]);

		await admin.admin.subscriptions.resume({ id: instance.subscriptionId });
		await waitForInstance(runtime, instance.id, (changed) => changed.status === 'RUNNING', 'RUNNING');
		expect((await api.backups.list({ instanceId: instance.id })).suspended).toBe(false);
	});
});

describe('the backup before an upgrade', () => {
	const planAnnotation = (instance: ServiceInstance) =>
		runtime.emulator!.get('Deployment', instance.namespace, instanceNames(instance).deployment)!.metadata.annotations?.[
			'minispod.io/plan-id'
		];

	it('is ready before the new plan reaches the cluster', async () => {
		const { api, instance, plan } = await runningApp();
		const premium = await planOf(runtime.db, 'vaultwarden', 'PREMIUM');
		runtime.emulator!.configure({ snapshotReadyMs: 1_500 });
		try {
			await api.subscriptions.upgrade({ id: instance.subscriptionId, planId: premium.id });
			const [backup] = await runtime.db
				.select()
				.from(backups)
				.where(and(eq(backups.instanceId, instance.id), eq(backups.kind, 'BEFORE_UPGRADE')));
			// While the snapshot is being cut, the app keeps its old plan on the cluster.
			for (;;) {
				const [now] = await runtime.db.select().from(backups).where(eq(backups.id, backup.id));
				if (now.status !== 'PENDING') break;
				expect(planAnnotation(instance)).toBe(plan.id);
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		} finally {
			runtime.emulator!.configure({ snapshotReadyMs: 50 });
		}
		await waitForInstance(runtime, instance.id, (changed) => changed.status === 'RUNNING', 'RUNNING');
		expect(planAnnotation(instance)).toBe(premium.id);
		const [subscription] = await runtime.db.select().from(subscriptions).where(eq(subscriptions.id, instance.subscriptionId));
		expect(subscription).toMatchObject({ status: 'ACTIVE', planId: premium.id });
	});

	it('that fails leaves the plan unchanged, refunds the upgrade and says why', async () => {
		const { api, instance, plan } = await runningApp();
		const premium = await planOf(runtime.db, 'vaultwarden', 'PREMIUM');
		const fault = runtime.emulator!.faults.apiError({
			method: 'POST',
			path: `/apis/snapshot.storage.k8s.io/v1/namespaces/${instance.namespace}/volumesnapshots`,
			status: 403,
			message: 'volumesnapshots is forbidden',
			times: 5
		});
		try {
			await api.subscriptions.upgrade({ id: instance.subscriptionId, planId: premium.id });
			const back = await waitForInstance(runtime, instance.id, (changed) => changed.status === 'RUNNING', 'RUNNING');
			expect(back.statusReason).toMatch(/backup before it failed/);
		} finally {
			fault.remove();
		}
		expect(planAnnotation(instance)).toBe(plan.id);
		const [subscription] = await runtime.db.select().from(subscriptions).where(eq(subscriptions.id, instance.subscriptionId));
		expect(subscription).toMatchObject({ status: 'ACTIVE', planId: plan.id, previousPlanId: null });
		const refunds = await runtime.db
			.select()
			.from(transactions)
			.where(and(eq(transactions.subscriptionId, instance.subscriptionId), eq(transactions.type, 'REFUND')));
		expect(refunds).toHaveLength(1);
	});
});
