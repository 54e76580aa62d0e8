// The emulator's etcd: every object as JSON on the wire, kept by resource, namespace and
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
	/** resource -> namespace ('' for cluster-scoped) -> name -> object: a namespace's list reads only its own. */
	private readonly objects = new Map<string, Map<string, Map<string, WireObject>>>();
	private readonly listeners = new Set<(event: StoreEvent) => void>();
	private revision = 1;

	get resourceVersion(): string {
		return String(this.revision);
	}

	private bucket(type: ResourceType, namespace: string | undefined): Map<string, WireObject> {
		let byNamespace = this.objects.get(type.resource);
		if (!byNamespace) {
			byNamespace = new Map();
			this.objects.set(type.resource, byNamespace);
		}
		const key = type.namespaced ? (namespace ?? '') : '';
		let bucket = byNamespace.get(key);
		if (!bucket) {
			bucket = new Map();
			byNamespace.set(key, bucket);
		}
		return bucket;
	}

	/** The stored object itself; callers that hand it out clone it first. */
	get(type: ResourceType, namespace: string | undefined, name: string): WireObject | undefined {
		return this.bucket(type, namespace).get(name);
	}

	list(type: ResourceType, namespace?: string): WireObject[] {
		const items =
			namespace !== undefined && type.namespaced
				? [...this.bucket(type, namespace).values()]
				: [...(this.objects.get(type.resource)?.values() ?? [])].flatMap((bucket) => [...bucket.values()]);
		return items.sort((a, b) =>
			keyOf(a.metadata.namespace, a.metadata.name).localeCompare(keyOf(b.metadata.namespace, b.metadata.name))
		);
	}

	/** Stores a new or changed object under the next resourceVersion. */
	write(type: ResourceType, object: WireObject): WireObject {
		const bucket = this.bucket(type, object.metadata.namespace);
		const existed = bucket.has(object.metadata.name);
		this.revision += 1;
		object.metadata.resourceVersion = String(this.revision);
		bucket.set(object.metadata.name, object);
		this.emit({ type: existed ? 'MODIFIED' : 'ADDED', resourceType: type, object });
		return object;
	}

	remove(type: ResourceType, namespace: string | undefined, name: string): WireObject | undefined {
		const bucket = this.bucket(type, namespace);
		const object = bucket.get(name);
		if (!object) return undefined;
		bucket.delete(name);
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
		for (const [resource, byNamespace] of this.objects) {
			if (skipped.has(resource)) continue;
			objects[resource] = [...byNamespace.values()].flatMap((bucket) => [...bucket.values()]);
		}
		return { revision: this.revision, objects };
	}

	/** Loads a saved snapshot into an empty store, without events (nothing watches yet). */
	restore(snapshot: StoreSnapshot, types: ResourceType[]) {
		this.revision = Math.max(this.revision, snapshot.revision);
		for (const type of types) {
			for (const object of snapshot.objects[type.resource] ?? []) {
				this.bucket(type, object.metadata.namespace).set(object.metadata.name, object);
			}
		}
	}

	/** Number of stored objects per kind. */
	counts(kinds: ResourceType[]): Record<string, number> {
		return Object.fromEntries(
			kinds.map((type) => [
				type.kind,
				[...(this.objects.get(type.resource)?.values() ?? [])].reduce((total, bucket) => total + bucket.size, 0)
			])
		);
	}
}
