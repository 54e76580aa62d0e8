// LimitRanger and ResourceQuota admission, as the API server runs them on every create
// and update in a namespace: container defaults and per-object maximums from LimitRanges,
// then the namespace's quotas charged with what the object adds.
//
// The quota is charged BEFORE the storage layer notices that the object already exists
// (kubernetes/kubernetes#106842, still the behaviour): creating a claim that exists in a
// namespace whose quota is sized exactly is refused with 403 "exceeded quota", not 409.
// https://kubernetes.io/docs/concepts/policy/resource-quotas/
// https://kubernetes.io/docs/concepts/policy/limit-range/
import { ApiError } from './admission';
import { qualifiedResource, resourceTypeForKind, type ResourceType } from './resources';
import type { ObjectStore, WireObject } from './store';
import { parseQuantity } from '../../src/lib/server/kube/quantity';

type Dict = Record<string, unknown>;
type Quantities = Record<string, string>;
type Container = { name: string; resources?: { requests?: Quantities; limits?: Quantities } };

const asDict = (value: unknown): Dict => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Dict) : {});
const asList = (value: unknown): Dict[] => (Array.isArray(value) ? (value as Dict[]) : []);

const POD = resourceTypeForKind('Pod');
const PVC = resourceTypeForKind('PersistentVolumeClaim');
const SERVICE = resourceTypeForKind('Service');
const QUOTA = resourceTypeForKind('ResourceQuota');
const LIMIT_RANGE = resourceTypeForKind('LimitRange');

/** The compute resources quotas and limit ranges know, with their short names. */
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'] as const;

export function forbidden(type: ResourceType, name: string, message: string, causes?: Dict[]): ApiError {
	return new ApiError(403, 'Forbidden', `${qualifiedResource(type)} "${name}" is forbidden: ${message}`, {
		name,
		...(type.group ? { group: type.group } : {}),
		kind: type.resource,
		...(causes ? { causes } : {})
	});
}

/** How Kubernetes prints a quantity: cores or millicores, binary units where they fit. */
export function formatQuantity(resource: string, value: number): string {
	if (/cpu$/.test(resource)) {
		const milli = Math.round(value * 1000);
		return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
	}
	if (/(memory|storage)$/.test(resource)) {
		for (const [suffix, size] of [
			['Ti', 2 ** 40],
			['Gi', 2 ** 30],
			['Mi', 2 ** 20],
			['Ki', 2 ** 10]
		] as const) {
			if (value >= size && value % size === 0) return `${value / size}${suffix}`;
		}
	}
	return String(value);
}

const containersOf = (pod: WireObject): Container[] => asList(asDict(pod.spec).containers) as unknown as Container[];
const initContainersOf = (pod: WireObject): Container[] => asList(asDict(pod.spec).initContainers) as unknown as Container[];
/** Every container LimitRanger and the quota's "must specify" look at: init containers too. */
const allContainersOf = (pod: WireObject): Container[] => [...initContainersOf(pod), ...containersOf(pod)];

/** A container's request falls back to its limit, as the API server defaults it. */
function containerAmount(container: Container, kind: 'requests' | 'limits', resource: string): number | undefined {
	const own = container.resources?.[kind]?.[resource];
	const fallback = kind === 'requests' ? container.resources?.limits?.[resource] : undefined;
	const quantity = own ?? fallback;
	return quantity === undefined ? undefined : parseQuantity(quantity);
}

const isTerminal = (pod: WireObject) => ['Succeeded', 'Failed'].includes(String(asDict(pod.status).phase));

/** What one object adds to each quota resource it counts toward. */
export function usageOf(type: ResourceType, object: WireObject): Record<string, number> {
	const usage: Record<string, number> = { [`count/${qualifiedResource(type)}`]: 1 };
	if (type === POD) {
		// Pods in a terminal phase no longer count; terminating ones still do until they are gone.
		if (isTerminal(object)) return {};
		usage.pods = 1;
		for (const resource of COMPUTE) {
			let requests = 0;
			let limits = 0;
			for (const container of containersOf(object)) {
				requests += containerAmount(container, 'requests', resource) ?? 0;
				limits += containerAmount(container, 'limits', resource) ?? 0;
			}
			// Init containers run one at a time before the others: a pod's effective amount is
			// the larger of their largest and the app containers' sum.
			// https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
			for (const container of initContainersOf(object)) {
				requests = Math.max(requests, containerAmount(container, 'requests', resource) ?? 0);
				limits = Math.max(limits, containerAmount(container, 'limits', resource) ?? 0);
			}
			usage[`requests.${resource}`] = requests;
			usage[resource] = requests;
			usage[`limits.${resource}`] = limits;
		}
	} else if (type === PVC) {
		usage.persistentvolumeclaims = 1;
		usage['requests.storage'] = parseQuantity(String(asDict(asDict(asDict(object.spec).resources).requests).storage ?? 0));
	} else if (type === SERVICE) {
		const spec = asDict(object.spec);
		usage.services = 1;
		usage['services.loadbalancers'] = spec.type === 'LoadBalancer' ? 1 : 0;
		usage['services.nodeports'] = spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? asList(spec.ports).length : 0;
	} else if (['Secret', 'ConfigMap'].includes(type.kind)) {
		usage[type.resource] = 1;
	}
	return usage;
}

const QUOTA_TYPES = [POD, PVC, SERVICE, resourceTypeForKind('Secret'), resourceTypeForKind('ConfigMap')];

/** What everything in the namespace uses, per quota resource (what the quota controller reports). */
export function namespaceUsage(store: ObjectStore, namespace: string, except?: WireObject): Record<string, number> {
	const total: Record<string, number> = {};
	for (const type of QUOTA_TYPES) {
		for (const object of store.list(type, namespace)) {
			if (except && object.kind === except.kind && object.metadata.name === except.metadata.name) continue;
			for (const [resource, amount] of Object.entries(usageOf(type, object))) total[resource] = (total[resource] ?? 0) + amount;
		}
	}
	return total;
}

/** A ResourceQuota with `status.used` filled in, as the quota controller keeps it. */
export function withQuotaStatus(store: ObjectStore, quota: WireObject): WireObject {
	const hard = asDict(asDict(quota.spec).hard) as Quantities;
	const used = namespaceUsage(store, quota.metadata.namespace!);
	return {
		...quota,
		status: {
			hard: { ...hard },
			used: Object.fromEntries(Object.keys(hard).map((resource) => [resource, formatQuantity(resource, used[resource] ?? 0)]))
		}
	};
}

function mustSpecify(quotaName: string, hard: Quantities, pod: WireObject): string | undefined {
	const missing: string[] = [];
	for (const resource of Object.keys(hard)) {
		const match = /^(requests|limits)\.(cpu|memory|ephemeral-storage)$/.exec(resource);
		if (!match) continue;
		const kind = match[1] as 'requests' | 'limits';
		const lacking = allContainersOf(pod).filter((container) => containerAmount(container, kind, match[2]) === undefined);
		if (lacking.length) missing.push(`${resource} for: ${lacking.map((c) => c.name).join(',')}`);
	}
	return missing.length ? `failed quota: ${quotaName}: must specify ${missing.join('; ')}` : undefined;
}

/**
 * Charges a create (no `existing`) or an update against every quota of the namespace.
 * Throws 403 with the quota's words, as the API server answers.
 */
export function chargeQuota(store: ObjectStore, type: ResourceType, object: WireObject, existing?: WireObject) {
	const namespace = object.metadata.namespace!;
	const quotas = store.list(QUOTA, namespace);
	if (quotas.length === 0 || !QUOTA_TYPES.includes(type)) return;
	const adds = usageOf(type, object);
	const removes = existing ? usageOf(type, existing) : {};
	const used = namespaceUsage(store, namespace, existing);
	for (const quota of quotas) {
		const hard = asDict(asDict(quota.spec).hard) as Quantities;
		if (type === POD && !existing) {
			const problem = mustSpecify(quota.metadata.name, hard, object);
			if (problem) throw forbidden(type, object.metadata.name, problem);
		}
		const over = Object.keys(hard)
			.filter((resource) => (adds[resource] ?? 0) - (removes[resource] ?? 0) > 0)
			.filter((resource) => (used[resource] ?? 0) + (adds[resource] ?? 0) > parseQuantity(hard[resource]))
			.sort();
		if (over.length === 0) continue;
		const list = (pick: (resource: string) => number) =>
			over.map((resource) => `${resource}=${formatQuantity(resource, pick(resource))}`).join(',');
		throw forbidden(
			type,
			object.metadata.name,
			`exceeded quota: ${quota.metadata.name}, requested: ${list((r) => adds[r] - (removes[r] ?? 0))}, used: ${list((r) => used[r] ?? 0)}, limited: ${list((r) => parseQuantity(hard[r]))}`
		);
	}
}

/**
 * LimitRanger: fills a container's missing limits and requests from the namespace's
 * defaults (mutating), then refuses containers and claims above a maximum or below a
 * minimum (validating).
 */
export function applyLimitRanges(store: ObjectStore, type: ResourceType, object: WireObject) {
	if (type !== POD && type !== PVC) return;
	const ranges = store.list(LIMIT_RANGE, object.metadata.namespace!);
	for (const range of ranges) {
		for (const limit of asList(asDict(range.spec).limits)) {
			if (type === POD && limit.type === 'Container') limitContainers(object, limit);
			if (type === PVC && limit.type === 'PersistentVolumeClaim') limitClaim(object, limit);
		}
	}
}

function limitContainers(pod: WireObject, limit: Dict) {
	const defaults = asDict(limit.default) as Quantities;
	const defaultRequests = asDict(limit.defaultRequest) as Quantities;
	const max = asDict(limit.max) as Quantities;
	const min = asDict(limit.min) as Quantities;
	for (const container of allContainersOf(pod)) {
		const resources = (container.resources ??= {});
		for (const [resource, quantity] of Object.entries(defaults)) {
			resources.limits ??= {};
			resources.limits[resource] ??= quantity;
		}
		for (const [resource, quantity] of Object.entries(defaultRequests)) {
			resources.requests ??= {};
			resources.requests[resource] ??= resources.limits?.[resource] ?? quantity;
		}
		for (const [resource, quantity] of Object.entries(max)) {
			const value = containerAmount(container, 'limits', resource);
			if (value === undefined) {
				throw forbidden(POD, pod.metadata.name, `maximum ${resource} usage per Container is ${quantity}.  No limit is specified`);
			}
			if (value > parseQuantity(quantity)) {
				throw forbidden(
					POD,
					pod.metadata.name,
					`maximum ${resource} usage per Container is ${quantity}, but limit is ${formatQuantity(resource, value)}`
				);
			}
		}
		for (const [resource, quantity] of Object.entries(min)) {
			const value = containerAmount(container, 'requests', resource);
			if (value !== undefined && value < parseQuantity(quantity)) {
				throw forbidden(
					POD,
					pod.metadata.name,
					`minimum ${resource} usage per Container is ${quantity}, but request is ${formatQuantity(resource, value)}`
				);
			}
		}
	}
}

function limitClaim(claim: WireObject, limit: Dict) {
	const requested = asDict(asDict(asDict(claim.spec).resources).requests).storage;
	if (requested === undefined) return;
	const value = parseQuantity(String(requested));
	const max = asDict(limit.max).storage;
	if (max !== undefined && value > parseQuantity(String(max))) {
		throw forbidden(
			PVC,
			claim.metadata.name,
			`maximum storage usage per PersistentVolumeClaim is ${max}, but request is ${formatQuantity('storage', value)}`
		);
	}
	const min = asDict(limit.min).storage;
	if (min !== undefined && value < parseQuantity(String(min))) {
		throw forbidden(
			PVC,
			claim.metadata.name,
			`minimum storage usage per PersistentVolumeClaim is ${min}, but request is ${formatQuantity('storage', value)}`
		);
	}
}
