// Backups of an app, as rows: asking for one (the owner, the schedule, an upgrade, a
// termination), listing them, and whether the cluster can take them at all. The snapshots
// themselves are the `backup-take` job's work (provisioning/backups.ts); these functions
// only write rows and send that job in the same transaction.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { BackupKind } from '$lib/statuses';
import { inTransaction, type DbOrTx, type Tx } from '../db/client';
import {
	backups,
	restores,
	serviceInstances,
	servicePlans,
	subscriptions,
	type Backup,
	type ServiceInstance
} from '../db/schema';
import { invalidState, notFound } from '../errors';
import { say } from '../sentences';
import { m } from '$lib/paraglide/messages';
import type { Cluster } from '../kube/cluster';
import { enqueue } from '../queue';
import { checksFor, consumeLimits } from '../rate-limit';
import type { Runtime } from '../runtime';
import type { Actor } from '../instances/service';
import { TERMINATION_BACKUP_DAYS } from './rules';
import { toBackupView, toRestoreView } from './views';
import { planAsSold } from '../catalog/plan-terms';

const DAY_MS = 86_400_000;
/** How long a look at the snapshot API is trusted: a cluster gains or loses the CRDs rarely. */
const AVAILABILITY_TTL_MS = 60_000;
const availability = new WeakMap<Cluster, { value: boolean; at: number }>();

/**
 * Whether the cluster has the CSI snapshot API (snapshot.storage.k8s.io). Without it
 * backups are shown as unavailable and the catalog does not advertise them. A cluster that
 * cannot be asked counts as without, until the next look.
 */
export async function backupsAvailable(runtime: Pick<Runtime, 'cluster' | 'log'>): Promise<boolean> {
	const cached = availability.get(runtime.cluster);
	if (cached && Date.now() - cached.at < AVAILABILITY_TTL_MS) return cached.value;
	const value = await runtime.cluster.snapshots.available().catch((error: unknown) => {
		runtime.log.warn({ err: error }, 'could not ask the cluster for the snapshot API');
		return false;
	});
	availability.set(runtime.cluster, { value, at: Date.now() });
	return value;
}

/** Forgets the last look at the snapshot API (a test that changes the cluster). */
export function forgetBackupAvailability(cluster: Cluster) {
	availability.delete(cluster);
}

/** The backup schedule and retention of the instance's plan, as it was sold to its subscriber. */
export async function backupPlan(db: DbOrTx, instance: Pick<ServiceInstance, 'subscriptionId'>) {
	const [row] = await db
		.select({
			plan: { id: servicePlans.id, backupSchedule: servicePlans.backupSchedule, backupRetention: servicePlans.backupRetention },
			subscription: { planId: subscriptions.planId, soldTerms: subscriptions.soldTerms }
		})
		.from(subscriptions)
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.where(eq(subscriptions.id, instance.subscriptionId));
	if (!row) return { schedule: 'NONE' as const, retention: 0 };
	const sold = planAsSold(row.plan, row.subscription);
	return { schedule: sold.backupSchedule, retention: sold.backupRetention };
}

/**
 * Records a backup of the instance and sends the job that takes its snapshots, in `tx` when
 * given (so it exists exactly when the caller's change commits). Its time is the billing
 * clock's, which the schedule is reckoned in. A termination's backup expires after 7 days.
 */
export async function requestBackup(
	runtime: Runtime,
	tx: Tx | undefined,
	instance: Pick<ServiceInstance, 'id' | 'userId' | 'namespace'>,
	kind: BackupKind
): Promise<Backup> {
	const now = runtime.clock.now();
	return inTransaction(tx ?? runtime.db, async (inner) => {
		const [backup] = await inner
			.insert(backups)
			.values({
				instanceId: instance.id,
				userId: instance.userId,
				kind,
				namespace: instance.namespace,
				createdAt: now,
				expiresAt: kind === 'BEFORE_TERMINATION' ? new Date(now.getTime() + TERMINATION_BACKUP_DAYS * DAY_MS) : null
			})
			.returning();
		await enqueue(runtime.boss, 'backup-take', { backupId: backup.id }, { tx: inner });
		return backup;
	});
}

/** Statuses of an app that has a volume to back up (in ERROR, only once it was set up: it got its address). */
const BACKED_UP: ServiceInstance['status'][] = ['RUNNING', 'STOPPED', 'STARTING', 'RESTARTING', 'UPDATING', 'ERROR', 'STOPPING'];
const hasVolume = (instance: ServiceInstance) =>
	BACKED_UP.includes(instance.status) && (instance.status !== 'ERROR' || instance.publicUrl !== null);

/**
 * Whether the app or its subscription is suspended (the app is scaled to zero, or about to be):
 * nothing is backed up or restored until the subscription is reactivated.
 */
async function isSuspended(db: DbOrTx, instance: Pick<ServiceInstance, 'status' | 'subscriptionId'>) {
	if (instance.status === 'SUSPENDED') return true;
	const [subscription] = await db
		.select({ status: subscriptions.status })
		.from(subscriptions)
		.where(eq(subscriptions.id, instance.subscriptionId));
	return subscription?.status === 'SUSPENDED';
}

/**
 * The owner's "Back up now": one at a time per app, on a cluster that can take snapshots, a
 * few an hour per account (each is a snapshot on the storage). Only a backup asked for counts
 * toward that limit: a refused attempt (one in progress, the app suspended) takes nothing.
 */
export async function backUpNow(runtime: Runtime, actor: Actor, instance: ServiceInstance) {
	if (!(await backupsAvailable(runtime))) throw invalidState(say(m.rst2_backups_unavailable));
	if (await isSuspended(runtime.db, instance)) throw invalidState(say(m.txt13_backups_suspended));
	if (!hasVolume(instance)) throw invalidState(say(m.rst2_cannot_back_up_now));
	const backup = await runtime.db.transaction(async (tx) => {
		// The app's row is the lock (as for a deletion or a restore): two clicks at once would
		// both find no backup being taken and both start one; the second now waits and sees the first.
		await tx.select({ id: serviceInstances.id }).from(serviceInstances).where(eq(serviceInstances.id, instance.id)).for('update');
		const [pending] = await tx
			.select({ id: backups.id })
			.from(backups)
			.where(and(eq(backups.instanceId, instance.id), eq(backups.status, 'PENDING')))
			.for('update');
		if (pending) throw invalidState(say(m.rst2_backup_in_progress));
		await consumeLimits(runtime.db, checksFor('backup', { account: actor.id }));
		return requestBackup(runtime, tx, instance, 'MANUAL');
	});
	return toBackupView(backup);
}

/** The instance's backups, newest first (deleted ones left out), and whether backups work here. */
export async function listBackups(runtime: Runtime, instance: ServiceInstance) {
	const [available, suspended, plan, restore, rows] = await Promise.all([
		backupsAvailable(runtime),
		isSuspended(runtime.db, instance),
		backupPlan(runtime.db, instance),
		latestRestore(runtime.db, instance.id),
		runtime.db
			.select()
			.from(backups)
			.where(and(eq(backups.instanceId, instance.id), inArray(backups.status, ['PENDING', 'READY', 'FAILED'])))
			.orderBy(desc(backups.createdAt))
	]);
	return { available, suspended, schedule: plan.schedule, retention: plan.retention, backups: rows.map(toBackupView), restore };
}

/** The app's newest restore (what the page shows: its progress, or the keep/undo choice). */
async function latestRestore(db: DbOrTx, instanceId: string) {
	const [restore] = await db
		.select()
		.from(restores)
		.where(eq(restores.instanceId, instanceId))
		.orderBy(desc(restores.createdAt))
		.limit(1);
	return restore ? toRestoreView(restore) : null;
}

/** Backups the owner may delete: those they asked for, one way or another. The others go by rule. */
const DELETABLE_KINDS: Backup['kind'][] = ['MANUAL', 'BEFORE_UPGRADE'];
/** A restore from a backup is open while it is being made, may be undone, or is being undone. */
const OPEN_RESTORE: (typeof restores.$inferSelect)['status'][] = ['RESTORING', 'RESTORED', 'UNDOING'];

/**
 * The owner deletes a backup they took (or an upgrade took): its row is DELETED and the
 * `backup-delete` job deletes its snapshots, in one transaction. Not while it is being taken,
 * nor while a restore from it is open. The app's row is the lock a restore takes too, so a
 * restore and a deletion of the same backup never both go ahead.
 */
export async function deleteOwnBackup(runtime: Runtime, actor: Actor, backupId: string) {
	const found = await getBackupFor(runtime.db, actor, backupId);
	const deleted = await runtime.db.transaction(async (tx) => {
		await tx
			.select({ id: serviceInstances.id })
			.from(serviceInstances)
			.where(eq(serviceInstances.id, found.instanceId))
			.for('update');
		const [backup] = await tx.select().from(backups).where(eq(backups.id, found.id)).for('update');
		if (!backup || backup.status === 'DELETED') throw notFound('Backup');
		if (!DELETABLE_KINDS.includes(backup.kind)) throw invalidState(say(m.txt19p_backup_delete_kind));
		if (backup.status === 'PENDING') throw invalidState(say(m.txt19p_backup_delete_pending));
		const [restore] = await tx
			.select({ id: restores.id })
			.from(restores)
			.where(and(eq(restores.backupId, backup.id), inArray(restores.status, OPEN_RESTORE)));
		if (restore) throw invalidState(say(m.txt19p_backup_delete_restoring));
		const [row] = await tx
			.update(backups)
			.set({ status: 'DELETED', readyToUse: false, deletedAt: runtime.clock.now() })
			.where(eq(backups.id, backup.id))
			.returning();
		await enqueue(runtime.boss, 'backup-delete', { backupId: backup.id }, { tx });
		return row;
	});
	return toBackupView(deleted);
}

/** The backup, if the actor owns its app (or is an administrator). */
export async function getBackupFor(db: DbOrTx, actor: Actor, id: string): Promise<Backup> {
	const [backup] = await db.select().from(backups).where(eq(backups.id, id));
	if (!backup || (backup.userId !== actor.id && actor.role !== 'ADMINISTRATOR')) throw notFound('Backup');
	return backup;
}
