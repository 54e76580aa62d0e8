// Namespaces that take time to go, as on a real cluster: DELETE marks the namespace
// Terminating, the namespace controller removes what it holds (pods get their grace period,
// claims wait for their pods), and only then is the namespace itself gone. Meanwhile the
// NamespaceLifecycle admission plugin refuses new content with 403, and a second DELETE
// answers 409 Conflict ("The system is ensuring all content is removed from this
// namespace", kubernetes/kubernetes#39919).
// https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
// https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#namespacelifecycle
import { ApiError } from './admission';
import { clone } from './patch';
import { RESOURCE_TYPES, qualifiedResource, resourceTypeForKind, type ResourceType } from './resources';
import type { ObjectStore, WireObject } from './store';

const NAMESPACE = resourceTypeForKind('Namespace');
const POD = resourceTypeForKind('Pod');
const DEPLOYMENT = resourceTypeForKind('Deployment');
const EVENT = resourceTypeForKind('Event');
const PVC = resourceTypeForKind('PersistentVolumeClaim');

export type NamespaceOptions = {
	/** The least time a namespace spends Terminating, even when empty. */
	namespaceTerminationMs: number;
};

/** What the namespace controller asks of the pod controller. */
export type PodTerminator = {
	terminatePod(pod: WireObject): void;
	/** A claim marked for deletion goes once no pod uses it. */
	deleteClaim(claim: WireObject): void;
};

export class NamespaceLifecycle {
	private readonly timers = new Set<NodeJS.Timeout>();
	private stopped = false;

	constructor(
		private readonly store: ObjectStore,
		private readonly pods: PodTerminator,
		private readonly options: NamespaceOptions
	) {}

	isTerminating(namespace: string): boolean {
		return Boolean(this.store.get(NAMESPACE, undefined, namespace)?.metadata.deletionTimestamp);
	}

	/** NamespaceLifecycle admission: nothing new goes into a namespace that is being deleted. */
	refuseNewContent(type: ResourceType, object: WireObject) {
		const namespace = object.metadata.namespace;
		if (!namespace || !this.isTerminating(namespace)) return;
		throw new ApiError(
			403,
			'Forbidden',
			`${qualifiedResource(type)} "${object.metadata.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
			{
				name: object.metadata.name,
				...(type.group ? { group: type.group } : {}),
				kind: type.resource,
				causes: [
					{
						reason: 'NamespaceTerminating',
						message: `namespace ${namespace} is being terminated`,
						field: 'metadata.namespace'
					}
				]
			}
		);
	}

	/** DELETE of a namespace: Terminating now, gone once its content is. */
	terminate(name: string): WireObject {
		const existing = this.store.get(NAMESPACE, undefined, name)!;
		if (existing.metadata.deletionTimestamp) {
			throw new ApiError(
				409,
				'Conflict',
				`Operation cannot be fulfilled on namespaces "${name}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`,
				{ name, kind: 'namespaces' }
			);
		}
		const at = new Date().toISOString();
		const marked = clone(existing);
		marked.metadata.deletionTimestamp = at;
		marked.status = {
			phase: 'Terminating',
			conditions: [
				{
					type: 'NamespaceContentRemaining',
					status: 'True',
					lastTransitionTime: at,
					reason: 'SomeResourcesRemain',
					message: 'Some resources are remaining'
				}
			]
		};
		this.store.write(NAMESPACE, marked);
		this.removeContent(name);
		this.later(this.options.namespaceTerminationMs, () => this.finish(name));
		return clone(marked);
	}

	private removeContent(namespace: string) {
		// Deployments first, so no pod is created again; their pods then get their grace period.
		for (const deployment of this.store.list(DEPLOYMENT, namespace))
			this.store.remove(DEPLOYMENT, namespace, deployment.metadata.name);
		for (const pod of this.store.list(POD, namespace)) this.pods.terminatePod(pod);
		for (const claim of this.store.list(PVC, namespace)) this.pods.deleteClaim(claim);
		for (const type of RESOURCE_TYPES) {
			if (!type.namespaced || [POD, PVC, DEPLOYMENT, EVENT].includes(type)) continue;
			for (const object of this.store.list(type, namespace)) this.store.remove(type, namespace, object.metadata.name);
		}
	}

	/** Gone once no pod or claim is left (checked again shortly while some are). */
	private finish(namespace: string) {
		if (this.store.list(POD, namespace).length > 0 || this.store.list(PVC, namespace).length > 0) {
			this.later(25, () => this.finish(namespace));
			return;
		}
		for (const event of this.store.list(EVENT, namespace)) this.store.remove(EVENT, namespace, event.metadata.name);
		this.store.remove(NAMESPACE, undefined, namespace);
	}

	private later(ms: number, action: () => void) {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (!this.stopped) action();
		}, ms);
		this.timers.add(timer);
	}

	stop() {
		this.stopped = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}
