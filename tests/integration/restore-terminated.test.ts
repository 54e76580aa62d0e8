// An administrator restores a terminated app from the backup taken before its termination,
// on the Kubernetes emulator: the app comes back as a granted subscription (no ledger entry,
// a slot taken) with the old volumes' files (the app's and its database's) through
// pre-provisioned snapshots bound to the retained contents, the owner is told, the backup is
// released. Refused when the backup has expired (billing clock), is not ready, or the plan is
// sold out; a restore whose backup's snapshot is gone fails and tells the owner; a restore that
// failed on the way is set up again from the same backup by the owner's Retry, free for the grant.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import {
	auditLog,
	backups,
	mailOutbox,
	notifications,
	servicePlans,
	serviceInstances,
	subscriptions,
	transactions,
	type ServiceInstance
} from '../../src/lib/server/db/schema';
import { moveBillingClock } from '../../src/lib/server/clock';
import { instanceNames, volumeClaimNames } from '../../src/lib/server/kube/names';
import { restoredNames } from '../../src/lib/server/provisioning/restored-volumes';
import { callerFor, createUser, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { rejection } from '../support/errors';
import { inLocale } from '../support/locale';
import { expectInvariants } from '../support/invariants';
import { waitForInstance } from '../support/waits';
import { eventually } from '../support/kube';
import { runningProApp } from '../support/apps';
import { DAY_MS, reloadPlan } from '../support/fixtures';

let runtime: TestRuntime;
let admin: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
	runtime.emulator!.configure({ snapshotReadyMs: 50 });
	admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
}, 120_000);
afterAll(() => runtime?.close());
afterEach(async () => {
	await expectInvariants(runtime.db);
});

const instanceRow = async (id: string) =>
	(await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, id)))[0];
const terminationBackup = async (instanceId: string) =>
	(
		await runtime.db
			.select()
			.from(backups)
			.where(and(eq(backups.instanceId, instanceId), eq(backups.kind, 'BEFORE_TERMINATION')))
	)[0];
const ledgerEntries = async (userId: string) =>
	(await runtime.db.select({ value: count() }).from(transactions).where(eq(transactions.userId, userId)))[0].value;

/** A running app with these files on its volumes, terminated by its owner now. */
async function terminatedApp(slug: string, files: { app: string; database?: string }) {
	const app = await runningProApp(runtime, slug);
	const claims = volumeClaimNames(app.instance.subdomain);
	runtime.emulator!.writeVolumeFile(app.instance.namespace, claims.app, 'notes.txt', files.app);
	if (files.database) runtime.emulator!.writeVolumeFile(app.instance.namespace, claims.database, 'rows', files.database);
	await app.api.subscriptions.cancel({ id: app.instance.subscriptionId, when: 'now' });
	await waitForInstance(runtime, app.instance.id, (changed) => changed.status === 'TERMINATED', 'TERMINATED');
	const backup = await terminationBackup(app.instance.id);
	expect(backup).toMatchObject({ status: 'READY', readyToUse: true });
	return { ...app, backup };
}

/** The claim the app's Deployment mounts, and its files. */
function mountedFiles(instance: ServiceInstance) {
	const deployment = runtime.emulator!.get('Deployment', instance.namespace, instanceNames(instance).deployment)!;
	const spec = deployment.spec as { template: { spec: { volumes: { persistentVolumeClaim?: { claimName: string } }[] } } };
	const claim = spec.template.spec.volumes.find((v) => v.persistentVolumeClaim)!.persistentVolumeClaim!.claimName;
	return runtime.emulator!.volumeFiles(instance.namespace, claim);
}

describe('restoring a terminated app (administrator)', () => {
	it('brings it back RUNNING with its volumes’ files, as a grant that takes a slot, tells the owner and releases the backup', async () => {
		const { user, api, instance, plan, backup } = await terminatedApp('umami', { app: 'kept notes', database: 'kept rows' });
		expect(
			(
				await rejection(
					api.admin.backups.restoreTerminated({ subscriptionId: instance.subscriptionId, reason: 'Terminated by mistake' })
				)
			).code
		).toBe('FORBIDDEN');
		const listed = await admin.admin.backups.restorable({ userId: user.id });
		expect(listed).toEqual([expect.objectContaining({ subscriptionId: instance.subscriptionId, backupId: backup.id })]);
		const entries = await ledgerEntries(user.id);
		const used = (await reloadPlan(runtime.db, plan.id)).usedQuota;

		const restored = await admin.admin.backups.restoreTerminated({
			subscriptionId: instance.subscriptionId,
			reason: 'Terminated by mistake'
		});
		expect(restored.backupId).toBe(backup.id);
		const [subscription] = await runtime.db.select().from(subscriptions).where(eq(subscriptions.id, restored.subscriptionId));
		expect(subscription).toMatchObject({ status: 'ACTIVE', isGrant: true, planId: plan.id, lastChargeAmount: 0 });
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(used + 1);
		// In use now: no longer offered, and asking again is refused (one live subscription per service),
		// in the operator's words: it is the customer who has the app, not the administrator asking.
		expect(await admin.admin.backups.restorable({ userId: user.id })).toEqual([]);
		const twice = () =>
			rejection(admin.admin.backups.restoreTerminated({ subscriptionId: instance.subscriptionId, reason: 'Twice by mistake' }));
		const refused = await inLocale('en', twice);
		expect(refused.code).toBe('DUPLICATE_SUBSCRIPTION');
		expect(refused.message).toBe('This customer already subscribes to Umami. Change or extend that subscription.');
		expect(refused.details).toEqual({ subscriptionId: restored.subscriptionId });
		expect((await inLocale('id', twice)).message).toBe(
			'Pelanggan ini sudah berlangganan Umami. Ubah atau perpanjang langganan itu.'
		);

		const running = await waitForInstance(runtime, restored.instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
		expect(mountedFiles(running)).toEqual({ 'notes.txt': 'kept notes' });
		const claims = volumeClaimNames(running.subdomain);
		expect(runtime.emulator!.volumeFiles(running.namespace, claims.database)).toEqual({ rows: 'kept rows' });
		const claim = runtime.emulator!.get('PersistentVolumeClaim', running.namespace, claims.app)!;
		expect((claim.spec as { dataSource: unknown }).dataSource).toEqual({
			apiGroup: 'snapshot.storage.k8s.io',
			kind: 'VolumeSnapshot',
			name: restoredNames(backup.id, 'app').snapshot
		});
		expect(await ledgerEntries(user.id)).toBe(entries);

		const [told] = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'INSTANCE_RESTORED')));
		expect(told.title).toBe(`${running.name} has been restored`);
		const mails = await runtime.db.select().from(mailOutbox).where(eq(mailOutbox.userId, user.id));
		expect(mails.some((mail) => (mail.data as { title?: string }).title === told.title)).toBe(true);
		const [audited] = await runtime.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'backup.restore_terminated'), eq(auditLog.entityId, restored.subscriptionId)));
		expect(audited.details).toMatchObject({ reason: 'Terminated by mistake', backupId: backup.id });

		// Released once the app runs on its copies: the retained contents and the pre-provisioned pairs are gone.
		await waitForBackup(backup.id, 'DELETED');
		expect((await instanceRow(restored.instanceId)).restoredFromBackupId).toBeNull();
		for (const entry of backup.snapshots)
			expect(runtime.emulator!.get('VolumeSnapshotContent', undefined, entry.content!)).toBeUndefined();
		expect(runtime.emulator!.get('VolumeSnapshotContent', undefined, restoredNames(backup.id, 'app').content)).toBeUndefined();
		expect(await admin.admin.backups.restorable({ userId: user.id })).toEqual([]);
	});

	it('is refused when the plan is sold out, the backup is not ready or has expired; a lost snapshot fails and tells the owner', async () => {
		const { user, api, instance, plan, backup } = await terminatedApp('vaultwarden', { app: 'notes' });
		const input = { subscriptionId: instance.subscriptionId, reason: 'Customer asked for it back' };

		const { usedQuota, totalQuota } = await reloadPlan(runtime.db, plan.id);
		await runtime.db.update(servicePlans).set({ totalQuota: usedQuota }).where(eq(servicePlans.id, plan.id));
		expect((await rejection(admin.admin.backups.restoreTerminated(input))).code).toBe('QUOTA_EXCEEDED');
		await runtime.db.update(servicePlans).set({ totalQuota }).where(eq(servicePlans.id, plan.id));

		await runtime.db.update(backups).set({ readyToUse: false }).where(eq(backups.id, backup.id));
		expect((await rejection(admin.admin.backups.restoreTerminated(input))).code).toBe('INVALID_STATE');
		await runtime.db.update(backups).set({ readyToUse: true }).where(eq(backups.id, backup.id));
		expect((await rejection(admin.admin.backups.restoreTerminated({ ...input, reason: 'no' }))).code).toBe('BAD_REQUEST');
		expect(await ledgerEntries(user.id)).toBeGreaterThan(0);

		// The storage's snapshot can no longer be reached: the set-up fails, the slot is given back, the owner told.
		for (const entry of backup.snapshots) await runtime.cluster.snapshots.deleteContent(entry.content!);
		const used = (await reloadPlan(runtime.db, plan.id)).usedQuota;
		const failed = await admin.admin.backups.restoreTerminated(input);
		const errored = await waitForInstance(runtime, failed.instanceId, (changed) => changed.status === 'ERROR', 'ERROR');
		expect(errored.statusReason).toMatch(/no longer on the cluster/);
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(used);
		const [told] = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'RESTORE_FAILED')));
		expect(told.title).toBe(`${errored.name} could not be restored`);

		// The failed one stands in the way (live, unpaid) until it is cancelled.
		expect((await rejection(admin.admin.backups.restoreTerminated(input))).code).toBe('DUPLICATE_SUBSCRIPTION');
		await api.subscriptions.cancel({ id: failed.subscriptionId, when: 'now' });
		await waitForInstance(runtime, failed.instanceId, (changed) => changed.status === 'TERMINATED', 'TERMINATED');
		expect(await admin.admin.backups.restorable({ userId: user.id })).toEqual([
			expect.objectContaining({ subscriptionId: instance.subscriptionId, backupId: backup.id })
		]);

		// Seven days after the termination (billing clock) the backup can no longer be restored.
		runtime.clock.observe(await moveBillingClock(runtime.db, 7 * DAY_MS + 60_000));
		const expired = await rejection(admin.admin.backups.restoreTerminated(input));
		expect(expired.code).toBe('INVALID_STATE');
		expect(expired.message).toMatch(/7 days/);
		expect(await admin.admin.backups.restorable({ userId: user.id })).toEqual([]);
		expect((await instanceRow(instance.id)).status).toBe('TERMINATED');
	});

	it('that failed on the way is set up again from the same backup by the owner’s Retry, without moving money', async () => {
		const { user, api, instance, plan, backup } = await terminatedApp('umami', { app: 'notes kept', database: 'rows kept' });
		// The API server refuses the pre-provisioned snapshot content until the fault is removed.
		const fault = runtime.emulator!.faults.apiError({
			method: 'POST',
			path: '/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents',
			status: 403,
			message: 'volumesnapshotcontents.snapshot.storage.k8s.io is forbidden',
			times: 10_000
		});
		let failed: { subscriptionId: string; instanceId: string; backupId: string };
		try {
			failed = await admin.admin.backups.restoreTerminated({
				subscriptionId: instance.subscriptionId,
				reason: 'Customer asked for it back'
			});
			const errored = await waitForInstance(runtime, failed.instanceId, (changed) => changed.status === 'ERROR', 'ERROR');
			expect(errored.statusReason).toMatch(/volumesnapshotcontents\.snapshot\.storage\.k8s\.io is forbidden/);
		} finally {
			fault.remove();
		}
		// Live but unpaid, the slot given back, still pointing at the backup it is restored from.
		const [pending] = await runtime.db.select().from(subscriptions).where(eq(subscriptions.id, failed.subscriptionId));
		expect(pending).toMatchObject({ status: 'PENDING_PAYMENT', isGrant: true });
		expect((await instanceRow(failed.instanceId)).restoredFromBackupId).toBe(backup.id);
		expect((await terminationBackup(instance.id)).status).toBe('READY');
		const entries = await ledgerEntries(user.id);
		const balance = (await reloadUser(runtime, user.id)).creditBalance;
		const used = (await reloadPlan(runtime.db, plan.id)).usedQuota;

		const retried = await api.instances.retry({ id: failed.instanceId });
		expect(retried.charged).toBe(0);
		const running = await waitForInstance(runtime, failed.instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
		// The same backup's data on the app's and its database's volumes, through its pre-provisioned snapshots.
		expect(mountedFiles(running)).toEqual({ 'notes.txt': 'notes kept' });
		const claims = volumeClaimNames(running.subdomain);
		expect(runtime.emulator!.volumeFiles(running.namespace, claims.database)).toEqual({ rows: 'rows kept' });
		const claim = runtime.emulator!.get('PersistentVolumeClaim', running.namespace, claims.app)!;
		expect((claim.spec as { dataSource: { name: string } }).dataSource.name).toBe(restoredNames(backup.id, 'app').snapshot);

		const [active] = await runtime.db.select().from(subscriptions).where(eq(subscriptions.id, failed.subscriptionId));
		expect(active).toMatchObject({ status: 'ACTIVE', isGrant: true, lastChargeAmount: 0, endDate: pending.endDate });
		expect((await reloadPlan(runtime.db, plan.id)).usedQuota).toBe(used + 1);
		expect(await ledgerEntries(user.id)).toBe(entries);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(balance);
		await waitForBackup(backup.id, 'DELETED');
	});
});

async function waitForBackup(id: string, status: string) {
	await eventually(async () => (await runtime.db.select().from(backups).where(eq(backups.id, id)))[0].status === status);
}
