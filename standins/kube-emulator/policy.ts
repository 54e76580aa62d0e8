// The admission plugins that run after validation and before storage, in the API server's
// order: NamespaceLifecycle, LimitRanger, PodSecurity, ResourceQuota. Requests and the
// emulator's own controllers (the ReplicaSet creating pods, cert-manager creating
// Secrets) go through the same chain, as they do on a real cluster.
import type { NamespaceLifecycle } from './namespaces';
import { enforcePodSecurity } from './pod-security';
import { applyLimitRanges, chargeQuota } from './quota';
import { resourceTypeForKind, type ResourceType } from './resources';
import type { ObjectStore, WireObject } from './store';

const POD = resourceTypeForKind('Pod');

export class AdmissionChain {
	constructor(
		private readonly store: ObjectStore,
		private readonly namespaces: NamespaceLifecycle
	) {}

	/** A new object in its namespace; throws the plugin's ApiError. Mutates (defaults) the object. */
	create(type: ResourceType, object: WireObject) {
		if (!type.namespaced) return;
		this.namespaces.refuseNewContent(type, object);
		applyLimitRanges(this.store, type, object);
		if (type === POD) enforcePodSecurity(this.store, object);
		chargeQuota(this.store, type, object);
	}

	/** A change to an existing object: only what it adds is charged (a claim grown, say). */
	update(type: ResourceType, object: WireObject, existing: WireObject) {
		if (!type.namespaced || type === POD) return;
		applyLimitRanges(this.store, type, object);
		chargeQuota(this.store, type, object, existing);
	}
}
