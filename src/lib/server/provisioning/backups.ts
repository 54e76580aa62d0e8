// The cluster side of backups. A backup is one CSI VolumeSnapshot of every claim of the
// instance, found by the instance label (the app's own volume and, where the template has
// one, its companion database's), taken in the app's namespace (a snapshot's source claim
// must be in its namespace: https://kubernetes.io/docs/concepts/storage/volume-snapshots/).
//
// A termination deletes the app's namespace objects, VolumeSnapshots included. So that its
// backup outlives them, each of its VolumeSnapshotContents (cluster-scoped) is set to
// deletionPolicy Retain once ready: deleting the VolumeSnapshot then leaves the content and
// the storage's snapshot in place, and an administrator restores it through a pre-provisioned
// VolumeSnapshot naming the content (spec.source.volumeSnapshotContentName). When it expires
// (7 days), the content is set back to Delete and deleted, which removes the storage's
// snapshot too. https://kubernetes.io/docs/concepts/storage/volume-snapshots/#delete
// https://kubernetes.io/docs/concepts/storage/volume-snapshots/#static
import { and, asc, desc, eq, inArray, isNotNull, lte, ne, or } from 'drizzle-orm';
import { backups, serviceInstances, servicePlans, subscriptions, type Backup, type BackupSnapshot } from '../db/schema';
import { ClusterError } from '../kube/errors';
import { LABEL, MANAGED_BY, volumeClaimNames } from '../kube/names';
import { notify } from '../notifications/service';
import { asInstanceReason } from '../notifications/texts';
import { instanceReason, renderInstanceReason, type InstanceReason } from '../instances/reasons';
import { clusterReason } from './attempts';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import { backupPlan, backupsAvailable, requestBackup } from '../backups/service';
import { planAsSold } from '../catalog/plan-terms';
import { expireRestores } from './restore';
import { deleteRestoredCopies } from './restored-volumes';
import { BACKUP_TIMEOUT_MS, backupSize, beyondRetention, isBackupDue, snapshotName } from '../backups/rules';

const LOOK_AGAIN_MS = 2_000;
const BACKUP_LABEL = 'minispod.io/backup-id';

async function loadBackup(runtime: Runtime, backupId: string) {
	const [backup] = await runtime.db.select().from(backups).where(eq(backups.id, backupId));
	return backup;
}

/** Creates the backup's snapshots (one per claim of the instance) and records their names. */
async function startSnapshots(runtime: Runtime, backup: Backup): Promise<BackupSnapshot[]> {
	const labelled = await runtime.cluster.snapshots.claims(backup.namespace, { [LABEL.instanceId]: backup.instanceId });
	// The claims the app runs on now: those a restore left behind (kept for an undo) are not its data.
	const [instance] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, backup.instanceId));
	const current = instance ? Object.values(volumeClaimNames(instance.subdomain, instance.volumeSuffix)) : [];
	const claims = labelled.filter((claim) => current.includes(claim.metadata!.name!));
	const snapshots: BackupSnapshot[] = claims.map((claim) => ({
		claim: claim.metadata!.name!,
		snapshot: snapshotName(claim.metadata!.name!, backup.id),
		readyToUse: false
	}));
	for (const entry of snapshots) {
		await runtime.cluster.snapshots.create({
			metadata: {
				name: entry.snapshot,
				namespace: backup.namespace,
				labels: { [LABEL.managedBy]: MANAGED_BY, [LABEL.instanceId]: backup.instanceId, [BACKUP_LABEL]: backup.id }
			},
			spec: {
				source: { persistentVolumeClaimName: entry.claim },
				...(runtime.config.kube.snapshotClass ? { volumeSnapshotClassName: runtime.config.kube.snapshotClass } : {})
			}
		});
	}
	return snapshots;
}

/** Reads every snapshot of the backup: their contents, sizes and readiness, or the first error. */
async function lookAtSnapshots(runtime: Runtime, backup: Backup) {
	const snapshots: BackupSnapshot[] = [];
	for (const entry of backup.snapshots) {
		const found = await runtime.cluster.snapshots.read(backup.namespace, entry.snapshot);
		if (!found) return { snapshots, error: instanceReason('backup_snapshot_gone', { claim: entry.claim }) };
		const status = found.status ?? {};
		// The snapshot controller's own words stay a parameter.
		if (status.error?.message) {
			return { snapshots, error: instanceReason('backup_snapshot_failed', { claim: entry.claim, detail: status.error.message }) };
		}
		snapshots.push({
			...entry,
			content: status.boundVolumeSnapshotContentName,
			restoreSize: status.restoreSize,
			readyToUse: status.readyToUse === true
		});
	}
	return { snapshots, error: undefined as InstanceReason | undefined };
}

/**
 * One look at a backup (the `backup-take` job): creates its snapshots the first time, then
 * records their progress; READY when all are ready, FAILED (the owner is told, the app
 * untouched) when one fails or they take too long. Sends itself again while they are being cut.
 */
export async function takeBackup(runtime: Runtime, backupId: string) {
	const backup = await loadBackup(runtime, backupId);
	if (!backup || backup.status !== 'PENDING') return { outcome: 'settled' as const };
	try {
		if (backup.snapshots.length === 0) {
			const snapshots = await startSnapshots(runtime, backup);
			if (snapshots.length === 0) return failBackup(runtime, backup, instanceReason('backup_no_volume', {}));
			await runtime.db.update(backups).set({ snapshots }).where(eq(backups.id, backup.id));
			return lookAgain(runtime, backup.id);
		}
		const { snapshots, error } = await lookAtSnapshots(runtime, backup);
		if (error) return failBackup(runtime, backup, error);
		if (snapshots.every((entry) => entry.readyToUse)) return completeBackup(runtime, backup, snapshots);
		await runtime.db.update(backups).set({ snapshots }).where(eq(backups.id, backup.id));
		if (runtime.clock.now().getTime() - backup.createdAt.getTime() > BACKUP_TIMEOUT_MS) {
			return failBackup(runtime, backup, instanceReason('backup_snapshots_not_ready', {}));
		}
		return lookAgain(runtime, backup.id);
	} catch (error) {
		// A refusal (no such class, forbidden) will not pass on a retry: the backup failed.
		if (error instanceof ClusterError && !error.retryable) return failBackup(runtime, backup, clusterReason(error));
		throw error;
	}
}

async function lookAgain(runtime: Runtime, backupId: string) {
	await enqueue(runtime.boss, 'backup-take', { backupId }, { startAfter: new Date(Date.now() + LOOK_AGAIN_MS) });
	return { outcome: 'waiting' as const };
}

async function completeBackup(runtime: Runtime, backup: Backup, snapshots: BackupSnapshot[]) {
	if (backup.kind === 'BEFORE_TERMINATION') {
		for (const entry of snapshots) if (entry.content) await runtime.cluster.snapshots.setDeletionPolicy(entry.content, 'Retain');
	}
	await runtime.db
		.update(backups)
		.set({ status: 'READY', snapshots, readyToUse: true, sizeBytes: backupSize(snapshots), readyAt: runtime.clock.now() })
		.where(and(eq(backups.id, backup.id), eq(backups.status, 'PENDING')));
	if (backup.kind === 'SCHEDULED') await applyRetention(runtime, backup.instanceId);
	return { outcome: 'ready' as const };
}

/** The backup failed: recorded with the reason, its snapshots cleaned up, the owner told. The app is left as it was. */
async function failBackup(runtime: Runtime, backup: Backup, text: InstanceReason) {
	const reason = renderInstanceReason(text, 'en') ?? text.key;
	await deleteSnapshots(runtime, backup).catch((error: unknown) =>
		runtime.log.warn({ err: error, backupId: backup.id }, 'could not delete the snapshots of a failed backup')
	);
	await runtime.db.transaction(async (tx) => {
		const [failed] = await tx
			.update(backups)
			.set({ status: 'FAILED', error: reason, errorText: text, readyToUse: false })
			.where(and(eq(backups.id, backup.id), eq(backups.status, 'PENDING')))
			.returning({ id: backups.id });
		if (!failed) return;
		const [instance] = await tx
			.select({ name: serviceInstances.name })
			.from(serviceInstances)
			.where(eq(serviceInstances.id, backup.instanceId));
		await notify(tx, {
			userId: backup.userId,
			type: 'BACKUP_FAILED',
			text: { key: 'backup_failed', params: { name: instance?.name ?? '', reason: asInstanceReason(text, reason) } },
			link: `/instances/${backup.instanceId}`,
			metadata: { instanceId: backup.instanceId, backupId: backup.id }
		});
	});
	return { outcome: 'failed' as const, reason };
}

/** Deletes the backup's snapshots; a retained content is set back to Delete first, so the storage lets go of it too. */
async function deleteSnapshots(runtime: Runtime, backup: Backup) {
	// What an administrator's restore of a terminated app made from it (restored-volumes.ts).
	if (backup.kind === 'BEFORE_TERMINATION') await deleteRestoredCopies(runtime, backup.id);
	for (const entry of backup.snapshots) {
		const retained = backup.kind === 'BEFORE_TERMINATION' && entry.content;
		if (retained) await runtime.cluster.snapshots.setDeletionPolicy(entry.content!, 'Delete');
		await runtime.cluster.snapshots.delete(backup.namespace, entry.snapshot);
		if (retained) await runtime.cluster.snapshots.deleteContent(entry.content!);
	}
}

/** Deletes a backup on the cluster and keeps its row as DELETED. */
export async function deleteBackup(runtime: Runtime, backup: Backup) {
	await deleteSnapshots(runtime, backup);
	await runtime.db
		.update(backups)
		.set({ status: 'DELETED', readyToUse: false, deletedAt: runtime.clock.now() })
		.where(eq(backups.id, backup.id));
}

/** The `backup-delete` job: the snapshots of a backup its owner deleted (backups/service.ts) go too. */
export async function deleteDeletedBackup(runtime: Runtime, backupId: string) {
	const backup = await loadBackup(runtime, backupId);
	if (backup?.status !== 'DELETED') return { outcome: 'kept' as const };
	await deleteSnapshots(runtime, backup);
	return { outcome: 'deleted' as const };
}

/** The oldest ready scheduled backups beyond the plan's retention are deleted, on the cluster too. */
export async function applyRetention(runtime: Runtime, instanceId: string) {
	const [instance] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId));
	if (!instance) return;
	const { retention } = await backupPlan(runtime.db, instance);
	const scheduled = await runtime.db
		.select()
		.from(backups)
		.where(and(eq(backups.instanceId, instanceId), eq(backups.kind, 'SCHEDULED'), eq(backups.status, 'READY')))
		.orderBy(desc(backups.createdAt));
	for (const backup of beyondRetention(scheduled, retention)) await deleteBackup(runtime, backup);
}

/** Apps whose plan backs them up and that have a volume now. */
const SCHEDULED_STATUSES = ['RUNNING', 'STOPPED', 'ERROR'] as const;

/**
 * The sweep (`backup-sweep`, every minute): a scheduled backup for each app whose plan's
 * schedule makes one due by the billing clock, expired backups (a termination's, after
 * 7 days) deleted, and the volumes kept after a restore deleted once its day is over. Nothing is done on a cluster without the snapshot API.
 */
export async function sweepBackups(runtime: Runtime) {
	if (!(await backupsAvailable(runtime))) return { due: 0, expired: 0, restoresKept: 0 };
	const now = runtime.clock.now();
	const rows = await runtime.db
		.select({
			instance: serviceInstances,
			plan: { id: servicePlans.id, backupSchedule: servicePlans.backupSchedule },
			subscription: { planId: subscriptions.planId, soldTerms: subscriptions.soldTerms }
		})
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.where(
			and(
				inArray(serviceInstances.status, SCHEDULED_STATUSES),
				// An app in ERROR has a volume only if it was once set up (it got its address); one
				// whose set-up failed has nothing on the cluster, and its "failed backup" mail would
				// tell the owner that an app that never ran keeps running.
				or(ne(serviceInstances.status, 'ERROR'), isNotNull(serviceInstances.publicUrl))
			)
		);
	// The schedule each subscriber was sold, which an edit of the plan since does not change.
	const candidates = rows
		.map((row) => ({ instance: row.instance, schedule: planAsSold(row.plan, row.subscription).backupSchedule }))
		.filter((candidate) => candidate.schedule !== 'NONE');
	let due = 0;
	for (const { instance, schedule } of candidates) {
		// The instance's row is the lock: two sweeps (worker replicas) take one backup, not two.
		const requested = await runtime.db.transaction(async (tx) => {
			await tx
				.select({ id: serviceInstances.id })
				.from(serviceInstances)
				.where(eq(serviceInstances.id, instance.id))
				.for('update');
			const [last] = await tx
				.select({ createdAt: backups.createdAt })
				.from(backups)
				.where(and(eq(backups.instanceId, instance.id), eq(backups.kind, 'SCHEDULED')))
				.orderBy(desc(backups.createdAt))
				.limit(1);
			if (!isBackupDue(schedule, last?.createdAt, now)) return false;
			await requestBackup(runtime, tx, instance, 'SCHEDULED');
			return true;
		});
		if (requested) due += 1;
	}
	const expired = await runtime.db
		.select()
		.from(backups)
		.where(and(isNotNull(backups.expiresAt), lte(backups.expiresAt, now), inArray(backups.status, ['READY', 'FAILED'])))
		.orderBy(asc(backups.expiresAt));
	for (const backup of expired) await deleteBackup(runtime, backup);
	return { due, expired: expired.length, restoresKept: await expireRestores(runtime) };
}

/**
 * Before a termination deletes the app's objects: its backup is asked for once and waited
 * for. 'wait' while its snapshots are being cut; 'go' once it is ready, failed (the owner
 * was told; the termination does not hang on it) or not possible on this cluster.
 */
export async function backupBeforeTermination(runtime: Runtime, instance: { id: string; userId: string; namespace: string }) {
	if (!(await backupsAvailable(runtime))) return 'go' as const;
	const [existing] = await runtime.db
		.select()
		.from(backups)
		.where(and(eq(backups.instanceId, instance.id), eq(backups.kind, 'BEFORE_TERMINATION')))
		.orderBy(desc(backups.createdAt))
		.limit(1);
	// The termination's own looks drive the backup too (as its job does; both converge), so
	// the app goes as soon as its snapshots are ready, not a job poll later.
	const backup = existing ?? (await requestBackup(runtime, undefined, instance, 'BEFORE_TERMINATION'));
	if (backup.status !== 'PENDING') return 'go' as const;
	const { outcome } = await takeBackup(runtime, backup.id);
	return outcome === 'waiting' ? ('wait' as const) : ('go' as const);
}
