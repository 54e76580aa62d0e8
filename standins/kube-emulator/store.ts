// The emulator's etcd: every object as JSON on the wire, keyed by resource, namespace and
// name, with one revision counter that becomes each write's resourceVersion.
import type { ResourceType } from './resources';

export type ObjectMeta = {
	name: string;
	generateName?: string;
	namespace?: string;
	uid: string;
	resourceVersion: string;
	creationTimestamp: string;
	generation?: number;
	labels?: Record<string, string>;
	annotations?: Record<string, string>;
	ownerReferences?: {
		apiVersion: string;
		kind: string;
		name: string;
		uid: string;
		controller?: boolean;
		blockOwnerDeletion?: boolean;
	}[];
	deletionTimestamp?: string;
	[key: string]: unknown;
};

export type WireObject = {
	apiVersion: string;
	kind: string;
	metadata: ObjectMeta;
	[key: string]: unknown;
};

/** Everything stored, as saved to disk by the stand-ins process. */
export type StoreSnapshot = { revision: number; objects: Record<string, WireObject[]> };

export type StoreEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; resourceType: ResourceType; object: WireObject };

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

export class ObjectStore {
	private readonly objects = new Map<string, Map<string, WireObject>>();
	private readonly listeners = new Set<(event: StoreEvent) => void>();
	private revision = 1;

	get resourceVersion(): string {
		return String(this.revision);
	}

	private bucket(type: ResourceType): Map<string, WireObject> {
		let bucket = this.objects.get(type.resource);
		if (!bucket) {
			bucket = new Map();
			this.objects.set(type.resource, bucket);
		}
		return bucket;
	}

	/** The stored object itself; callers that hand it out clone it first. */
	get(type: ResourceType, namespace: string | undefined, name: string): WireObject | undefined {
		return this.bucket(type).get(keyOf(type.namespaced ? namespace : undefined, name));
	}

	list(type: ResourceType, namespace?: string): WireObject[] {
		const all = [...this.bucket(type).values()];
		const items = namespace && type.namespaced ? all.filter((object) => object.metadata.namespace === namespace) : all;
		return items.sort((a, b) =>
			keyOf(a.metadata.namespace, a.metadata.name).localeCompare(keyOf(b.metadata.namespace, b.metadata.name))
		);
	}

	/** Stores a new or changed object under the next resourceVersion. */
	write(type: ResourceType, object: WireObject): WireObject {
		const key = keyOf(object.metadata.namespace, object.metadata.name);
		const existed = this.bucket(type).has(key);
		this.revision += 1;
		object.metadata.resourceVersion = String(this.revision);
		this.bucket(type).set(key, object);
		this.emit({ type: existed ? 'MODIFIED' : 'ADDED', resourceType: type, object });
		return object;
	}

	remove(type: ResourceType, namespace: string | undefined, name: string): WireObject | undefined {
		const key = keyOf(type.namespaced ? namespace : undefined, name);
		const object = this.bucket(type).get(key);
		if (!object) return undefined;
		this.bucket(type).delete(key);
		this.revision += 1;
		this.emit({ type: 'DELETED', resourceType: type, object });
		return object;
	}

	subscribe(listener: (event: StoreEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private emit(event: StoreEvent) {
		for (const listener of this.listeners) listener(event);
	}

	snapshot(skip: ResourceType[] = []): StoreSnapshot {
		const skipped = new Set(skip.map((type) => type.resource));
		const objects: Record<string, WireObject[]> = {};
		for (const [resource, bucket] of this.objects) if (!skipped.has(resource)) objects[resource] = [...bucket.values()];
		return { revision: this.revision, objects };
	}

	/** Loads a saved snapshot into an empty store, without events (nothing watches yet). */
	restore(snapshot: StoreSnapshot, types: ResourceType[]) {
		this.revision = Math.max(this.revision, snapshot.revision);
		for (const type of types) {
			for (const object of snapshot.objects[type.resource] ?? []) {
				this.bucket(type).set(keyOf(object.metadata.namespace, object.metadata.name), object);
			}
		}
	}

	/** Number of stored objects per kind. */
	counts(kinds: ResourceType[]): Record<string, number> {
		return Object.fromEntries(kinds.map((type) => [type.kind, this.bucket(type).size]));
	}
}
