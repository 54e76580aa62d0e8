// What the control plane would do, in miniature: Deployments get pods named like a
// ReplicaSet's (`<deployment>-<template hash>-<5 chars>`), created through the same
// admission as any request (so a quota or Pod Security refusal shows on the Deployment as
// a ReplicaFailure condition, as the ReplicaSet controller reports it), a changed pod
// template replaces the pods (Recreate waits until the old ones are gone), zero replicas
// means no pods, Deployment status follows as `kubectl rollout status` reads it, and a
// claim being deleted waits until no pod uses it (the pvc-protection finalizer).
// The pods themselves are run by the kubelet (kubelet.ts).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ApiError } from './admission';
import type { Faults } from './faults';
import {
	Kubelet,
	NODE_NAME,
	isPodReady,
	objectKey,
	recordEvent,
	type Condition,
	type KubeletOptions,
	type PodObject
} from './kubelet';
import { canonicalJson, clone } from './patch';
import { resourceTypeForKind } from './resources';
import { formatLabelSelector, matchesLabels, parseLabelSelector } from './selectors';
import type { ObjectStore, StoreEvent, WireObject } from './store';

export type { PodObject } from './kubelet';
export { NODE_NAME, isPodReady } from './kubelet';

export type ControllerOptions = KubeletOptions & {
	/** How often Deployments are re-examined (progress deadlines, pod creations refused before). */
	resyncMs: number;
};

type Labels = Record<string, string>;

type PodTemplate = {
	metadata?: { labels?: Labels; annotations?: Labels };
	spec: { containers: PodObject['spec']['containers'] } & Record<string, unknown>;
};

export type DeploymentObject = WireObject & {
	spec: {
		replicas?: number;
		selector: { matchLabels?: Labels };
		template: PodTemplate;
		strategy?: { type?: string };
		progressDeadlineSeconds?: number;
	};
	status?: Record<string, unknown> & { conditions?: Condition[] };
};

/** Runs the admission chain for a pod the ReplicaSet creates; throws the refusal. */
export type PodAdmission = (pod: PodObject) => void;

const POD = resourceTypeForKind('Pod');
const DEPLOYMENT = resourceTypeForKind('Deployment');
const PVC = resourceTypeForKind('PersistentVolumeClaim');
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';

const now = () => new Date().toISOString();

function safeEncode(bytes: Buffer, length: number): string {
	let out = '';
	for (let i = 0; out.length < length; i++) out += SAFE_ALPHABET[bytes[i % bytes.length] % SAFE_ALPHABET.length];
	return out;
}

/** The pod-template-hash a Deployment's ReplicaSet carries. */
export function templateHash(template: unknown): string {
	return safeEncode(createHash('sha256').update(canonicalJson(template)).digest(), 10);
}

const isTerminating = (object: WireObject) => Boolean(object.metadata.deletionTimestamp);

export class Controller {
	readonly kubelet: Kubelet;
	private readonly rollouts = new Map<string, { generation: number; startedAt: number }>();
	/** The last pod creation refusal per Deployment (reported once, retried on resync). */
	private readonly failedCreates = new Map<string, string>();
	private readonly queued = new Set<string>();
	/**
	 * Deployments whose rollout is not complete, or whose pod creation was refused: only these
	 * are looked at again on resync (a progress deadline to notice, a creation to retry). The
	 * real controller likewise only re-queues work it has pending (AddAfter on its queue),
	 * rather than re-examining every Deployment on a timer.
	 */
	private readonly unsettled = new Set<string>();
	private flushScheduled = false;
	private readonly settledWaiters: (() => void)[] = [];
	private resync?: NodeJS.Timeout;
	private unsubscribe?: () => void;
	private stopped = false;
	admitPod: PodAdmission = () => {};

	constructor(
		private readonly store: ObjectStore,
		faults: Faults,
		readonly options: ControllerOptions
	) {
		this.kubelet = new Kubelet(store, faults, options, (pod) => this.ownerDeployment(pod));
	}

	start() {
		this.unsubscribe = this.store.subscribe((event) => this.onEvent(event));
		this.resync = setInterval(() => {
			for (const key of this.unsettled) {
				const [namespace, name] = key.split('/');
				this.queue(namespace, name);
			}
		}, this.options.resyncMs);
		this.resync.unref();
	}

	stop() {
		this.stopped = true;
		this.unsubscribe?.();
		clearInterval(this.resync);
		this.kubelet.stop();
		this.resolveSettled();
	}

	/** Resolves once every reconcile queued so far, and every one those queued in turn, has run. */
	settled(): Promise<void> {
		if (!this.flushScheduled) return Promise.resolve();
		return new Promise((resolve) => this.settledWaiters.push(resolve));
	}

	private resolveSettled() {
		for (const resolve of this.settledWaiters.splice(0)) resolve();
	}

	podLog(namespace: string, name: string) {
		return this.kubelet.podLog(namespace, name);
	}

	terminatePod(pod: WireObject) {
		this.kubelet.terminatePod(pod);
	}

	/** DELETE of a claim: marked, and gone once no pod uses it (the pvc-protection finalizer). */
	deleteClaim(claim: WireObject) {
		const stored = this.store.get(PVC, claim.metadata.namespace, claim.metadata.name);
		if (!stored) return;
		if (!isTerminating(stored)) {
			const marked = clone(stored);
			marked.metadata.deletionTimestamp = now();
			this.store.write(PVC, marked);
		}
		this.releaseClaims(claim.metadata.namespace!);
	}

	private onEvent(event: StoreEvent) {
		if (this.stopped) return;
		const { object } = event;
		if (event.resourceType === DEPLOYMENT) {
			if (event.type === 'DELETED') this.deleteOwnedPods(object as DeploymentObject);
			else this.queue(object.metadata.namespace, object.metadata.name);
		} else if (event.resourceType === POD) {
			const pod = object as PodObject;
			if (event.type === 'ADDED') this.kubelet.startPod(pod);
			if (event.type === 'DELETED') {
				this.kubelet.stopPod(pod);
				this.releaseClaims(pod.metadata.namespace!);
			}
			const owner = this.ownerDeployment(pod);
			if (owner) this.queue(pod.metadata.namespace, owner);
		}
	}

	private queue(namespace: string | undefined, name: string) {
		this.queued.add(objectKey(namespace, name));
		if (this.flushScheduled) return;
		this.flushScheduled = true;
		setImmediate(() => {
			this.flushScheduled = false;
			const keys = [...this.queued];
			this.queued.clear();
			for (const key of keys) {
				if (this.stopped) return;
				const [namespace, name] = key.split('/');
				this.reconcile(namespace, name);
			}
			// A reconcile that wrote queues another flush; settled waits for that one too.
			if (!this.flushScheduled) this.resolveSettled();
		});
	}

	// -------------------------------------------------------------------------
	// Claims
	// -------------------------------------------------------------------------

	/** Claims marked for deletion that no pod uses any more lose their finalizer and go. */
	private releaseClaims(namespace: string) {
		const claims = this.store.list(PVC, namespace).filter(isTerminating);
		if (claims.length === 0) return;
		const inUse = new Set(
			(this.store.list(POD, namespace) as PodObject[]).flatMap((pod) =>
				((pod.spec.volumes as { persistentVolumeClaim?: { claimName: string } }[] | undefined) ?? []).flatMap((volume) =>
					volume.persistentVolumeClaim ? [volume.persistentVolumeClaim.claimName] : []
				)
			)
		);
		for (const claim of claims) {
			if (!inUse.has(claim.metadata.name)) this.store.remove(PVC, namespace, claim.metadata.name);
		}
	}

	// -------------------------------------------------------------------------
	// Deployments
	// -------------------------------------------------------------------------

	private ownerDeployment(pod: PodObject): string | undefined {
		const owner = pod.metadata.ownerReferences?.find((ref) => ref.kind === 'ReplicaSet' && ref.controller);
		const hash = pod.metadata.labels?.['pod-template-hash'];
		if (!owner || !hash || !owner.name.endsWith(`-${hash}`)) return undefined;
		return owner.name.slice(0, -(hash.length + 1));
	}

	/** Every pod of the Deployment, terminating ones included. */
	private ownedPods(deployment: DeploymentObject): PodObject[] {
		const selector = parseLabelSelector(formatLabelSelector(deployment.spec.selector.matchLabels));
		return (this.store.list(POD, deployment.metadata.namespace) as PodObject[]).filter(
			(pod) => this.ownerDeployment(pod) === deployment.metadata.name && matchesLabels(selector, pod.metadata.labels)
		);
	}

	/** The garbage collector removes a deleted Deployment's pods (background propagation). */
	private deleteOwnedPods(deployment: DeploymentObject) {
		const key = objectKey(deployment.metadata.namespace, deployment.metadata.name);
		this.rollouts.delete(key);
		this.failedCreates.delete(key);
		this.unsettled.delete(key);
		for (const pod of this.ownedPods(deployment)) this.kubelet.terminatePod(pod);
	}

	private reconcile(namespace: string, name: string) {
		const stored = this.store.get(DEPLOYMENT, namespace, name) as DeploymentObject | undefined;
		if (!stored) {
			this.unsettled.delete(objectKey(namespace, name));
			return;
		}
		const deployment = clone(stored);
		const desired = deployment.spec.replicas ?? 1;
		const hash = templateHash(deployment.spec.template);
		const replicaSet = `${name}-${hash}`;
		const generation = deployment.metadata.generation ?? 1;
		const key = objectKey(namespace, name);
		let rollout = this.rollouts.get(key);
		if (!rollout || rollout.generation !== generation) {
			rollout = { generation, startedAt: Date.now() };
			this.rollouts.set(key, rollout);
		}
		const failedCreate = this.scale(deployment, hash, replicaSet);
		this.writeStatus(stored, deployment, { desired, hash, replicaSet, rollout, failedCreate });
	}

	/**
	 * Brings the pods to the desired count and version. Returns why creating a pod was
	 * refused, if it was (the ReplicaSet tries again on the next resync).
	 */
	private scale(deployment: DeploymentObject, hash: string, replicaSet: string): string | undefined {
		const { name } = deployment.metadata;
		const desired = deployment.spec.replicas ?? 1;
		const pods = this.ownedPods(deployment);
		const active = pods.filter((pod) => !isTerminating(pod));
		const old = active.filter((pod) => pod.metadata.labels?.['pod-template-hash'] !== hash);
		const current = active.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash);
		const recreate = deployment.spec.strategy?.type === 'Recreate';

		// Recreate: every old pod goes, and is gone, before a new one starts (the volume is
		// ReadWriteOnce). RollingUpdate: old pods go once the new ones are ready.
		const currentReady = current.filter(isPodReady).length;
		if (old.length > 0 && (recreate || desired === 0 || currentReady >= desired)) {
			for (const pod of old) this.kubelet.terminatePod(pod);
			for (const oldHash of new Set(old.map((pod) => pod.metadata.labels?.['pod-template-hash']))) {
				const count = old.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === oldHash).length;
				this.event(deployment, 'Normal', 'ScalingReplicaSet', `Scaled down replica set ${name}-${oldHash} from ${count} to 0`);
			}
		}
		const oldRemaining = this.ownedPods(deployment).some((pod) => pod.metadata.labels?.['pod-template-hash'] !== hash);
		if (current.length < desired && !(recreate && oldRemaining)) {
			let created = current.length;
			for (; created < desired; created++) {
				const refusal = this.createPod(deployment, hash);
				if (refusal) return this.reportFailedCreate(deployment, refusal);
			}
			this.event(
				deployment,
				'Normal',
				'ScalingReplicaSet',
				`Scaled up replica set ${replicaSet} from ${current.length} to ${desired}`
			);
		} else if (current.length > desired) {
			// Not-ready pods go first, then the newest.
			const victims = [...current]
				.sort(
					(a, b) =>
						Number(isPodReady(a)) - Number(isPodReady(b)) ||
						b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp)
				)
				.slice(0, current.length - desired);
			for (const pod of victims) this.kubelet.terminatePod(pod);
			this.event(
				deployment,
				'Normal',
				'ScalingReplicaSet',
				`Scaled down replica set ${replicaSet} from ${current.length} to ${desired}`
			);
		}
		this.failedCreates.delete(objectKey(deployment.metadata.namespace, name));
		return undefined;
	}

	private reportFailedCreate(deployment: DeploymentObject, message: string): string {
		const key = objectKey(deployment.metadata.namespace, deployment.metadata.name);
		if (this.failedCreates.get(key) !== message) {
			this.failedCreates.set(key, message);
			this.event(deployment, 'Warning', 'FailedCreate', `Error creating: ${message}`);
		}
		return message;
	}

	private writeStatus(
		stored: DeploymentObject,
		deployment: DeploymentObject,
		context: {
			desired: number;
			hash: string;
			replicaSet: string;
			rollout: { generation: number; startedAt: number };
			failedCreate?: string;
		}
	) {
		const { desired, hash, replicaSet, rollout, failedCreate } = context;
		// Terminating pods are no longer counted, as a ReplicaSet counts only active pods.
		const pods = this.ownedPods(deployment).filter((pod) => !isTerminating(pod));
		const current = pods.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash);
		const ready = pods.filter(isPodReady).length;
		const available = ready;
		const updated = current.length;
		const complete = updated === desired && pods.length === desired && current.filter(isPodReady).length === desired;
		const deadlineMs = (deployment.spec.progressDeadlineSeconds ?? 600) * 1000;
		const timedOut = !complete && Date.now() - rollout.startedAt > deadlineMs;
		const key = objectKey(deployment.metadata.namespace, deployment.metadata.name);
		if (complete && !failedCreate) this.unsettled.delete(key);
		else this.unsettled.add(key);

		let conditions = clone(stored.status?.conditions ?? []);
		const condition = (type: string, status: Condition['status'], reason: string, message: string) => {
			const at = now();
			const existing = conditions.find((entry) => entry.type === type);
			if (!existing) {
				conditions.push({ type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message });
				return;
			}
			if (existing.status !== status) existing.lastTransitionTime = at;
			if (existing.status !== status || existing.reason !== reason || existing.message !== message) existing.lastUpdateTime = at;
			Object.assign(existing, { status, reason, message });
		};
		condition(
			'Available',
			available >= desired ? 'True' : 'False',
			available >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
			available >= desired ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'
		);
		if (complete)
			condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${replicaSet}" has successfully progressed.`);
		else if (timedOut)
			condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${replicaSet}" has timed out progressing.`);
		else condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${replicaSet}" is progressing.`);
		if (failedCreate) condition('ReplicaFailure', 'True', 'FailedCreate', failedCreate);
		else conditions = conditions.filter((entry) => entry.type !== 'ReplicaFailure');

		const status: Record<string, unknown> = {
			observedGeneration: rollout.generation,
			...(pods.length ? { replicas: pods.length } : {}),
			...(updated ? { updatedReplicas: updated } : {}),
			...(ready ? { readyReplicas: ready } : {}),
			...(available ? { availableReplicas: available } : {}),
			...(desired - available > 0 ? { unavailableReplicas: desired - available } : {}),
			conditions
		};
		if (canonicalJson(status) !== canonicalJson(stored.status ?? {})) {
			this.store.write(DEPLOYMENT, { ...clone(stored), status });
		}
	}

	/** Creates one pod of the current version through admission; the refusal's message if refused. */
	private createPod(deployment: DeploymentObject, hash: string): string | undefined {
		const { namespace, name } = deployment.metadata;
		const template = clone(deployment.spec.template);
		const generateName = `${name}-${hash}-`;
		const replicaSetUid = createHash('sha256').update(`${deployment.metadata.uid}/${hash}`).digest('hex');
		const pod: PodObject = {
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {
				// Admission sees the name the ReplicaSet asks for: its generateName prefix.
				name: generateName,
				generateName,
				namespace,
				uid: randomUUID(),
				resourceVersion: '',
				creationTimestamp: now(),
				labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
				...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
				ownerReferences: [
					{
						apiVersion: 'apps/v1',
						kind: 'ReplicaSet',
						name: `${name}-${hash}`,
						uid: `${replicaSetUid.slice(0, 8)}-${replicaSetUid.slice(8, 12)}-${replicaSetUid.slice(12, 16)}-${replicaSetUid.slice(16, 20)}-${replicaSetUid.slice(20, 32)}`,
						controller: true,
						blockOwnerDeletion: true
					}
				]
			},
			spec: { ...template.spec, nodeName: NODE_NAME },
			status: { phase: 'Pending' }
		};
		try {
			this.admitPod(pod);
		} catch (error) {
			if (error instanceof ApiError) return error.message;
			throw error;
		}
		pod.metadata.name = `${generateName}${safeEncode(randomBytes(5), 5)}`;
		this.store.write(POD, pod);
		return undefined;
	}

	private event(object: WireObject, type: 'Normal' | 'Warning', reason: string, message: string) {
		recordEvent(this.store, object, type, reason, message);
	}
}
