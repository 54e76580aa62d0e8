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

	it('keeps a Retain content after its snapshot is gone, and a new snapshot can bind it', async () => {
		await kube.cluster.snapshots.create(snapshotOf('snap-2', 'data'));
		const ready = await readySnapshot('snap-2');
		const content = ready.status!.boundVolumeSnapshotContentName!;
		expect(await kube.cluster.snapshots.setDeletionPolicy(content, 'Retain')).toBe(true);
		await kube.cluster.snapshots.delete(namespace, 'snap-2');
		expect(kube.emulator.get('VolumeSnapshotContent', undefined, content)).toBeDefined();
		await kube.cluster.snapshots.create({
			metadata: { name: 'snap-2-again', namespace },
			spec: { source: { volumeSnapshotContentName: content } }
		});
		const again = await readySnapshot('snap-2-again');
		expect(again.status).toMatchObject({ restoreSize: '2Gi', boundVolumeSnapshotContentName: content });
		await kube.cluster.snapshots.setDeletionPolicy(content, 'Delete');
		await kube.cluster.snapshots.deleteContent(content);
		expect(kube.emulator.get('VolumeSnapshotContent', undefined, content)).toBeUndefined();
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
		expect(kube.emulator.volumeFiles(namespace, 'restored')).toEqual({ 'notes.txt': 'before' });
		expect(kube.emulator.volumeFiles(namespace, 'data')).toEqual({ 'notes.txt': 'after' });
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
