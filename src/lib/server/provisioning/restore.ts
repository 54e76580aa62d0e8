// The cluster side of a restore from a backup, and of its undo. A restore stops the app
// (its Deployment and its companion database's at zero replicas), makes new claims from the
// backup's VolumeSnapshots (spec.dataSource, at least the snapshot's restoreSize:
// https://kubernetes.io/docs/concepts/storage/persistent-volumes/#volume-snapshot-and-restore-volume-from-snapshot-support
// and https://kubernetes.io/docs/concepts/storage/volume-snapshots/#provisioning-volumes-from-snapshots),
// switches both Deployments to them (the instance's volume suffix: kube/names.ts) and starts
// the app again if it was running. The claims it ran on are kept, so the restore can be
// undone: the same steps back to the old claims, then the restored ones deleted.
//
// Each step is idempotent and the restore's row says which comes next, so a job that dies
// anywhere is simply run again (pg-boss's retry, or the recovery sweep). The app's volume
// suffix only changes once the new claims exist, and back only while the old ones are kept,
// so the app never points at a claim that is not there. A restore that cannot go on (the
// backup's snapshots are gone) is switched back the undo's way and ends FAILED.
import { and, eq, lte } from 'drizzle-orm';
import type { RestoreStep } from '$lib/statuses';
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { backups, restores, type Restore } from '../db/schema';
import { LABEL, MANAGED_BY, claimRole, volumeClaimNames } from '../kube/names';
import { companionObjects, type KubeManifest } from '../kube/manifests';
import { parseQuantity } from '../kube/quantity';
import { enqueue } from '../queue';
import type { DbOrTx } from '../db/client';
import { notifyOnce } from '../notifications/service';
import type { Runtime } from '../runtime';
import { updateInstance } from '../instances/state';
import { KnownFailure, failureOf, isTransient, type Attempt, type Failure } from './attempts';
import { KEEP_OLD_CLAIMS_HOURS } from '../backups/rules';
import { loadInstance, type LoadedInstance } from './job-data';
import { manifestsFor, namesOf, prepareNamespace, watchRollout } from './objects';
import { deleteClaims, discardOldClaims } from '../backups/restore';
import { instanceReason, renderInstanceReason, statusReason, type InstanceReason } from '../instances/reasons';
import { asInstanceReason } from '../notifications/texts';

/** What the app's page says while a step runs. */
const STEP_REASON: Partial<Record<RestoreStep, InstanceReason>> = {
	stop: instanceReason('restore_stop', {}),
	volumes: instanceReason('restore_volumes', {}),
	switch: instanceReason('restore_switch', {}),
	cleanup: instanceReason('restore_cleanup', {}),
	start: instanceReason('restore_start', {})
};

async function loadRestore(runtime: Runtime, restoreId: string) {
	const [restore] = await runtime.db.select().from(restores).where(eq(restores.id, restoreId));
	return restore;
}

/** Records the next step (while the restore is still in the status it was in) and tells the page. */
async function advance(runtime: Runtime, restore: Restore, step: RestoreStep) {
	await runtime.db.transaction(async (tx) => {
		const [moved] = await tx
			.update(restores)
			.set({ step })
			.where(and(eq(restores.id, restore.id), eq(restores.status, restore.status)))
			.returning({ id: restores.id });
		if (moved) await updateInstance(tx, restore.instanceId, statusReason(STEP_REASON[step] ?? null), ['UPDATING']);
	});
	return { ...restore, step };
}

/**
 * One run of a restore (the `instance-restore` job): works through its remaining steps.
 * A step that fails for good sends a restore back the undo's way; an undo's failure leaves
 * the app in ERROR with the restore still UNDOING, so running the job again finishes it.
 */
export async function runRestore(runtime: Runtime, restoreId: string, attempt: Attempt = { final: true }) {
	let restore = await loadRestore(runtime, restoreId);
	if (!restore || restore.status === 'RESTORED') return { outcome: 'settled' as const };
	const loaded = await loadInstance(runtime.db, restore.instanceId);
	// Kept, undone or failed (a run after the end): one generation of volumes again, and the namespace's quota with it.
	if (restore.status !== 'RESTORING' && restore.status !== 'UNDOING') {
		if (loaded) await prepareNamespace(runtime, loaded.instance, loaded.instance.namespace);
		return { outcome: 'settled' as const };
	}
	if (!loaded || loaded.instance.status === 'TERMINATING' || loaded.instance.status === 'TERMINATED') {
		await runtime.db
			.update(restores)
			.set({ status: 'FAILED', ...restoreError(instanceReason('restore_app_terminated', {})), decidedAt: runtime.clock.now() })
			.where(eq(restores.id, restoreId));
		return { outcome: 'settled' as const };
	}
	try {
		while (restore.step !== 'done') restore = await runStep(runtime, restore);
		if (restore.status === 'RESTORING') return { outcome: 'restored' as const };
		await prepareNamespace(runtime, loaded.instance, loaded.instance.namespace);
		return { outcome: 'undone' as const };
	} catch (error) {
		// A KnownFailure (the backup's snapshots are gone, ...) cannot go on whatever the retries: switched back, it fails.
		if (isTransient(error) && !attempt.final) throw error;
		const failure = failureOf(error);
		if (restore.status === 'RESTORING') return rollBack(runtime, restore, failure);
		const stuck = instanceReason('switch_back_failed', { cause: failure.text });
		await updateInstance(runtime.db, restore.instanceId, { status: 'ERROR', ...statusReason(stuck) }, ['UPDATING']);
		await tellOwnerRestoreFailed(runtime.db, restore, loaded.instance.name, stuck, { switchedBack: false });
		return { outcome: 'failed' as const, reason: failure.message };
	}
}

/** One step, done, and the restore with the next one recorded. */
async function runStep(runtime: Runtime, restore: Restore): Promise<Restore> {
	const loaded = (await loadInstance(runtime.db, restore.instanceId))!;
	const forward = restore.status === 'RESTORING';
	switch (restore.step) {
		case 'stop':
			// Room in the namespace's quota for a second generation of volumes (the restore is open).
			if (forward && (await prepareNamespace(runtime, loaded.instance, loaded.instance.namespace)) !== 'ready') {
				throw new KnownFailure(instanceReason('namespace_deleting', {}));
			}
			await scaleBoth(runtime, loaded, 0);
			return advance(runtime, restore, forward ? 'volumes' : 'switch');
		case 'volumes':
			await createRestoredClaims(runtime, restore, loaded);
			return advance(runtime, restore, 'switch');
		case 'switch':
			await switchClaims(runtime, loaded, forward ? restore.restoredSuffix : restore.previousSuffix);
			return advance(runtime, restore, forward ? 'start' : 'cleanup');
		case 'cleanup':
			await deleteClaims(runtime, loaded.instance, restore.restoredSuffix);
			return advance(runtime, restore, 'start');
		case 'start':
			return finish(runtime, restore, loaded);
		case 'done':
			return restore;
	}
}

/** The app's Deployment and its database's at this many replicas (those that exist). */
async function scaleBoth(runtime: Runtime, loaded: LoadedInstance, replicas: number) {
	const names = namesOf(loaded.instance);
	const deployments = [names.deployment, ...(loaded.service.companionDatabase ? [names.database.deployment] : [])];
	for (const name of deployments) {
		if (await runtime.cluster.getDeployment(names.namespace, name)) {
			await runtime.cluster.scaleDeployment(names.namespace, name, replicas);
		}
	}
}

/** A claim's requested size in bytes (0 when it has none). */
const requestedBytes = (claim: V1PersistentVolumeClaim | undefined) =>
	parseQuantity(claim?.spec?.resources?.requests?.storage ?? '0');

/**
 * A claim from each of the backup's snapshots, named for the restore's suffix, as big as
 * the claim the app runs on now and never smaller than the snapshot's restoreSize.
 */
async function createRestoredClaims(runtime: Runtime, restore: Restore, loaded: LoadedInstance) {
	const [backup] = await runtime.db.select().from(backups).where(eq(backups.id, restore.backupId));
	if (!backup || backup.status !== 'READY') throw new KnownFailure(instanceReason('backup_gone', {}));
	const { instance } = loaded;
	const names = namesOf(instance);
	const current = volumeClaimNames(instance.subdomain, instance.volumeSuffix);
	const restored = volumeClaimNames(instance.subdomain, restore.restoredSuffix);
	for (const entry of backup.snapshots) {
		const snapshot = await runtime.cluster.snapshots.read(backup.namespace, entry.snapshot);
		if (!snapshot?.status?.readyToUse) {
			throw new KnownFailure(instanceReason('restore_snapshot_gone', { claim: entry.claim }));
		}
		const role = claimRole(instance.subdomain, entry.claim);
		const existing = await runtime.cluster.read<V1PersistentVolumeClaim>('PersistentVolumeClaim', names.namespace, current[role]);
		const restoreSize = snapshot.status.restoreSize ?? '0';
		const storage =
			requestedBytes(existing) >= parseQuantity(restoreSize) ? existing!.spec!.resources!.requests!.storage! : restoreSize;
		await applyOnce(runtime, {
			apiVersion: 'v1',
			kind: 'PersistentVolumeClaim',
			metadata: {
				name: restored[role],
				namespace: names.namespace,
				labels: existing?.metadata?.labels ?? { [LABEL.managedBy]: MANAGED_BY, [LABEL.instanceId]: instance.id }
			},
			spec: {
				accessModes: existing?.spec?.accessModes ?? ['ReadWriteOnce'],
				resources: { requests: { storage } },
				...(existing?.spec?.storageClassName ? { storageClassName: existing.spec.storageClassName } : {}),
				dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: entry.snapshot }
			}
		});
	}
}

/**
 * Creates the claim, or leaves it as it is. Two runs of one restore (a job run again while
 * the first still ran) may both find it absent and both create it; the loser is refused
 * 403 "exceeded quota" rather than 409 (a real API server charges the quota before it sees
 * the name is taken: kubernetes/kubernetes#106842), which is fine once the claim is there.
 */
async function applyOnce(runtime: Runtime, claim: V1PersistentVolumeClaim) {
	const { namespace, name } = claim.metadata as { namespace: string; name: string };
	try {
		await runtime.cluster.apply<KubeManifest>(claim);
	} catch (error) {
		if (!(await runtime.cluster.read('PersistentVolumeClaim', namespace, name))) throw error;
	}
}

/** Points the app (and its database) at the claims of this suffix, still at zero replicas. */
async function switchClaims(runtime: Runtime, loaded: LoadedInstance, suffix: string | null) {
	await updateInstance(runtime.db, loaded.instance.id, { volumeSuffix: suffix });
	const switched = { ...loaded, instance: { ...loaded.instance, volumeSuffix: suffix } };
	const manifests = await manifestsFor(runtime, switched, loaded.plan, { stopped: true });
	const deployments = [...companionObjects(manifests).filter((o) => o.kind === 'Deployment'), manifests.deployment];
	for (const object of deployments) await runtime.cluster.apply<KubeManifest>(object);
}

/**
 * The database back up, and the app too if it was running (the rollout job then reports it
 * RUNNING); the restore RESTORED (its old claims kept for a day), UNDONE or FAILED.
 */
async function finish(runtime: Runtime, restore: Restore, loaded: LoadedInstance): Promise<Restore> {
	const names = namesOf(loaded.instance);
	if (loaded.service.companionDatabase) await runtime.cluster.scaleDeployment(names.namespace, names.database.deployment, 1);
	if (restore.startAfter) await runtime.cluster.scaleDeployment(names.namespace, names.deployment, 1);
	const now = runtime.clock.now();
	const outcome =
		restore.status === 'RESTORING'
			? {
					status: 'RESTORED' as const,
					restoredAt: now,
					keepOldUntil: new Date(now.getTime() + KEEP_OLD_CLAIMS_HOURS * 3_600_000)
				}
			: { status: restore.error ? ('FAILED' as const) : ('UNDONE' as const), decidedAt: now };
	const reason = failedReason(restore);
	return runtime.db.transaction(async (tx) => {
		const [finished] = await tx
			.update(restores)
			.set({ ...outcome, step: 'done' })
			.where(and(eq(restores.id, restore.id), eq(restores.status, restore.status)))
			.returning();
		if (!finished) return { ...restore, step: 'done' as const };
		const started = await updateInstance(
			tx,
			restore.instanceId,
			restore.startAfter ? { status: 'STARTING', ...reason } : { status: 'STOPPED', ...reason, podName: null },
			['UPDATING']
		);
		if (started && restore.startAfter)
			await watchRollout(runtime, { instanceId: restore.instanceId, operation: 'start' }, { tx });
		if (finished.status === 'FAILED') {
			await tellOwnerRestoreFailed(tx, finished, loaded.instance.name, restore.errorText ?? restore.error!);
		}
		return finished;
	});
}

/** The columns of a restore that say why it failed: the key and parameters, and the English beside them. */
const restoreError = (text: InstanceReason) => ({ error: renderInstanceReason(text, 'en'), errorText: text });

/**
 * What the app's page says after a failed restore was switched back (nothing after a
 * successful one); a restore that failed before error_text existed keeps its English.
 */
function failedReason(restore: Restore) {
	if (restore.errorText) return statusReason(instanceReason('restore_failed', { cause: restore.errorText }));
	if (restore.error) {
		return { statusReason: `Restore failed: ${restore.error} The app is back on its previous data.`, statusReasonText: null };
	}
	return statusReason(null);
}

/** The owner hears once that the restore failed (a job run again does not tell them twice), in their language. */
/** Tells the owner a restore failed: back on the earlier data, or (`switchedBack: false`) stuck and stopped. */
async function tellOwnerRestoreFailed(
	db: DbOrTx,
	restore: Restore,
	name: string,
	why: InstanceReason | string,
	{ switchedBack = true } = {}
) {
	const reason = typeof why === 'string' ? why : asInstanceReason(why, renderInstanceReason(why, 'en') ?? why.key);
	await notifyOnce(db, `restore-failed:${restore.id}`, {
		userId: restore.userId,
		type: 'RESTORE_FAILED',
		text: { key: switchedBack ? 'restore_failed' : 'restore_switch_back_failed', params: { name, reason } },
		link: `/instances/${restore.instanceId}`,
		metadata: { instanceId: restore.instanceId, restoreId: restore.id, backupId: restore.backupId }
	});
}

/** A restore that cannot go on: back to the old claims the undo's way, ending FAILED. */
async function rollBack(runtime: Runtime, restore: Restore, failure: Failure) {
	const reason = failure.message;
	runtime.log.warn({ restoreId: restore.id, reason }, 'a restore failed; switching the app back to its previous volumes');
	await runtime.db
		.update(restores)
		.set({ status: 'UNDOING', step: 'stop', error: reason, errorText: failure.text })
		.where(and(eq(restores.id, restore.id), eq(restores.status, 'RESTORING')));
	await enqueue(runtime.boss, 'instance-restore', { instanceId: restore.instanceId, restoreId: restore.id });
	return { outcome: 'rolling-back' as const, reason };
}

/** Restores nobody decided on within their day (the billing clock's): their old claims go. */
export async function expireRestores(runtime: Runtime) {
	const due = await runtime.db
		.select()
		.from(restores)
		.where(and(eq(restores.status, 'RESTORED'), lte(restores.keepOldUntil, runtime.clock.now())));
	for (const restore of due) {
		if (await discardOldClaims(runtime, restore.id)) await runRestore(runtime, restore.id);
	}
	return due.length;
}
