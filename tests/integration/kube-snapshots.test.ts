// CSI volume snapshots in the emulator, through the Cluster's snapshot calls: discovery (and
// 404 without the API), a snapshot turning ready with its restoreSize, the content's
// deletionPolicy on deletion, and a claim restored from a snapshot with the volume's files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api } from '@kubernetes/client-node';
import { eventually, startTestCluster, type TestCluster } from '../support/kube';

let kube: TestCluster;
let core: CoreV1Api;
const namespace = 'snapshot-test';

beforeAll(async () => {
	kube = await startTestCluster({ snapshotReadyMs: 50 });
	core = kube.kubeConfig.makeApiClient(CoreV1Api);
	await core.createNamespace({ body: { metadata: { name: namespace } } });
	await core.createNamespacedPersistentVolumeClaim({
		namespace,
		body: {
			metadata: { name: 'data', labels: { 'minispod.io/instance-id': 'i1' } },
			spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } }
		}
	});
});
afterAll(() => kube?.close());

const snapshotOf = (name: string, claim: string) => ({
	metadata: { name, namespace },
	spec: { source: { persistentVolumeClaimName: claim } }
});

const readySnapshot = (name: string) =>
	eventually(async () => {
		const snapshot = await kube.cluster.snapshots.read(namespace, name);
		return snapshot?.status?.readyToUse === true && snapshot;
	});

describe('volume snapshots', () => {
	it('discovers the API, and a cluster without it answers 404', async () => {
		expect(await kube.cluster.snapshots.available()).toBe(true);
		kube.emulator.configure({ snapshotApi: false });
		try {
			expect(await kube.cluster.snapshots.available()).toBe(false);
			const groups = (await fetch(`${kube.emulator.url}/apis`, {
				headers: { authorization: `Bearer ${kube.emulator.token}` }
			}).then((r) => r.json())) as { groups: { name: string }[] };
			expect(groups.groups.map((g) => g.name)).not.toContain('snapshot.storage.k8s.io');
		} finally {
			kube.emulator.configure({ snapshotApi: true });
		}
	});

	it('finds claims by label, turns a snapshot ready with its restoreSize, and deletes its content with it', async () => {
		const claims = await kube.cluster.snapshots.claims(namespace, { 'minispod.io/instance-id': 'i1' });
		expect(claims.map((c) => c.metadata?.name)).toEqual(['data']);
		await kube.cluster.snapshots.create(snapshotOf('snap-1', 'data'));
		const ready = await readySnapshot('snap-1');
		expect(ready.status?.restoreSize).toBe('2Gi');
		const content = ready.status!.boundVolumeSnapshotContentName!;
		expect(kube.emulator.get('VolumeSnapshotContent', undefined, content)).toBeDefined();
		await kube.cluster.snapshots.delete(namespace, 'snap-1');
		expect(kube.emulator.get('VolumeSnapshotContent', undefined, content)).toBeUndefined();
	});

	it('keeps a Retain content after its snapshot is gone; a pre-provisioned content with its handle binds a new snapshot', async () => {
		kube.emulator.writeVolumeFile(namespace, 'data', 'kept.txt', 'retained');
		await kube.cluster.snapshots.create(snapshotOf('snap-2', 'data'));
		const ready = await readySnapshot('snap-2');
		const content = ready.status!.boundVolumeSnapshotContentName!;
		expect(await kube.cluster.snapshots.setDeletionPolicy(content, 'Retain')).toBe(true);
		await kube.cluster.snapshots.delete(namespace, 'snap-2');
		const retained = await kube.cluster.snapshots.readContent(content);
		expect(retained?.spec.deletionPolicy).toBe('Retain');
		// The dynamically provisioned content itself cannot be bound again (the snapshot controller refuses it).
		await kube.cluster.snapshots.create({
			metadata: { name: 'snap-2-direct', namespace },
			spec: { source: { volumeSnapshotContentName: content } }
		});
		const refused = await eventually(async () => {
			const snapshot = await kube.cluster.snapshots.read(namespace, 'snap-2-direct');
			return snapshot?.status?.error && snapshot;
		});
		expect(refused.status?.error?.message).toContain('dynamically provisioned');
		// A pre-provisioned content with the storage's handle, pointing at another snapshot, binds only that one.
		await kube.cluster.snapshots.createContent({
			metadata: { name: 'imported-2' },
			spec: {
				deletionPolicy: 'Retain',
				driver: retained!.spec.driver,
				source: { snapshotHandle: retained!.status!.snapshotHandle },
				volumeSnapshotRef: { namespace, name: 'someone-else' }
			}
		});
		expect(await kube.cluster.snapshots.readContent('imported-2')).toMatchObject({
			status: { readyToUse: true, restoreSize: 2 * 2 ** 30 }
		});
		await kube.cluster.snapshots.create({
			metadata: { name: 'snap-2-again', namespace },
			spec: { source: { volumeSnapshotContentName: 'imported-2' } }
		});
		const misbound = await eventually(async () => (await kube.cluster.snapshots.read(namespace, 'snap-2-again'))?.status?.error);
		expect(misbound.message).toContain('bound to a different snapshot');
		await kube.cluster.snapshots.delete(namespace, 'snap-2-again');
		await kube.cluster.snapshots.pointContentAt('imported-2', { namespace, name: 'snap-2-again' });
		await kube.cluster.snapshots.create({
			metadata: { name: 'snap-2-again', namespace },
			spec: { source: { volumeSnapshotContentName: 'imported-2' } }
		});
		const again = await readySnapshot('snap-2-again');
		expect(again.status).toMatchObject({ restoreSize: '2Gi', boundVolumeSnapshotContentName: 'imported-2' });
		// Deleting the Retain content leaves the storage's snapshot: a claim is still restored from the imported one.
		await kube.cluster.snapshots.deleteContent(content);
		expect(kube.emulator.get('VolumeSnapshotContent', undefined, content)).toBeUndefined();
		await core.createNamespacedPersistentVolumeClaim({
			namespace,
			body: {
				metadata: { name: 'from-imported' },
				spec: {
					accessModes: ['ReadWriteOnce'],
					resources: { requests: { storage: '2Gi' } },
					dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap-2-again' }
				}
			}
		});
		await eventually(
			async () => (await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'from-imported' })).status?.phase === 'Bound'
		);
		expect(kube.emulator.volumeFiles(namespace, 'from-imported')).toMatchObject({ 'kept.txt': 'retained' });
		// Under Delete, the snapshot's deletion takes the content and the storage's snapshot with it.
		await kube.cluster.snapshots.setDeletionPolicy('imported-2', 'Delete');
		await kube.cluster.snapshots.delete(namespace, 'snap-2-again');
		await kube.cluster.snapshots.delete(namespace, 'snap-2-direct');
		expect(kube.emulator.get('VolumeSnapshotContent', undefined, 'imported-2')).toBeUndefined();
	});

	it('restores a claim from a ready snapshot with the files the volume had when it was cut', async () => {
		kube.emulator.writeVolumeFile(namespace, 'data', 'notes.txt', 'before');
		await kube.cluster.snapshots.create(snapshotOf('snap-3', 'data'));
		await readySnapshot('snap-3');
		// Written after the snapshot was cut: not in it.
		kube.emulator.writeVolumeFile(namespace, 'data', 'notes.txt', 'after');
		const restoreInto = (name: string, storage: string) =>
			core.createNamespacedPersistentVolumeClaim({
				namespace,
				body: {
					metadata: { name },
					spec: {
						accessModes: ['ReadWriteOnce'],
						resources: { requests: { storage } },
						dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap-3' }
					}
				}
			});
		await restoreInto('too-small', '1Gi');
		await restoreInto('restored', '2Gi');
		const claim = await eventually(async () => {
			const restored = await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'restored' });
			return restored.status?.phase === 'Bound' && restored;
		});
		expect(claim.status?.capacity?.storage).toBe('2Gi');
		expect(kube.emulator.volumeFiles(namespace, 'restored')).toMatchObject({ 'notes.txt': 'before' });
		expect(kube.emulator.volumeFiles(namespace, 'data')).toMatchObject({ 'notes.txt': 'after' });
		// Smaller than the snapshot's restoreSize: the provisioner refuses it, the claim stays Pending.
		await kube.emulator.settled();
		const small = await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'too-small' });
		expect(small.status?.phase).toBe('Pending');
	});

	it('fails a snapshot of a missing claim', async () => {
		await kube.cluster.snapshots.create(snapshotOf('snap-missing', 'nothing'));
		const failed = await eventually(async () => (await kube.cluster.snapshots.read(namespace, 'snap-missing'))?.status?.error);
		expect(failed.message).toMatch(/not found/);
	});
});
