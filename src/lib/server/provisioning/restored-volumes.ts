// The volumes of an app an administrator restored from its termination backup. The backup's
// VolumeSnapshots went with the old app's objects; their VolumeSnapshotContents were kept
// (deletionPolicy Retain: backups.ts), and with them the storage's snapshots. A content cut
// from a volume cannot be bound by a new VolumeSnapshot: the snapshot controller binds only a
// pre-provisioned content, one whose spec.source is a snapshotHandle
// (getPreprovisionedContentFromStore in kubernetes-csi/external-snapshotter
// pkg/common-controller/snapshot_controller.go refuses the other kind: "VolumeSnapshotContent
// is dynamically provisioned while expecting a pre-provisioned one"). So for each of the
// backup's snapshots the set-up makes the "Pre-provisioned" pair of
// https://kubernetes.io/docs/concepts/storage/volume-snapshots/#provisioning-volume-snapshot :
// a VolumeSnapshotContent with the retained content's snapshotHandle whose
// spec.volumeSnapshotRef names the new VolumeSnapshot (namespace and name), and that
// VolumeSnapshot in the new app's namespace with spec.source.volumeSnapshotContentName; once
// it is readyToUse the app's claims (its own and its database's) are made from it
// (spec.dataSource, at least its restoreSize:
// https://kubernetes.io/docs/concepts/storage/volume-snapshots/#provisioning-volumes-from-snapshots).
//
// Once the restored app runs, its volumes are copies and the backup is released: the new
// content is set to Delete and its snapshot deleted (taking the storage's snapshot with it),
// the retained content deleted, the backup's row DELETED. Every step finds what a previous
// run made and carries on.
import { and, eq } from 'drizzle-orm';
import { backups, serviceInstances, type ServiceInstance } from '../db/schema';
import { claimRole, LABEL, MANAGED_BY } from '../kube/names';
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { KubeManifest } from '../kube/manifests';
import { parseQuantity } from '../kube/quantity';
import type { Runtime } from '../runtime';
import { KnownFailure } from './attempts';
import { instanceReason } from '../instances/reasons';

/** The backup cannot give the app its data (gone, expired, or its snapshot lost): the set-up fails. */
export class BackupUnavailable extends KnownFailure {}

type Role = 'app' | 'database';
/** Each claim role's source: the pre-provisioned VolumeSnapshot and its restoreSize. */
export type ClaimSources = Partial<Record<Role, { snapshot: string; restoreSize: string }>>;

const shortId = (backupId: string) => backupId.replace(/-/g, '').slice(0, 12);
/** The pre-provisioned pair's names for one of the backup's volumes. */
export const restoredNames = (backupId: string, role: Role) => ({
	snapshot: `restored-${shortId(backupId)}-${role}`,
	content: `minispod-restored-${shortId(backupId)}-${role}`
});

async function backupAndOldApp(runtime: Runtime, backupId: string) {
	const [row] = await runtime.db
		.select({ backup: backups, subdomain: serviceInstances.subdomain })
		.from(backups)
		.innerJoin(serviceInstances, eq(backups.instanceId, serviceInstances.id))
		.where(eq(backups.id, backupId));
	if (!row || row.backup.status !== 'READY') throw new BackupUnavailable(instanceReason('backup_gone', {}));
	return row;
}

/** The pre-provisioned content for one of the backup's volumes: made from the retained one, pointing at `snapshot`. */
async function ensureContent(
	runtime: Runtime,
	names: { snapshot: string; content: string },
	namespace: string,
	retained?: string
) {
	const snapshots = runtime.cluster.snapshots;
	const existing = await snapshots.readContent(names.content);
	if (existing) {
		const ref = existing.spec.volumeSnapshotRef;
		if (ref.namespace !== namespace || ref.name !== names.snapshot)
			await snapshots.pointContentAt(names.content, { namespace, name: names.snapshot });
		return;
	}
	const old = retained ? await snapshots.readContent(retained) : undefined;
	const handle = old?.status?.snapshotHandle;
	if (!old || !handle) throw new BackupUnavailable(instanceReason('backup_snapshot_missing', {}));
	await snapshots.createContent({
		metadata: { name: names.content, labels: { [LABEL.managedBy]: MANAGED_BY } },
		spec: {
			// Retain until the restore has settled: a failed set-up deleting its snapshot keeps the data.
			deletionPolicy: 'Retain',
			driver: old.spec.driver,
			source: { snapshotHandle: handle },
			...(old.spec.volumeSnapshotClassName ? { volumeSnapshotClassName: old.spec.volumeSnapshotClassName } : {}),
			volumeSnapshotRef: { kind: 'VolumeSnapshot', namespace, name: names.snapshot }
		}
	});
}

/**
 * The sources of the restored app's claims: undefined for an app not restored from a
 * backup, 'wait' while the pre-provisioned snapshots are not ready yet. Throws
 * BackupUnavailable when the backup cannot be used.
 */
export async function restoredClaimSources(runtime: Runtime, instance: ServiceInstance, namespace: string) {
	if (!instance.restoredFromBackupId) return undefined;
	const { backup, subdomain } = await backupAndOldApp(runtime, instance.restoredFromBackupId);
	const sources: ClaimSources = {};
	let ready = true;
	for (const entry of backup.snapshots) {
		const role = claimRole(subdomain, entry.claim);
		const names = restoredNames(backup.id, role);
		await ensureContent(runtime, names, namespace, entry.content);
		const snapshot = await runtime.cluster.snapshots.read(namespace, names.snapshot);
		if (!snapshot) {
			await runtime.cluster.snapshots.create({
				metadata: { name: names.snapshot, namespace, labels: { [LABEL.managedBy]: MANAGED_BY, [LABEL.instanceId]: instance.id } },
				spec: { source: { volumeSnapshotContentName: names.content } }
			});
			ready = false;
		} else if (snapshot.status?.error?.message) {
			// The snapshot controller's own words stay a parameter.
			const detail = snapshot.status.error.message;
			throw new BackupUnavailable(instanceReason('snapshot_unusable', { claim: entry.claim, detail }));
		} else if (snapshot.status?.readyToUse && snapshot.status.restoreSize) {
			sources[role] = { snapshot: names.snapshot, restoreSize: snapshot.status.restoreSize };
		} else ready = false;
	}
	return ready ? sources : ('wait' as const);
}

/** The app's claims made from the sources: a dataSource each, never smaller than the snapshot's restoreSize. */
export function withClaimSources(objects: KubeManifest[], subdomain: string, sources: ClaimSources): KubeManifest[] {
	return objects.map((object) => {
		if (object.kind !== 'PersistentVolumeClaim') return object;
		const source = sources[claimRole(subdomain, object.metadata!.name!)];
		if (!source) return object;
		const { spec } = object as V1PersistentVolumeClaim;
		const storage = spec?.resources?.requests?.storage ?? '0';
		const size = parseQuantity(storage) >= parseQuantity(source.restoreSize) ? storage : source.restoreSize;
		return {
			...object,
			spec: {
				...spec,
				resources: { ...spec?.resources, requests: { ...spec?.resources?.requests, storage: size } },
				dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: source.snapshot }
			}
		} as KubeManifest;
	});
}

/**
 * The restored app runs on copies of the backup: the backup is let go on the cluster (its
 * pre-provisioned snapshots with the storage's snapshots, the retained contents) and its row
 * is DELETED. Safe to repeat.
 */
export async function releaseRestoredBackup(runtime: Runtime, instance: Pick<ServiceInstance, 'id' | 'restoredFromBackupId'>) {
	if (!instance.restoredFromBackupId) return;
	const [backup] = await runtime.db.select().from(backups).where(eq(backups.id, instance.restoredFromBackupId));
	if (backup && backup.status !== 'DELETED') {
		await deleteRestoredCopies(runtime, backup.id);
		// The retained contents still name the storage's snapshot (gone now): deleted as they are.
		for (const entry of backup.snapshots) if (entry.content) await runtime.cluster.snapshots.deleteContent(entry.content);
	}
	await runtime.db.transaction(async (tx) => {
		if (backup) {
			await tx
				.update(backups)
				.set({ status: 'DELETED', readyToUse: false, deletedAt: runtime.clock.now() })
				.where(and(eq(backups.id, backup.id), eq(backups.status, backup.status)));
		}
		// Its claims exist now: a later set-up of the app (a retry) makes them as any app's.
		await tx.update(serviceInstances).set({ restoredFromBackupId: null }).where(eq(serviceInstances.id, instance.id));
	});
}

/**
 * Deletes the pre-provisioned pairs made from a backup (a restore's, or a failed one's
 * leftovers), wherever their snapshots are: each content is set to Delete first, so its
 * snapshot's deletion takes the content and the storage's snapshot with it.
 */
export async function deleteRestoredCopies(runtime: Runtime, backupId: string) {
	const snapshots = runtime.cluster.snapshots;
	for (const role of ['app', 'database'] as const) {
		const names = restoredNames(backupId, role);
		const content = await snapshots.readContent(names.content);
		if (!content) continue;
		await snapshots.setDeletionPolicy(names.content, 'Delete');
		await snapshots.delete(content.spec.volumeSnapshotRef.namespace, content.spec.volumeSnapshotRef.name);
		await snapshots.deleteContent(names.content);
	}
}
