// CSI volume snapshots (snapshot.storage.k8s.io/v1, the external-snapshotter CRDs) through
// client-node's CustomObjectsApi: taking a snapshot of a claim, reading its readiness and
// restoreSize, keeping its content past the snapshot's deletion (deletionPolicy Retain) and
// deleting it for good. https://kubernetes.io/docs/concepts/storage/volume-snapshots/
import type { CoreV1Api, CustomObjectsApi, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { ClusterError } from './errors';

export const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';
const VERSION = 'v1';

export type VolumeSnapshot = {
	apiVersion?: string;
	kind?: string;
	metadata: { name: string; namespace?: string; labels?: Record<string, string>; uid?: string; deletionTimestamp?: string };
	spec: {
		source: { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string };
		volumeSnapshotClassName?: string;
	};
	status?: {
		boundVolumeSnapshotContentName?: string;
		readyToUse?: boolean;
		restoreSize?: string;
		creationTime?: string;
		error?: { message?: string; time?: string };
	};
};

type Call = <T>(what: string, operation: () => Promise<T>) => Promise<T>;

const isNotFound = (error: unknown) => error instanceof ClusterError && error.status === 404;

export class VolumeSnapshots {
	constructor(
		private readonly call: Call,
		private readonly customObjects: CustomObjectsApi,
		private readonly core: CoreV1Api
	) {}

	/**
	 * Whether the cluster serves the snapshot CRDs: a cluster without them (no CSI snapshot
	 * support installed) answers 404 on the group's discovery document.
	 */
	async available(): Promise<boolean> {
		try {
			await this.call('discover snapshot.storage.k8s.io', () =>
				this.customObjects.getAPIResources({ group: SNAPSHOT_GROUP, version: VERSION })
			);
			return true;
		} catch (error) {
			if (isNotFound(error)) return false;
			throw error;
		}
	}

	/** The claims in a namespace that carry these labels (an app's own and its companion database's). */
	async claims(namespace: string, labels: Record<string, string>): Promise<V1PersistentVolumeClaim[]> {
		const labelSelector = Object.entries(labels)
			.map(([key, value]) => `${key}=${value}`)
			.join(',');
		const list = await this.call(`list claims in ${namespace}`, () =>
			this.core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector })
		);
		return list.items.filter((claim) => !claim.metadata?.deletionTimestamp);
	}

	/** Creates the snapshot; an existing one of that name is fine (a job's retry). */
	async create(snapshot: VolumeSnapshot): Promise<void> {
		const namespace = snapshot.metadata.namespace ?? '';
		const body = { apiVersion: `${SNAPSHOT_GROUP}/${VERSION}`, kind: 'VolumeSnapshot', ...snapshot };
		try {
			await this.call(`create VolumeSnapshot ${namespace}/${snapshot.metadata.name}`, () =>
				this.customObjects.createNamespacedCustomObject({
					group: SNAPSHOT_GROUP,
					version: VERSION,
					namespace,
					plural: 'volumesnapshots',
					body
				})
			);
		} catch (error) {
			if (!(error instanceof ClusterError && error.status === 409)) throw error;
		}
	}

	async read(namespace: string, name: string): Promise<VolumeSnapshot | undefined> {
		try {
			return (await this.call(`read VolumeSnapshot ${namespace}/${name}`, () =>
				this.customObjects.getNamespacedCustomObject({
					group: SNAPSHOT_GROUP,
					version: VERSION,
					namespace,
					plural: 'volumesnapshots',
					name
				})
			)) as VolumeSnapshot;
		} catch (error) {
			if (isNotFound(error)) return undefined;
			throw error;
		}
	}

	async delete(namespace: string, name: string): Promise<void> {
		try {
			await this.call(`delete VolumeSnapshot ${namespace}/${name}`, () =>
				this.customObjects.deleteNamespacedCustomObject({
					group: SNAPSHOT_GROUP,
					version: VERSION,
					namespace,
					plural: 'volumesnapshots',
					name
				})
			);
		} catch (error) {
			if (!isNotFound(error)) throw error;
		}
	}

	/**
	 * Sets a content's deletionPolicy. Retain keeps the content (and the storage's snapshot)
	 * when its VolumeSnapshot is deleted, as a namespace's deletion does; Delete before
	 * deleting the content removes the storage's snapshot too (a Retain content deleted as it
	 * is leaves the snapshot on the storage: kubernetes-csi/external-snapshotter#292,
	 * NetApp/trident#462).
	 */
	async setDeletionPolicy(contentName: string, policy: 'Delete' | 'Retain'): Promise<boolean> {
		try {
			await this.call(`set deletionPolicy of VolumeSnapshotContent ${contentName}`, () =>
				this.customObjects.patchClusterCustomObject(
					{
						group: SNAPSHOT_GROUP,
						version: VERSION,
						plural: 'volumesnapshotcontents',
						name: contentName,
						body: { spec: { deletionPolicy: policy } }
					},
					setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
				)
			);
			return true;
		} catch (error) {
			if (isNotFound(error)) return false;
			throw error;
		}
	}

	async deleteContent(contentName: string): Promise<void> {
		try {
			await this.call(`delete VolumeSnapshotContent ${contentName}`, () =>
				this.customObjects.deleteClusterCustomObject({
					group: SNAPSHOT_GROUP,
					version: VERSION,
					plural: 'volumesnapshotcontents',
					name: contentName
				})
			);
		} catch (error) {
			if (!isNotFound(error)) throw error;
		}
	}
}
