// The CSI external-snapshotter in miniature (snapshot-controller plus a CSI driver's
// snapshotter sidecar): a VolumeSnapshot of a claim gets a VolumeSnapshotContent bound to
// it, and both turn readyToUse with a restoreSize after `snapshotReadyMs`; deleting a
// snapshot deletes its content only when the content's deletionPolicy is Delete (Retain
// keeps it, so a pre-provisioned VolumeSnapshot can bind it again later); a claim whose
// dataSource is a ready VolumeSnapshot is restored from it (Bound, with the snapshot's files:
// volumes.ts) when it asks for at least the snapshot's restoreSize; a smaller claim stays
// Pending, as the CSI external-provisioner refuses it ("requested volume size is less than
// the size for the source snapshot"; the CSI spec's CreateVolume with a snapshot source
// must be at least its size_bytes). A pre-provisioned content (spec.source.snapshotHandle,
// made by hand for a snapshot the storage already has) is checked against the storage by the
// sidecar (CSI ListSnapshots: readyToUse and restoreSize, or an error when the storage has no
// such snapshot); a VolumeSnapshot naming a content binds it only when the content is
// pre-provisioned and its volumeSnapshotRef names that snapshot, as the snapshot controller
// does (getPreprovisionedContentFromStore in kubernetes-csi/external-snapshotter
// pkg/common-controller/snapshot_controller.go: "VolumeSnapshotContent is dynamically
// provisioned while expecting a pre-provisioned one", "... is bound to a different snapshot").
// A deleted content takes the storage's snapshot with it only under deletionPolicy Delete.
// https://kubernetes.io/docs/concepts/storage/volume-snapshots/
// https://kubernetes.io/docs/concepts/storage/volume-snapshot-classes/
import { randomUUID } from 'node:crypto';
import { resourceTypeForKind } from './resources';
import type { ObjectStore, StoreEvent, WireObject } from './store';
import { parseQuantity } from '../../src/lib/server/kube/quantity';
import type { VolumeContents } from './volumes';

export type SnapshotOptions = {
	/** Whether the cluster has the snapshot CRDs (snapshot.storage.k8s.io); 404 on the group when not. */
	snapshotApi: boolean;
	/** From a VolumeSnapshot's creation to readyToUse. */
	snapshotReadyMs: number;
};

/** The class a cluster with a CSI driver would have installed, marked as the default. */
export const EMULATOR_SNAPSHOT_CLASS = 'csi-emulator-snapclass';
const DRIVER = 'emulator.csi.minispod.io';
const DEFAULT_CLASS_ANNOTATION = 'snapshot.storage.kubernetes.io/is-default-class';

const SNAPSHOT = resourceTypeForKind('VolumeSnapshot');
const CONTENT = resourceTypeForKind('VolumeSnapshotContent');
const CLASS = resourceTypeForKind('VolumeSnapshotClass');
const PVC = resourceTypeForKind('PersistentVolumeClaim');

type Dict = Record<string, unknown>;
const dict = (value: unknown): Dict => (value && typeof value === 'object' ? (value as Dict) : {});
const specOf = (object: WireObject) => dict(object.spec);

/** Bytes as the snapshot controller writes them (resource.NewQuantity with BinarySI): 2Gi, 512Mi. */
function binaryQuantity(bytes: number): string {
	for (const [suffix, size] of [
		['Ti', 2 ** 40],
		['Gi', 2 ** 30],
		['Mi', 2 ** 20],
		['Ki', 2 ** 10]
	] as const) {
		if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
	}
	return String(bytes);
}

export class SnapshotController {
	private readonly timers = new Set<NodeJS.Timeout>();
	private unsubscribe?: () => void;

	constructor(
		private readonly store: ObjectStore,
		private readonly options: SnapshotOptions,
		private readonly contents: VolumeContents
	) {}

	start() {
		if (!this.store.get(CLASS, undefined, EMULATOR_SNAPSHOT_CLASS)) {
			this.store.write(CLASS, {
				apiVersion: 'snapshot.storage.k8s.io/v1',
				kind: 'VolumeSnapshotClass',
				metadata: {
					name: EMULATOR_SNAPSHOT_CLASS,
					uid: randomUUID(),
					resourceVersion: '',
					creationTimestamp: new Date().toISOString(),
					annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' }
				},
				driver: DRIVER,
				deletionPolicy: 'Delete'
			});
		}
		this.unsubscribe = this.store.subscribe((event) => this.onEvent(event));
	}

	stop() {
		this.unsubscribe?.();
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	private later(ms: number, action: () => void) {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			action();
		}, ms);
		this.timers.add(timer);
	}

	private onEvent(event: StoreEvent) {
		const { object } = event;
		if (event.type === 'DELETED' && event.resourceType === PVC) {
			const volume = specOf(object).volumeName;
			if (typeof volume === 'string') this.contents.dropVolume(volume);
			return;
		}
		if (event.type === 'DELETED' && event.resourceType === CONTENT) {
			const handle = dict(object.status).snapshotHandle;
			if (typeof handle === 'string' && specOf(object).deletionPolicy === 'Delete') this.contents.dropSnapshot(handle);
			return;
		}
		if (event.type === 'ADDED' && event.resourceType === CONTENT && dict(specOf(object).source).snapshotHandle) {
			return this.checkPreprovisioned(object);
		}
		if (event.resourceType === SNAPSHOT) {
			if (event.type === 'DELETED') return this.released(object);
			if (event.type === 'ADDED') this.later(this.options.snapshotReadyMs, () => this.take(object));
			return;
		}
		if (event.resourceType === PVC && event.type === 'ADDED' && specOf(object).dataSource) {
			this.restoreClaim(object.metadata.namespace!, object.metadata.name);
		}
	}

	private snapshotClass(name: unknown): WireObject | undefined {
		if (typeof name === 'string') return this.store.get(CLASS, undefined, name);
		return this.store.list(CLASS).find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
	}

	private fail(snapshot: WireObject, message: string) {
		this.store.write(SNAPSHOT, {
			...snapshot,
			status: { readyToUse: false, error: { message, time: new Date().toISOString() } }
		});
	}

	/** Cuts the snapshot (dynamic) or binds the pre-provisioned content it names. */
	private take(created: WireObject) {
		const namespace = created.metadata.namespace!;
		const snapshot = this.store.get(SNAPSHOT, namespace, created.metadata.name);
		if (!snapshot || snapshot.metadata.uid !== created.metadata.uid) return;
		const source = dict(specOf(snapshot).source);
		if (typeof source.volumeSnapshotContentName === 'string')
			return this.bindExisting(snapshot, source.volumeSnapshotContentName);
		const claim = this.store.get(PVC, namespace, String(source.persistentVolumeClaimName));
		if (!claim || claim.metadata.deletionTimestamp) {
			return this.fail(
				snapshot,
				`failed to take snapshot: PersistentVolumeClaim "${source.persistentVolumeClaimName}" not found`
			);
		}
		const snapshotClass = this.snapshotClass(specOf(snapshot).volumeSnapshotClassName);
		if (!snapshotClass) {
			return this.fail(snapshot, `VolumeSnapshotClass "${specOf(snapshot).volumeSnapshotClassName ?? '(default)'}" not found`);
		}
		const restoreSize = String(dict(dict(claim.status).capacity).storage ?? dict(dict(specOf(claim).resources).requests).storage);
		const contentName = `snapcontent-${snapshot.metadata.uid}`;
		const snapshotHandle = `snap-${snapshot.metadata.uid}`;
		this.contents.snapshot(String(specOf(claim).volumeName), snapshotHandle, parseQuantity(restoreSize));
		const now = new Date();
		this.store.write(CONTENT, {
			apiVersion: 'snapshot.storage.k8s.io/v1',
			kind: 'VolumeSnapshotContent',
			metadata: { name: contentName, uid: randomUUID(), resourceVersion: '', creationTimestamp: now.toISOString() },
			spec: {
				deletionPolicy: snapshotClass.deletionPolicy,
				driver: snapshotClass.driver,
				source: { volumeHandle: specOf(claim).volumeName },
				volumeSnapshotClassName: snapshotClass.metadata.name,
				volumeSnapshotRef: { kind: 'VolumeSnapshot', namespace, name: snapshot.metadata.name, uid: snapshot.metadata.uid }
			},
			status: {
				readyToUse: true,
				restoreSize: parseQuantity(restoreSize),
				snapshotHandle,
				creationTime: now.getTime() * 1_000_000
			}
		});
		this.store.write(SNAPSHOT, {
			...snapshot,
			status: { boundVolumeSnapshotContentName: contentName, creationTime: now.toISOString(), readyToUse: true, restoreSize }
		});
		for (const pending of this.store.list(PVC, namespace)) this.restoreClaim(namespace, pending.metadata.name);
	}

	/** The sidecar's look at a pre-provisioned content: the storage's snapshot, its size, or an error. */
	private checkPreprovisioned(created: WireObject) {
		const content = this.store.get(CONTENT, undefined, created.metadata.name);
		if (!content || content.metadata.uid !== created.metadata.uid) return;
		const handle = String(dict(specOf(content).source).snapshotHandle);
		const size = this.contents.snapshotSize(handle);
		this.store.write(CONTENT, {
			...content,
			status:
				size === undefined
					? {
							readyToUse: false,
							error: { message: `snapshot ${handle} not found on the storage`, time: new Date().toISOString() }
						}
					: { readyToUse: true, restoreSize: size, snapshotHandle: handle, creationTime: Date.now() * 1_000_000 }
		});
	}

	private bindExisting(snapshot: WireObject, contentName: string) {
		const content = this.store.get(CONTENT, undefined, contentName);
		if (!content) return this.fail(snapshot, `VolumeSnapshotContent "${contentName}" not found`);
		if (!dict(specOf(content).source).snapshotHandle) {
			return this.fail(snapshot, 'VolumeSnapshotContent is dynamically provisioned while expecting a pre-provisioned one');
		}
		const ref = dict(specOf(content).volumeSnapshotRef);
		if (
			ref.name !== snapshot.metadata.name ||
			ref.namespace !== snapshot.metadata.namespace ||
			(ref.uid && ref.uid !== snapshot.metadata.uid)
		) {
			return this.fail(snapshot, `VolumeSnapshotContent [${contentName}] is bound to a different snapshot`);
		}
		const status = dict(content.status);
		if (status.error) return this.fail(snapshot, String(dict(status.error).message));
		this.store.write(CONTENT, {
			...content,
			spec: {
				...specOf(content),
				volumeSnapshotRef: {
					kind: 'VolumeSnapshot',
					namespace: snapshot.metadata.namespace,
					name: snapshot.metadata.name,
					uid: snapshot.metadata.uid
				}
			}
		});
		this.store.write(SNAPSHOT, {
			...snapshot,
			status: {
				boundVolumeSnapshotContentName: contentName,
				creationTime: new Date(Number(status.creationTime ?? 0) / 1_000_000).toISOString(),
				readyToUse: status.readyToUse === true,
				restoreSize: binaryQuantity(Number(status.restoreSize ?? 0))
			}
		});
	}

	/** A deleted snapshot's content goes with it under deletionPolicy Delete and stays under Retain. */
	private released(snapshot: WireObject) {
		const contentName = dict(snapshot.status).boundVolumeSnapshotContentName;
		if (typeof contentName !== 'string') return;
		const content = this.store.get(CONTENT, undefined, contentName);
		if (content && specOf(content).deletionPolicy === 'Delete') this.store.remove(CONTENT, undefined, contentName);
	}

	/** A Pending claim whose source snapshot is ready is provisioned from it. */
	private restoreClaim(namespace: string, name: string) {
		const claim = this.store.get(PVC, namespace, name);
		const dataSource = dict(specOf(claim ?? ({} as WireObject)).dataSource);
		if (!claim || dict(claim.status).phase !== 'Pending' || dataSource.kind !== 'VolumeSnapshot') return;
		const snapshot = this.store.get(SNAPSHOT, namespace, String(dataSource.name));
		const status = dict(snapshot?.status);
		if (!snapshot || status.readyToUse !== true) return;
		const storage = String(dict(dict(specOf(claim).resources).requests).storage);
		if (parseQuantity(storage) < parseQuantity(String(status.restoreSize))) return;
		const content = this.store.get(CONTENT, undefined, String(status.boundVolumeSnapshotContentName));
		const volumeName = `pvc-${claim.metadata.uid}`;
		this.contents.restore(String(dict(content?.status).snapshotHandle), volumeName);
		this.store.write(PVC, {
			...claim,
			metadata: {
				...claim.metadata,
				annotations: {
					...claim.metadata.annotations,
					'pv.kubernetes.io/bind-completed': 'yes',
					'pv.kubernetes.io/bound-by-controller': 'yes'
				}
			},
			spec: { ...specOf(claim), volumeName },
			status: { phase: 'Bound', accessModes: specOf(claim).accessModes, capacity: { storage } }
		});
	}
}
