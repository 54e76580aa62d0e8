// What the API server does to an object between the request and storage: validation
// (422 Invalid with the field at fault), defaulting, and the fields it allocates or
// protects (cluster IPs, bound volumes, immutable selectors).
import { randomUUID } from 'node:crypto';
import { canonicalJson, clone } from './patch';
import { apiVersionOf, qualifiedResource, type ResourceType } from './resources';
import type { WireObject } from './store';
import { parseQuantity } from '../../src/lib/server/kube/quantity';

export class ApiError extends Error {
	constructor(
		readonly code: number,
		readonly reason: string,
		message: string,
		readonly details?: Record<string, unknown>
	) {
		super(message);
	}
}

export type Cause = { field: string; message: string };

export function invalid(type: ResourceType, name: string, causes: Cause[]): ApiError {
	const kind = type.group ? `${type.kind}.${type.group}` : type.kind;
	return new ApiError(
		422,
		'Invalid',
		`${kind} "${name}" is invalid: ${causes.map((cause) => `${cause.field}: ${cause.message}`).join(', ')}`,
		{
			name,
			...(type.group ? { group: type.group } : {}),
			kind: type.kind,
			causes: causes.map((cause) => ({ reason: 'FieldValueInvalid', message: cause.message, field: cause.field }))
		}
	);
}

export function notFound(type: ResourceType, name: string): ApiError {
	return new ApiError(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, {
		name,
		...(type.group ? { group: type.group } : {}),
		kind: type.resource
	});
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
	return new ApiError(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, {
		name,
		...(type.group ? { group: type.group } : {}),
		kind: type.resource
	});
}

export function conflict(type: ResourceType, name: string): ApiError {
	return new ApiError(
		409,
		'Conflict',
		`Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
		{ name, ...(type.group ? { group: type.group } : {}), kind: type.resource }
	);
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

// ---------------------------------------------------------------------------
// Names and quantities
// ---------------------------------------------------------------------------

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

function nameProblem(type: ResourceType, name: string): string | undefined {
	if (type.kind === 'Namespace') {
		return name.length <= 63 && DNS_LABEL.test(name)
			? undefined
			: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
	}
	if (type.kind === 'Service') {
		return name.length <= 63 && DNS_1035.test(name)
			? undefined
			: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
	}
	return name.length <= 253 && DNS_SUBDOMAIN.test(name)
		? undefined
		: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
}

function labelKeyValid(key: string): boolean {
	const parts = key.split('/');
	if (parts.length > 2) return false;
	const name = parts.at(-1)!;
	const prefix = parts.length === 2 ? parts[0] : undefined;
	return (
		name.length <= 63 && LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)))
	);
}

// ---------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------

type Dict = Record<string, unknown>;
const asDict = (value: unknown): Dict => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Dict) : {});
const asList = (value: unknown): Dict[] => (Array.isArray(value) ? (value as Dict[]) : []);

let serviceIpCounter = 10;

function allocateClusterIp(): string {
	serviceIpCounter += 1;
	return `10.96.${Math.floor(serviceIpCounter / 250) % 250}.${(serviceIpCounter % 250) + 1}`;
}

// ---------------------------------------------------------------------------
// Admission
// ---------------------------------------------------------------------------

export type AdmissionContext = { type: ResourceType; existing?: WireObject };

/** Checks the metadata every object shares, fills what the server owns. */
function admitMetadata(object: WireObject, { type, existing }: AdmissionContext) {
	const meta = object.metadata;
	const problem = nameProblem(type, meta.name);
	if (problem) throw invalid(type, meta.name, [{ field: 'metadata.name', message: `Invalid value: "${meta.name}": ${problem}` }]);
	const causes: Cause[] = [];
	for (const [key, value] of Object.entries(meta.labels ?? {})) {
		if (!labelKeyValid(key))
			causes.push({ field: 'metadata.labels', message: `Invalid value: "${key}": name part must be a valid label key` });
		if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
			causes.push({
				field: 'metadata.labels',
				message: `Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`
			});
		}
	}
	if (causes.length) throw invalid(type, meta.name, causes);
	object.apiVersion = apiVersionOf(type);
	object.kind = type.kind;
	meta.uid = existing?.metadata.uid ?? randomUUID();
	meta.creationTimestamp = existing?.metadata.creationTimestamp ?? new Date().toISOString();
	if (existing?.metadata.generateName) meta.generateName = existing.metadata.generateName;
	delete meta.managedFields;
	delete meta.selfLink;
	// Empty maps are absent on the wire (Go's omitempty).
	if (meta.labels && Object.keys(meta.labels).length === 0) delete meta.labels;
	if (meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
	if (!existing) delete meta.deletionTimestamp;
}

function requireSpec(object: WireObject, type: ResourceType): Dict {
	const spec = object.spec;
	if (!spec || typeof spec !== 'object')
		throw invalid(type, object.metadata.name, [{ field: 'spec', message: 'Required value' }]);
	return spec as Dict;
}

function checkDataKeys(object: WireObject, type: ResourceType, field: 'data' | 'stringData' | 'binaryData') {
	for (const key of Object.keys(asDict(object[field]))) {
		if (!DATA_KEY.test(key) || key.length > 253) {
			throw invalid(type, object.metadata.name, [
				{
					field: `${field}[${key}]`,
					message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`
				}
			]);
		}
	}
}

function defaultProbe(probe: unknown) {
	if (!probe || typeof probe !== 'object') return;
	const p = probe as Dict;
	p.timeoutSeconds ??= 1;
	p.periodSeconds ??= 10;
	p.successThreshold ??= 1;
	p.failureThreshold ??= 3;
	if (p.httpGet && typeof p.httpGet === 'object') (p.httpGet as Dict).scheme ??= 'HTTP';
}

/** Pod spec checks and defaults shared by Pods and pod templates. */
function admitPodSpec(spec: Dict, type: ResourceType, name: string, field: string) {
	const containers = asList(spec.containers);
	if (containers.length === 0) throw invalid(type, name, [{ field: `${field}.containers`, message: 'Required value' }]);
	const causes: Cause[] = [];
	const seen = new Set<string>();
	containers.forEach((container, index) => {
		const at = `${field}.containers[${index}]`;
		const containerName = typeof container.name === 'string' ? container.name : '';
		if (!DNS_LABEL.test(containerName))
			causes.push({ field: `${at}.name`, message: `Invalid value: "${containerName}": must be a DNS label` });
		if (seen.has(containerName)) causes.push({ field: `${at}.name`, message: `Duplicate value: "${containerName}"` });
		seen.add(containerName);
		if (typeof container.image !== 'string' || container.image.trim() === '')
			causes.push({ field: `${at}.image`, message: 'Required value' });
		for (const [portIndex, port] of asList(container.ports).entries()) {
			const number = port.containerPort;
			if (!Number.isInteger(number) || (number as number) < 1 || (number as number) > 65535) {
				causes.push({
					field: `${at}.ports[${portIndex}].containerPort`,
					message: `Invalid value: ${JSON.stringify(number)}: must be between 1 and 65535, inclusive`
				});
			}
			port.protocol ??= 'TCP';
		}
		const image = String(container.image ?? '');
		const tag = image.includes('@') ? 'digest' : image.split('/').at(-1)!.split(':')[1];
		container.imagePullPolicy ??= !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
		container.terminationMessagePath ??= '/dev/termination-log';
		container.terminationMessagePolicy ??= 'File';
		defaultProbe(container.readinessProbe);
		defaultProbe(container.livenessProbe);
		defaultProbe(container.startupProbe);
	});
	if (causes.length) throw invalid(type, name, causes);
	spec.restartPolicy ??= 'Always';
	spec.dnsPolicy ??= 'ClusterFirst';
	spec.schedulerName ??= 'default-scheduler';
	spec.terminationGracePeriodSeconds ??= 30;
	spec.securityContext ??= {};
}

const admitters: Record<string, (object: WireObject, context: AdmissionContext) => void> = {
	Namespace(object, { existing }) {
		object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name };
		// Finalizers change only through /finalize.
		object.spec = existing?.spec ?? { finalizers: ['kubernetes'] };
		object.status = existing?.status ?? { phase: 'Active' };
	},

	Pod(object, { type, existing }) {
		if (existing) {
			// A pod's spec is fixed once it runs; only metadata changes.
			object.spec = existing.spec;
			object.status = existing.status;
			return;
		}
		admitPodSpec(requireSpec(object, type), type, object.metadata.name, 'spec');
		object.status = { phase: 'Pending' };
	},

	Deployment(object, { type, existing }) {
		const name = object.metadata.name;
		const spec = requireSpec(object, type);
		const selector = asDict(asDict(spec.selector).matchLabels) as Record<string, string>;
		const template = asDict(spec.template);
		const templateLabels = asDict(asDict(template.metadata).labels) as Record<string, string>;
		if (Object.keys(selector).length === 0)
			throw invalid(type, name, [
				{ field: 'spec.selector', message: 'Invalid value: "null": empty selector is invalid for deployment' }
			]);
		if (!Object.entries(selector).every(([key, value]) => templateLabels[key] === value)) {
			throw invalid(type, name, [
				{
					field: 'spec.template.metadata.labels',
					message: `Invalid value: ${JSON.stringify(templateLabels)}: \`selector\` does not match template \`labels\``
				}
			]);
		}
		if (existing && canonicalJson(asDict((existing.spec as Dict).selector)) !== canonicalJson(asDict(spec.selector))) {
			throw invalid(type, name, [
				{ field: 'spec.selector', message: `Invalid value: ${JSON.stringify(spec.selector)}: field is immutable` }
			]);
		}
		spec.replicas ??= 1;
		if (!Number.isInteger(spec.replicas) || (spec.replicas as number) < 0) {
			throw invalid(type, name, [
				{ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0` }
			]);
		}
		const strategy = asDict(spec.strategy);
		spec.strategy =
			strategy.type === 'Recreate'
				? { type: 'Recreate' }
				: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%', ...asDict(strategy.rollingUpdate) } };
		spec.revisionHistoryLimit ??= 10;
		spec.progressDeadlineSeconds ??= 600;
		const podSpec = asDict(template.spec);
		template.spec = podSpec;
		admitPodSpec(podSpec, type, name, 'spec.template.spec');
		object.status = existing?.status ?? {};
	},

	Service(object, { type, existing }) {
		const name = object.metadata.name;
		const spec = requireSpec(object, type);
		spec.type ??= 'ClusterIP';
		const ports = asList(spec.ports);
		if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
			throw invalid(type, name, [{ field: 'spec.ports', message: 'Required value' }]);
		}
		for (const [index, port] of ports.entries()) {
			if (!Number.isInteger(port.port) || (port.port as number) < 1 || (port.port as number) > 65535) {
				throw invalid(type, name, [
					{
						field: `spec.ports[${index}].port`,
						message: `Invalid value: ${JSON.stringify(port.port)}: must be between 1 and 65535, inclusive`
					}
				]);
			}
			port.protocol ??= 'TCP';
			port.targetPort ??= port.port;
		}
		const previousIp = existing ? (asDict(existing.spec).clusterIP as string | undefined) : undefined;
		if (previousIp) {
			if (spec.clusterIP && spec.clusterIP !== previousIp) {
				throw invalid(type, name, [
					{ field: 'spec.clusterIPs[0]', message: `Invalid value: ${JSON.stringify([spec.clusterIP])}: may not change once set` }
				]);
			}
			spec.clusterIP = previousIp;
		} else spec.clusterIP ??= allocateClusterIp();
		spec.clusterIPs = [spec.clusterIP];
		spec.sessionAffinity ??= 'None';
		spec.ipFamilies ??= ['IPv4'];
		spec.ipFamilyPolicy ??= 'SingleStack';
		spec.internalTrafficPolicy ??= 'Cluster';
		object.status = existing?.status ?? { loadBalancer: {} };
	},

	Secret(object, { type, existing }) {
		checkDataKeys(object, type, 'data');
		checkDataKeys(object, type, 'stringData');
		object.type ??= 'Opaque';
		if (existing && existing.type !== object.type) {
			throw invalid(type, object.metadata.name, [
				{ field: 'type', message: `Invalid value: ${JSON.stringify(object.type)}: field is immutable` }
			]);
		}
		// stringData is write-only: it lands in data, base64 encoded.
		const data = { ...(asDict(object.data) as Record<string, string>) };
		for (const [key, value] of Object.entries(asDict(object.stringData)))
			data[key] = Buffer.from(String(value)).toString('base64');
		delete object.stringData;
		object.data = data;
	},

	ConfigMap(object, { type }) {
		checkDataKeys(object, type, 'data');
		checkDataKeys(object, type, 'binaryData');
	},

	PersistentVolumeClaim(object, { type, existing }) {
		const name = object.metadata.name;
		const spec = requireSpec(object, type);
		const storage = asDict(asDict(spec.resources).requests).storage as string | undefined;
		if (asList(spec.accessModes).length === 0)
			throw invalid(type, name, [{ field: 'spec.accessModes', message: 'Required value: at least 1 access mode is required' }]);
		if (!storage || Number.isNaN(parseQuantity(storage)))
			throw invalid(type, name, [{ field: 'spec.resources[storage]', message: 'Required value' }]);
		if (existing) {
			const previous = clone(asDict(existing.spec));
			const previousStorage = asDict(asDict(previous.resources).requests).storage as string;
			// The binder's fields come along; everything else but the size must stay.
			spec.storageClassName ??= previous.storageClassName;
			spec.volumeName ??= previous.volumeName;
			spec.volumeMode ??= previous.volumeMode;
			const comparable = (value: Dict) => canonicalJson({ ...value, resources: undefined });
			if (comparable(spec) !== comparable(previous)) {
				throw invalid(type, name, [
					{
						field: 'spec',
						message:
							'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'
					}
				]);
			}
			if (parseQuantity(storage) < parseQuantity(previousStorage)) {
				throw invalid(type, name, [
					{ field: 'spec.resources.requests.storage', message: 'Forbidden: field can not be less than status.capacity' }
				]);
			}
			// Volume expansion is instant here.
			object.status = { ...asDict(existing.status), capacity: { storage } };
			object.metadata.annotations = { ...existing.metadata.annotations, ...object.metadata.annotations };
			return;
		}
		// The StorageObjectInUseProtection admission plugin: a claim in use is not deleted under its pod.
		object.metadata.finalizers = [
			...new Set([...((object.metadata.finalizers as string[] | undefined) ?? []), 'kubernetes.io/pvc-protection'])
		];
		spec.storageClassName ??= 'standard';
		spec.volumeMode ??= 'Filesystem';
		// A claim restored from a snapshot waits, Pending, for the provisioner to restore it
		// (the snapshot controller of snapshots.ts binds it once the snapshot is ready).
		// https://kubernetes.io/docs/concepts/storage/persistent-volumes/#volume-snapshot-and-restore-volume-from-snapshot-support
		const dataSource = asDict(spec.dataSource);
		if (Object.keys(dataSource).length > 0) {
			if (dataSource.kind !== 'VolumeSnapshot' || dataSource.apiGroup !== 'snapshot.storage.k8s.io' || !dataSource.name) {
				throw invalid(type, name, [
					{ field: 'spec.dataSource', message: 'Invalid value: only a VolumeSnapshot of snapshot.storage.k8s.io is supported' }
				]);
			}
			object.status = { phase: 'Pending' };
			return;
		}
		spec.volumeName = `pvc-${object.metadata.uid}`;
		object.metadata.annotations = {
			...object.metadata.annotations,
			'pv.kubernetes.io/bind-completed': 'yes',
			'pv.kubernetes.io/bound-by-controller': 'yes'
		};
		object.status = { phase: 'Bound', accessModes: spec.accessModes, capacity: { storage } };
	},

	VolumeSnapshot(object, { type, existing }) {
		const spec = requireSpec(object, type);
		const source = asDict(spec.source);
		const claim = source.persistentVolumeClaimName;
		const content = source.volumeSnapshotContentName;
		if (!claim === !content) {
			throw invalid(type, object.metadata.name, [
				{ field: 'spec.source', message: 'Invalid value: exactly one of persistentVolumeClaimName and volumeSnapshotContentName' }
			]);
		}
		// The source is immutable (the CRD's x-kubernetes-validations).
		if (existing && canonicalJson(asDict(existing.spec).source) !== canonicalJson(source)) {
			throw invalid(type, object.metadata.name, [{ field: 'spec.source', message: 'Invalid value: spec.source is immutable' }]);
		}
		object.status = existing?.status ?? { readyToUse: false };
	},

	VolumeSnapshotContent(object, { type, existing }) {
		const spec = requireSpec(object, type);
		if (spec.deletionPolicy !== 'Delete' && spec.deletionPolicy !== 'Retain') {
			throw invalid(type, object.metadata.name, [
				{ field: 'spec.deletionPolicy', message: 'Unsupported value: supported values: "Delete", "Retain"' }
			]);
		}
		object.status = existing?.status ?? {};
	},

	VolumeSnapshotClass(object, { type }) {
		if (!object.driver || (object.deletionPolicy !== 'Delete' && object.deletionPolicy !== 'Retain')) {
			throw invalid(type, object.metadata.name, [
				{ field: 'deletionPolicy', message: 'Required value: driver and a deletionPolicy of Delete or Retain' }
			]);
		}
	},

	ResourceQuota(object, { type }) {
		const spec = requireSpec(object, type);
		const hard = asDict(spec.hard) as Record<string, string>;
		for (const [resource, quantity] of Object.entries(hard)) {
			if (Number.isNaN(parseQuantity(quantity))) {
				throw invalid(type, object.metadata.name, [
					{ field: `spec.hard[${resource}]`, message: `Invalid value: "${quantity}": must be a quantity` }
				]);
			}
		}
		object.status = { hard: { ...hard }, used: Object.fromEntries(Object.keys(hard).map((resource) => [resource, '0'])) };
	},

	LimitRange(object, { type }) {
		const spec = requireSpec(object, type);
		if (asList(spec.limits).length === 0)
			throw invalid(type, object.metadata.name, [{ field: 'spec.limits', message: 'Required value' }]);
	},

	Ingress(object, { type, existing }) {
		const spec = requireSpec(object, type);
		for (const [index, rule] of asList(spec.rules).entries()) {
			const host = rule.host;
			if (host !== undefined && (typeof host !== 'string' || !DNS_SUBDOMAIN.test(host.replace(/^\*\./, '')))) {
				throw invalid(type, object.metadata.name, [
					{ field: `spec.rules[${index}].host`, message: `Invalid value: ${JSON.stringify(host)}: must be a DNS name` }
				]);
			}
		}
		object.status = existing?.status ?? { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
	},

	NetworkPolicy(object, { type }) {
		const spec = requireSpec(object, type);
		if (!spec.podSelector || typeof spec.podSelector !== 'object') {
			throw invalid(type, object.metadata.name, [{ field: 'spec.podSelector', message: 'Required value' }]);
		}
	},

	Event() {}
};

/**
 * Validates and defaults `object` (already carrying its name and namespace) for a create
 * (no `existing`) or an update. Throws ApiError 422 with the failing fields.
 */
export function admit(object: WireObject, context: AdmissionContext): WireObject {
	admitMetadata(object, context);
	admitters[context.type.kind](object, context);
	if (context.type.tracksGeneration) {
		const previous = context.existing;
		if (!previous) object.metadata.generation = 1;
		else {
			const changed = canonicalJson(previous.spec) !== canonicalJson(object.spec);
			object.metadata.generation = (previous.metadata.generation ?? 1) + (changed ? 1 : 0);
		}
	}
	if (context.type.hasStatus && context.existing && context.type.kind !== 'PersistentVolumeClaim') {
		object.status = context.existing.status;
	}
	return object;
}
