// The resource types the emulator serves, as the API server's discovery documents them.

export type ResourceType = {
	/** API group; '' is the core group served under /api. */
	group: '' | 'apps' | 'networking.k8s.io' | 'snapshot.storage.k8s.io';
	version: 'v1';
	/** Plural name used in paths. */
	resource: string;
	kind: string;
	namespaced: boolean;
	shortNames?: string[];
	/** metadata.generation tracks spec changes (what rollout status compares against). */
	tracksGeneration?: boolean;
	/** Writes to the main resource leave .status alone (it belongs to a controller). */
	hasStatus?: boolean;
	subresources?: string[];
};

export const RESOURCE_TYPES: ResourceType[] = [
	{ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], hasStatus: true },
	{
		group: '',
		version: 'v1',
		resource: 'pods',
		kind: 'Pod',
		namespaced: true,
		shortNames: ['po'],
		hasStatus: true,
		subresources: ['log']
	},
	{ group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], hasStatus: true },
	{ group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
	{ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
	{
		group: '',
		version: 'v1',
		resource: 'persistentvolumeclaims',
		kind: 'PersistentVolumeClaim',
		namespaced: true,
		shortNames: ['pvc'],
		hasStatus: true
	},
	{
		group: '',
		version: 'v1',
		resource: 'resourcequotas',
		kind: 'ResourceQuota',
		namespaced: true,
		shortNames: ['quota'],
		hasStatus: true
	},
	{ group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] },
	{ group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
	{
		group: 'apps',
		version: 'v1',
		resource: 'deployments',
		kind: 'Deployment',
		namespaced: true,
		shortNames: ['deploy'],
		tracksGeneration: true,
		hasStatus: true,
		subresources: ['scale']
	},
	{
		group: 'networking.k8s.io',
		version: 'v1',
		resource: 'ingresses',
		kind: 'Ingress',
		namespaced: true,
		shortNames: ['ing'],
		tracksGeneration: true,
		hasStatus: true
	},
	{
		group: 'networking.k8s.io',
		version: 'v1',
		resource: 'networkpolicies',
		kind: 'NetworkPolicy',
		namespaced: true,
		shortNames: ['netpol'],
		tracksGeneration: true
	},
	// The CSI snapshot CRDs (external-snapshotter): served only while the emulator is told the
	// cluster has them (option snapshotApi). https://kubernetes.io/docs/concepts/storage/volume-snapshots/
	{
		group: 'snapshot.storage.k8s.io',
		version: 'v1',
		resource: 'volumesnapshots',
		kind: 'VolumeSnapshot',
		namespaced: true,
		shortNames: ['vs'],
		hasStatus: true
	},
	{
		group: 'snapshot.storage.k8s.io',
		version: 'v1',
		resource: 'volumesnapshotcontents',
		kind: 'VolumeSnapshotContent',
		namespaced: false,
		shortNames: ['vsc'],
		hasStatus: true
	},
	{
		group: 'snapshot.storage.k8s.io',
		version: 'v1',
		resource: 'volumesnapshotclasses',
		kind: 'VolumeSnapshotClass',
		namespaced: false,
		shortNames: ['vsclass']
	}
];

export const SNAPSHOT_GROUP = 'snapshot.storage.k8s.io';

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
	return type.group ? `${type.group}/${type.version}` : type.version;
}

/** How errors name a resource: `deployments.apps`, `pods`. */
export function qualifiedResource(type: ResourceType): string {
	return type.group ? `${type.resource}.${type.group}` : type.resource;
}

export function findResourceType(group: string, version: string, resource: string): ResourceType | undefined {
	return RESOURCE_TYPES.find((type) => type.group === group && type.version === version && type.resource === resource);
}

export function resourceTypeForKind(kind: string): ResourceType {
	const type = RESOURCE_TYPES.find((candidate) => candidate.kind === kind);
	if (!type) throw new Error(`The emulator does not serve kind ${kind}`);
	return type;
}

/** GET /api/v1, /apis/apps/v1, ...: an APIResourceList. */
export function apiResourceList(group: string, version: string) {
	const types = RESOURCE_TYPES.filter((type) => type.group === group && type.version === version);
	if (types.length === 0) return undefined;
	const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update'];
	return {
		kind: 'APIResourceList',
		apiVersion: 'v1',
		groupVersion: group ? `${group}/${version}` : version,
		resources: types.flatMap((type) => [
			{
				name: type.resource,
				singularName: type.kind.toLowerCase(),
				namespaced: type.namespaced,
				kind: type.kind,
				verbs,
				...(type.shortNames ? { shortNames: type.shortNames } : {})
			},
			...(type.subresources ?? []).map((sub) => ({
				name: `${type.resource}/${sub}`,
				singularName: '',
				namespaced: type.namespaced,
				kind: sub === 'scale' ? 'Scale' : type.kind,
				...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
				verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update']
			}))
		])
	};
}

/** GET /apis: an APIGroupList. */
export function apiGroupList(extraGroups: string[] = [], hiddenGroups: string[] = []) {
	const groups = [...new Set(RESOURCE_TYPES.map((type) => type.group).filter(Boolean))].filter(
		(name) => !hiddenGroups.includes(name)
	);
	const group = (name: string, version: string) => ({
		name,
		versions: [{ groupVersion: `${name}/${version}`, version }],
		preferredVersion: { groupVersion: `${name}/${version}`, version }
	});
	return {
		kind: 'APIGroupList',
		apiVersion: 'v1',
		// Aggregated APIs (metrics.k8s.io from metrics-server) are v1beta1.
		groups: [...groups.map((name) => group(name, 'v1')), ...extraGroups.map((name) => group(name, 'v1beta1'))]
	};
}
