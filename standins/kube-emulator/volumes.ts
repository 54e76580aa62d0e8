// What is written on the emulated volumes, so tests can see data travel with snapshots: a
// volume (a bound claim's PersistentVolume) holds files; a snapshot cut from it copies them
// as they are at that moment, and a claim restored from the snapshot starts with that copy
// (https://kubernetes.io/docs/concepts/storage/persistent-volumes/#volume-snapshot-and-restore-volume-from-snapshot-support).
// Later writes to either side do not reach the other. A deleted volume or snapshot content
// takes its files with it (reclaim and deletion policy Delete).

type Files = Map<string, string>;

export class VolumeContents {
	/** By volume handle (the claim's spec.volumeName). */
	private readonly volumes = new Map<string, Files>();
	/** By snapshot handle (the content's status.snapshotHandle). */
	private readonly snapshots = new Map<string, Files>();
	/** The size of the volume each snapshot was cut from, in bytes (what CSI ListSnapshots answers). */
	private readonly sizes = new Map<string, number>();

	files(volume: string): Record<string, string> {
		return Object.fromEntries(this.volumes.get(volume) ?? []);
	}

	write(volume: string, path: string, content: string) {
		const files = this.volumes.get(volume) ?? new Map<string, string>();
		files.set(path, content);
		this.volumes.set(volume, files);
	}

	/** Cuts a snapshot: a copy of the volume's files now. */
	snapshot(volume: string, handle: string, sizeBytes: number) {
		this.snapshots.set(handle, new Map(this.volumes.get(volume) ?? []));
		this.sizes.set(handle, sizeBytes);
	}

	/** The snapshot's size in bytes while the storage has it; undefined once it is gone. */
	snapshotSize(handle: string): number | undefined {
		return this.snapshots.has(handle) ? this.sizes.get(handle) : undefined;
	}

	/** A new volume provisioned from a snapshot starts with a copy of its files. */
	restore(handle: string, volume: string) {
		this.volumes.set(volume, new Map(this.snapshots.get(handle) ?? []));
	}

	dropVolume(volume: string) {
		this.volumes.delete(volume);
	}

	dropSnapshot(handle: string) {
		this.snapshots.delete(handle);
		this.sizes.delete(handle);
	}
}
