// Objects as they travel: the JSON client-node sends and reads, and the body of a replace
// that takes the desired state without undoing what the cluster owns.
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
// The serializer client-node applies to every request body (not re-exported by the package).
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { ANNOTATION } from './names';
import { parseQuantity } from './quantity';

const serializationType = (object: Pick<KubernetesObject, 'apiVersion' | 'kind'>) => {
	const version = (object.apiVersion ?? 'v1').split('/').at(-1)!;
	return `${version.charAt(0).toUpperCase()}${version.slice(1)}${object.kind}`;
};

/** The JSON client-node sends for an object (its models name some fields `_from`, `_default`). */
export function toWire(object: KubernetesObject): unknown {
	return ObjectSerializer.serialize(object, serializationType(object));
}

/** A client-node model from wire JSON. */
export function fromWire<T extends KubernetesObject>(wire: unknown): T {
	return ObjectSerializer.deserialize(wire, serializationType(wire as KubernetesObject)) as T;
}

type Obj = KubernetesObject & { spec?: Record<string, unknown> };

/**
 * What to PUT so that an existing object takes the desired state without undoing what the
 * cluster owns: its resourceVersion (so a concurrent change is a 409, not lost), labels,
 * annotations, finalizers and owners others added, a Service's cluster IP, a bound claim's spec (only the size
 * may grow), and a restart stamp on the pod template (or every apply would restart the app).
 */
export function desiredForReplace<T extends KubernetesObject>(existing: T, desired: T): T {
	const current = existing as Obj;
	const next = structuredClone(desired) as Obj;
	const labels = { ...current.metadata?.labels, ...next.metadata?.labels };
	const annotations = { ...current.metadata?.annotations, ...next.metadata?.annotations };
	next.metadata = {
		...next.metadata,
		resourceVersion: current.metadata?.resourceVersion,
		...(Object.keys(labels).length ? { labels } : {}),
		...(Object.keys(annotations).length ? { annotations } : {}),
		// A PUT without them would remove them: the pvc-protection finalizer, owners set by others.
		...(current.metadata?.finalizers?.length ? { finalizers: current.metadata.finalizers } : {}),
		...(current.metadata?.ownerReferences?.length ? { ownerReferences: current.metadata.ownerReferences } : {})
	};
	switch (desired.kind) {
		case 'Namespace':
			next.spec = current.spec;
			break;
		case 'Service': {
			const spec = current.spec ?? {};
			next.spec = { ...next.spec };
			for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'healthCheckNodePort']) {
				if (spec[field] !== undefined && next.spec[field] === undefined) next.spec[field] = spec[field];
			}
			break;
		}
		case 'PersistentVolumeClaim': {
			const spec = structuredClone(current.spec ?? {}) as { resources?: { requests?: Record<string, string> } };
			const wanted = (next.spec as typeof spec | undefined)?.resources?.requests?.storage;
			const have = spec.resources?.requests?.storage;
			if (wanted && (!have || parseQuantity(wanted) > parseQuantity(have))) {
				spec.resources = { ...spec.resources, requests: { ...spec.resources?.requests, storage: wanted } };
			}
			next.spec = spec;
			break;
		}
		case 'Deployment': {
			const restartedAt = (current as V1Deployment).spec?.template.metadata?.annotations?.[ANNOTATION.restartedAt];
			const template = (next as V1Deployment).spec?.template;
			if (restartedAt && template && !template.metadata?.annotations?.[ANNOTATION.restartedAt]) {
				template.metadata = {
					...template.metadata,
					annotations: { ...template.metadata?.annotations, [ANNOTATION.restartedAt]: restartedAt }
				};
			}
			break;
		}
	}
	return next as T;
}
