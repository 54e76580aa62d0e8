// Backups end to end on the Kubernetes emulator's CSI snapshots: the plan's schedule by the
// billing clock, retention, "Back up now", a failed backup (the app keeps running, the owner
// is told), a termination's backup outliving the app's namespace objects, another customer
// seeing none of it, and a cluster without the snapshot API.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { backups, notifications, serviceInstances, servicePlans, type ServiceInstance } from '../../src/lib/server/db/schema';
import { moveBillingClock } from '../../src/lib/server/clock';
import { forgetBackupAvailability } from '../../src/lib/server/backups/service';
import { sweepBackups, takeBackup } from '../../src/lib/server/provisioning/backups';
import { newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';
import { rejection } from '../support/errors';
import { expectInvariants } from '../support/invariants';
import { eventually } from '../support/kube';
import { waitForInstance } from '../support/waits';
import { runningProApp } from '../support/apps';
import { renderText } from '../../src/lib/server/notifications/texts';

const HOUR_MS = 3_600_000;
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

const backupsOf = (instanceId: string) => runtime.db.select().from(backups).where(eq(backups.instanceId, instanceId));
const backupRow = async (id: string) => (await runtime.db.select().from(backups).where(eq(backups.id, id)))[0];

/** Drives the backup's job until it is settled (the worker may be doing the same; both converge). */
async function settled(id: string) {
	return eventually(async () => {
		await takeBackup(runtime, id);
		const row = await backupRow(id);
		return row.status !== 'PENDING' && row;
	});
}

async function moveClock(ms: number) {
	runtime.clock.observe(await moveBillingClock(runtime.db, ms));
}

const snapshotsIn = (instance: ServiceInstance) =>
	runtime
		.emulator!.list('VolumeSnapshot', instance.namespace)
		.filter((s) => s.metadata.labels?.['minispod.io/instance-id'] === instance.id);

describe('backups', () => {
	it('takes a scheduled backup when the plan makes one due, and retention deletes the oldest on the cluster', async () => {
		const { api, instance, plan } = await runningApp();
		await runtime.db
			.update(servicePlans)
			.set({ backupSchedule: 'HOURLY', backupRetention: 2 })
			.where(eq(servicePlans.id, plan.id));
		try {
			await sweepBackups(runtime);
			const [first] = await backupsOf(instance.id);
			expect(first).toMatchObject({ kind: 'SCHEDULED' });
			// Not due again within the hour.
			await sweepBackups(runtime);
			expect(await backupsOf(instance.id)).toHaveLength(1);
			const ready = await settled(first.id);
			expect(ready).toMatchObject({ status: 'READY', readyToUse: true });
			// Every claim of the instance, found by its label, is in the one backup.
			expect(ready.snapshots.map((s) => s.claim)).toContain(`${instance.subdomain}-data`);
			expect(ready.sizeBytes).toBeGreaterThan(0);

			const taken = [ready];
			for (let hour = 1; hour <= 2; hour++) {
				await moveClock(HOUR_MS);
				await sweepBackups(runtime);
				const rows = await backupsOf(instance.id);
				expect(rows).toHaveLength(hour + 1);
				const newest = rows.find((row) => !taken.some((t) => t.id === row.id))!;
				taken.push(await settled(newest.id));
			}
			// Three scheduled backups, two kept: the oldest is deleted, its snapshot too.
			expect((await backupRow(taken[0].id)).status).toBe('DELETED');
			expect((await backupRow(taken[2].id)).status).toBe('READY');
			const names = snapshotsIn(instance).map((s) => s.metadata.name);
			expect(names).not.toContain(taken[0].snapshots[0].snapshot);
			expect(names).toContain(taken[2].snapshots[0].snapshot);
			const listed = await api.backups.list({ instanceId: instance.id });
			expect(listed.backups.map((b) => b.id)).toEqual([taken[2].id, taken[1].id]);
		} finally {
			await runtime.db
				.update(servicePlans)
				.set({ backupSchedule: 'DAILY', backupRetention: 7 })
				.where(eq(servicePlans.id, plan.id));
		}
	});

	it('backs up a failing app that was set up, never one whose set-up failed (it has no volume)', async () => {
		const broken = await runningApp();
		const neverUp = await runningApp();
		await runtime.db.update(serviceInstances).set({ status: 'ERROR' }).where(eq(serviceInstances.id, broken.instance.id));
		// What a failed set-up leaves: an app in ERROR that never got its address.
		await runtime.db
			.update(serviceInstances)
			.set({ status: 'ERROR', publicUrl: null })
			.where(eq(serviceInstances.id, neverUp.instance.id));
		await sweepBackups(runtime);
		expect(await backupsOf(broken.instance.id)).toHaveLength(1);
		expect(await backupsOf(neverUp.instance.id)).toEqual([]);
		const refused = await rejection(neverUp.api.backups.create({ instanceId: neverUp.instance.id }));
		expect(refused.code).toBe('INVALID_STATE');
		expect(await backupsOf(neverUp.instance.id)).toEqual([]);
		await settled((await backupsOf(broken.instance.id))[0].id);
	});

	it('backs up now for the owner, and nobody else can see or take the backups', async () => {
		const { api, instance } = await runningApp();
		const created = await api.backups.create({ instanceId: instance.id });
		expect(created).toMatchObject({ kind: 'MANUAL', status: 'PENDING' });
		expect(await settled(created.id)).toMatchObject({ status: 'READY' });
		const listed = await api.backups.list({ instanceId: instance.id });
		expect(listed.available).toBe(true);
		expect(listed.backups[0]).toMatchObject({ id: created.id, kind: 'MANUAL', readyToUse: true, volumes: 1 });
		expect(listed.backups[0].sizeBytes).toBeGreaterThan(0);

		const stranger = await newCustomer(runtime);
		expect((await rejection(stranger.api.backups.list({ instanceId: instance.id }))).code).toBe('NOT_FOUND');
		expect((await rejection(stranger.api.backups.create({ instanceId: instance.id }))).code).toBe('NOT_FOUND');
	});

	it('the owner deletes a manual backup with its snapshots; not another customer, nor a backup being taken or a scheduled one', async () => {
		const { api, instance } = await runningApp();
		const created = await api.backups.create({ instanceId: instance.id });
		await settled(created.id);
		expect(snapshotsIn(instance).map((s) => s.metadata.name)).toEqual(
			(await backupRow(created.id)).snapshots.map((s) => s.snapshot)
		);

		const stranger = await newCustomer(runtime);
		expect((await rejection(stranger.api.backups.delete({ backupId: created.id }))).code).toBe('NOT_FOUND');
		expect((await backupRow(created.id)).status).toBe('READY');

		const deleted = await api.backups.delete({ backupId: created.id });
		expect(deleted).toMatchObject({ id: created.id, status: 'DELETED' });
		expect(await backupRow(created.id)).toMatchObject({ status: 'DELETED', readyToUse: false });
		expect((await api.backups.list({ instanceId: instance.id })).backups.map((b) => b.id)).not.toContain(created.id);
		// The backup-delete job deletes its VolumeSnapshots.
		await eventually(async () => snapshotsIn(instance).length === 0);
		expect((await rejection(api.backups.delete({ backupId: created.id }))).code).toBe('NOT_FOUND');

		// One being taken (its snapshots not cut yet) and a scheduled one are refused.
		const [taking] = await runtime.db
			.insert(backups)
			.values({ instanceId: instance.id, userId: instance.userId, kind: 'MANUAL', namespace: instance.namespace })
			.returning();
		const refused = await rejection(api.backups.delete({ backupId: taking.id }));
		expect(refused).toMatchObject({
			code: 'INVALID_STATE',
			message: 'This backup is still being taken. Wait for it to finish before deleting it.'
		});
		const [scheduled] = await runtime.db
			.insert(backups)
			.values({
				instanceId: instance.id,
				userId: instance.userId,
				kind: 'SCHEDULED',
				namespace: instance.namespace,
				status: 'READY'
			})
			.returning();
		expect((await rejection(api.backups.delete({ backupId: scheduled.id }))).code).toBe('INVALID_STATE');
		expect((await backupRow(taking.id)).status).toBe('PENDING');
		expect((await backupRow(scheduled.id)).status).toBe('READY');
		await runtime.db.delete(backups).where(eq(backups.instanceId, instance.id));
	});

	it('a "Back up now" refused because a backup is being taken does not count toward the hourly limit', async () => {
		const { api, instance } = await runningApp();
		// A scheduled backup being taken (no job: it stays PENDING while the owner clicks).
		const [taking] = await runtime.db
			.insert(backups)
			.values({ instanceId: instance.id, userId: instance.userId, kind: 'SCHEDULED', namespace: instance.namespace })
			.returning();
		for (let attempt = 0; attempt < 7; attempt++) {
			const refused = await rejection(api.backups.create({ instanceId: instance.id }));
			expect(refused.code).toBe('INVALID_STATE');
		}
		await runtime.db.update(backups).set({ status: 'FAILED' }).where(eq(backups.id, taking.id));
		const created = await api.backups.create({ instanceId: instance.id });
		expect(created).toMatchObject({ kind: 'MANUAL', status: 'PENDING' });
		await settled(created.id);
		// Backups asked for still count: six an hour.
		for (let taken = 1; taken < 6; taken++) {
			const next = await api.backups.create({ instanceId: instance.id });
			await settled(next.id);
		}
		expect((await rejection(api.backups.create({ instanceId: instance.id }))).code).toBe('TOO_MANY_ATTEMPTS');
	});

	it('"Back up now" asked several times at once takes one backup; the others are told one is being taken', async () => {
		const { api, instance } = await runningApp();
		const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => api.backups.create({ instanceId: instance.id })));
		const taken = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
		const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
		expect(taken).toHaveLength(1);
		for (const reason of refused) expect((await rejection(Promise.reject(reason))).code).toBe('INVALID_STATE');
		expect((await backupsOf(instance.id)).map((row) => row.kind)).toEqual(['MANUAL']);
		await settled(taken[0].id);
	});

	it('an upgrade backs the app up before its new plan is applied', async () => {
		const { api, instance } = await runningApp();
		const premium = await planOf(runtime.db, 'vaultwarden', 'PREMIUM');
		await api.subscriptions.upgrade({ id: instance.subscriptionId, planId: premium.id });
		const [backup] = (await backupsOf(instance.id)).filter((b) => b.kind === 'BEFORE_UPGRADE');
		expect(backup).toBeDefined();
		expect(await settled(backup.id)).toMatchObject({ status: 'READY', readyToUse: true });
	});

	it('a failed backup leaves the app running and tells the owner', async () => {
		const { user, api, instance } = await runningApp();
		const fault = runtime.emulator!.faults.apiError({
			method: 'POST',
			path: `/apis/snapshot.storage.k8s.io/v1/namespaces/${instance.namespace}/volumesnapshots`,
			status: 403,
			message: 'volumesnapshots is forbidden',
			times: 5
		});
		try {
			const created = await api.backups.create({ instanceId: instance.id });
			const failed = await settled(created.id);
			expect(failed.status).toBe('FAILED');
			expect(failed.error).toMatch(/forbidden/);
		} finally {
			fault.remove();
		}
		const [row] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, instance.id));
		expect(row.status).toBe('RUNNING');
		const notices = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'BACKUP_FAILED')));
		expect(notices).toHaveLength(1);
		expect(notices[0].body).toMatch(/keeps running/);
		expect(notices[0].text).toMatchObject({ key: 'backup_failed' });
		expect(renderText(notices[0].text!, 'id')?.body).toMatch(/tetap berjalan/);
	});

	it('a termination backs the app up first, and its snapshot content outlives the namespace objects', async () => {
		const { api, instance } = await runningApp();
		await api.subscriptions.cancel({ id: instance.subscriptionId, when: 'now' });
		await waitForInstance(runtime, instance.id, (changed) => changed.status === 'TERMINATED', 'TERMINATED');
		const [backup] = (await backupsOf(instance.id)).filter((b) => b.kind === 'BEFORE_TERMINATION');
		expect(backup).toMatchObject({ status: 'READY' });
		expect(backup.expiresAt!.getTime() - backup.createdAt.getTime()).toBe(7 * 24 * HOUR_MS);
		const content = backup.snapshots[0].content!;
		expect(runtime.emulator!.get('VolumeSnapshotContent', undefined, content)).toMatchObject({
			spec: { deletionPolicy: 'Retain' }
		});

		// Seven days on, the sweep deletes it for good, the content included.
		await moveClock(7 * 24 * HOUR_MS + 60_000);
		await sweepBackups(runtime);
		expect((await backupRow(backup.id)).status).toBe('DELETED');
		expect(runtime.emulator!.get('VolumeSnapshotContent', undefined, content)).toBeUndefined();
	});

	it('a cluster without the snapshot API shows backups as unavailable and the catalog promises none', async () => {
		const { api, instance, plan } = await runningApp();
		runtime.emulator!.configure({ snapshotApi: false });
		forgetBackupAvailability(runtime.cluster);
		try {
			const listed = await api.backups.list({ instanceId: instance.id });
			expect(listed.available).toBe(false);
			expect((await rejection(api.backups.create({ instanceId: instance.id }))).code).toBe('INVALID_STATE');
			const service = await api.catalog.service({ slug: 'vaultwarden' });
			const pro = service.plans.find((p) => p.id === plan.id)!;
			expect(pro.backupSchedule).toBe('NONE');
			expect(pro.features.join(' ')).not.toMatch(/backup/i);
		} finally {
			runtime.emulator!.configure({ snapshotApi: true });
			forgetBackupAvailability(runtime.cluster);
		}
		const service = await api.catalog.service({ slug: 'vaultwarden' });
		expect(service.plans.find((p) => p.id === plan.id)!.features.join(' ')).toMatch(/Daily backups/);
	});
});
