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

/** The cluster-scoped object that holds a snapshot on the storage (its handle there). */
export type VolumeSnapshotContent = {
	apiVersion?: string;
	kind?: string;
	metadata: { name: string; labels?: Record<string, string>; uid?: string };
	spec: {
		deletionPolicy: 'Delete' | 'Retain';
		driver: string;
		/** volumeHandle: cut from a volume (dynamic); snapshotHandle: pre-provisioned. */
		source: { volumeHandle?: string; snapshotHandle?: string };
		volumeSnapshotClassName?: string;
		volumeSnapshotRef: { kind?: string; namespace: string; name: string; uid?: string };
	};
	status?: { snapshotHandle?: string; readyToUse?: boolean; restoreSize?: number; error?: { message?: string } };
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

	async readContent(contentName: string): Promise<VolumeSnapshotContent | undefined> {
		try {
			return (await this.call(`read VolumeSnapshotContent ${contentName}`, () =>
				this.customObjects.getClusterCustomObject({
					group: SNAPSHOT_GROUP,
					version: VERSION,
					plural: 'volumesnapshotcontents',
					name: contentName
				})
			)) as VolumeSnapshotContent;
		} catch (error) {
			if (isNotFound(error)) return undefined;
			throw error;
		}
	}

	/** Creates a (pre-provisioned) content; an existing one of that name is fine (a job's retry). */
	async createContent(content: VolumeSnapshotContent): Promise<void> {
		const body = { apiVersion: `${SNAPSHOT_GROUP}/${VERSION}`, kind: 'VolumeSnapshotContent', ...content };
		try {
			await this.call(`create VolumeSnapshotContent ${content.metadata.name}`, () =>
				this.customObjects.createClusterCustomObject({
					group: SNAPSHOT_GROUP,
					version: VERSION,
					plural: 'volumesnapshotcontents',
					body
				})
			);
		} catch (error) {
			if (!(error instanceof ClusterError && error.status === 409)) throw error;
		}
	}

	/**
	 * Points a pre-provisioned content at the VolumeSnapshot that is to bind it (its namespace
	 * and name, the uid cleared: the snapshot controller fills it in when it binds). The
	 * controller binds only a content whose volumeSnapshotRef names the snapshot:
	 * https://kubernetes.io/docs/concepts/storage/volume-snapshots/#volume-snapshot-contents
	 */
	async pointContentAt(contentName: string, ref: { namespace: string; name: string }): Promise<void> {
		await this.call(`point VolumeSnapshotContent ${contentName} at ${ref.namespace}/${ref.name}`, () =>
			this.customObjects.patchClusterCustomObject(
				{
					group: SNAPSHOT_GROUP,
					version: VERSION,
					plural: 'volumesnapshotcontents',
					name: contentName,
					body: { spec: { volumeSnapshotRef: { kind: 'VolumeSnapshot', namespace: ref.namespace, name: ref.name, uid: null } } }
				},
				setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
			)
		);
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
