// Restoring an app from one of its backups, undoing that, and keeping the restored data, as
// rows: each checks who may and whether the app can, records what happens (audited) and
// sends the `instance-restore` job in the same transaction. The cluster work is the job's
// (provisioning/restore.ts).
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client';
import { backups, restores, serviceInstances, subscriptions, type Restore, type ServiceInstance } from '../db/schema';
import { audit, type AuditAction } from '../audit/service';
import { invalidState, notFound } from '../errors';
import { say } from '../sentences';
import { m } from '$lib/paraglide/messages';
import { updateInstance } from '../instances/state';
import type { Actor } from '../instances/service';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import { volumeClaimNames } from '../kube/names';
import { getBackupFor } from './service';
import { toRestoreView } from './views';
import { instanceReason, statusReason } from '../instances/reasons';

/** A restore is open until it is kept, undone or failed: one at a time per app. */
const OPEN: Restore['status'][] = ['RESTORING', 'RESTORED', 'UNDOING'];
/** Statuses an app is switched from (and back to afterwards). */
const SETTLED: ServiceInstance['status'][] = ['RUNNING', 'STOPPED'];

/** Deletes the claims of one generation (the app's and its database's); what is gone is fine. */
export async function deleteClaims(runtime: Runtime, instance: { subdomain: string; namespace: string }, suffix: string | null) {
	const claims = volumeClaimNames(instance.subdomain, suffix);
	for (const name of [claims.app, claims.database]) {
		await runtime.cluster.delete('PersistentVolumeClaim', instance.namespace, name);
	}
}

/**
 * The restored data stays (the owner kept it, or its day is over): the claims the app ran on
 * before are deleted, never those it runs on now. The restore's row is held meanwhile, so an
 * undo asked for at the same moment waits and then finds it kept. Idempotent.
 */
export async function discardOldClaims(runtime: Runtime, restoreId: string) {
	return runtime.db.transaction(async (tx) => {
		const [restore] = await tx.select().from(restores).where(eq(restores.id, restoreId)).for('update');
		if (restore?.status !== 'RESTORED') return undefined;
		const [instance] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, restore.instanceId));
		if (instance && instance.volumeSuffix !== restore.previousSuffix)
			await deleteClaims(runtime, instance, restore.previousSuffix);
		const [kept] = await tx
			.update(restores)
			.set({ status: 'KEPT', decidedAt: runtime.clock.now() })
			.where(eq(restores.id, restore.id))
			.returning();
		return kept;
	});
}

/** Who acts, and from where, for the audit log. */
export type RestoreActor = Actor & { ipAddress?: string | null };

/** The instance, locked, if it can have its volumes switched now. */
async function lockSettledInstance(tx: Tx, instanceId: string) {
	const [instance] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, instanceId)).for('update');
	if (!instance) throw notFound('Instance');
	const [subscription] = await tx
		.select({ status: subscriptions.status })
		.from(subscriptions)
		.where(eq(subscriptions.id, instance.subscriptionId));
	if (subscription?.status === 'PENDING_UPGRADE') {
		throw invalidState(say(m.rst2_app_upgrading));
	}
	// Waiting does not help a suspended app (rst2_app_busy says to wait): paying does.
	if (subscription?.status === 'SUSPENDED' || instance.status === 'SUSPENDED') {
		throw invalidState(say(m.txt13_backups_suspended));
	}
	if (!SETTLED.includes(instance.status)) {
		throw invalidState(say(m.rst2_app_busy));
	}
	return instance;
}

const auditRestore = (tx: Tx, actor: RestoreActor, action: AuditAction, restore: Restore) =>
	audit(tx, {
		actorId: actor.id,
		action,
		entityType: 'instance',
		entityId: restore.instanceId,
		details: { restoreId: restore.id, backupId: restore.backupId, byAdministrator: actor.role === 'ADMINISTRATOR' },
		ipAddress: actor.ipAddress ?? null
	});

/**
 * Restores the app from a ready backup: it is stopped, new volumes are made from the
 * backup's snapshots, it is switched to them and started again if it was running. Its
 * current volumes are kept until the restore is kept or undone (or for 24 hours).
 */
export async function restoreBackup(runtime: Runtime, actor: RestoreActor, backupId: string) {
	const backup = await getBackupFor(runtime.db, actor, backupId);
	if (backup.status !== 'READY' || !backup.readyToUse) throw invalidState(say(m.rst2_backup_not_ready));
	const restore = await runtime.db.transaction(async (tx) => {
		const instance = await lockSettledInstance(tx, backup.instanceId);
		// Its owner may have deleted it meanwhile (deleteOwnBackup takes the app's row too).
		const [current] = await tx.select({ status: backups.status }).from(backups).where(eq(backups.id, backup.id));
		if (current?.status !== 'READY') throw invalidState(say(m.rst2_backup_not_ready));
		const [open] = await tx
			.select({ id: restores.id })
			.from(restores)
			.where(and(eq(restores.instanceId, instance.id), inArray(restores.status, OPEN)));
		if (open) throw invalidState(say(m.rst2_restore_open));
		const id = randomUUID();
		const [created] = await tx
			.insert(restores)
			.values({
				id,
				instanceId: instance.id,
				userId: instance.userId,
				backupId: backup.id,
				requestedBy: actor.id,
				previousSuffix: instance.volumeSuffix,
				restoredSuffix: `r${id.replace(/-/g, '').slice(0, 8)}`,
				startAfter: instance.status === 'RUNNING'
			})
			.returning();
		await updateInstance(tx, instance.id, { status: 'UPDATING', ...statusReason(instanceReason('restoring', {})) }, SETTLED);
		await auditRestore(tx, actor, 'backup.restore', created);
		await enqueue(runtime.boss, 'instance-restore', { instanceId: instance.id, restoreId: id }, { tx });
		return created;
	});
	return toRestoreView(restore);
}

/** The restore, if the actor owns its app (or is an administrator). */
async function getRestoreFor(db: DbOrTx, actor: Actor, id: string): Promise<Restore> {
	const [restore] = await db.select().from(restores).where(eq(restores.id, id));
	if (!restore || (restore.userId !== actor.id && actor.role !== 'ADMINISTRATOR')) throw notFound('Restore');
	return restore;
}

/** Undoes a restore: the app is switched back to the volumes it ran on before, the restored ones deleted. */
export async function undoRestore(runtime: Runtime, actor: RestoreActor, restoreId: string) {
	await getRestoreFor(runtime.db, actor, restoreId);
	const restore = await runtime.db.transaction(async (tx) => {
		const [current] = await tx.select().from(restores).where(eq(restores.id, restoreId)).for('update');
		if (current.status !== 'RESTORED') throw invalidState(say(m.rst2_undo_only_finished));
		const instance = await lockSettledInstance(tx, current.instanceId);
		const [undoing] = await tx
			.update(restores)
			.set({ status: 'UNDOING', step: 'stop', startAfter: instance.status === 'RUNNING' })
			.where(eq(restores.id, restoreId))
			.returning();
		await updateInstance(tx, instance.id, { status: 'UPDATING', ...statusReason(instanceReason('undoing', {})) }, SETTLED);
		await auditRestore(tx, actor, 'backup.restore_undo', undoing);
		await enqueue(runtime.boss, 'instance-restore', { instanceId: instance.id, restoreId }, { tx });
		return undoing;
	});
	return toRestoreView(restore);
}

/** Keeps the restored data: the volumes the app ran on before are deleted now. */
export async function keepRestored(runtime: Runtime, actor: RestoreActor, restoreId: string) {
	const restore = await getRestoreFor(runtime.db, actor, restoreId);
	if (restore.status !== 'RESTORED') throw invalidState(say(m.rst2_keep_only_finished));
	const kept = await discardOldClaims(runtime, restore.id);
	if (!kept) throw invalidState(say(m.rst2_keep_only_finished));
	await runtime.db.transaction(async (tx) => {
		await auditRestore(tx, actor, 'backup.restore_keep', kept);
		// The job sizes the namespace's quota for one generation of volumes again.
		await enqueue(runtime.boss, 'instance-restore', { instanceId: kept.instanceId, restoreId: kept.id }, { tx });
	});
	return toRestoreView(kept);
}
