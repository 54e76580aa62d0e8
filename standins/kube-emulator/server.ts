// The emulator's HTTP face: the Kubernetes REST paths MinisPod uses, answered the way the
// API server answers them (Status objects, resourceVersion checks, list kinds, admission
// before storage), the metrics.k8s.io API, plus a small control API under /_emulator.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { ApiError, admit, alreadyExists, badRequest, conflict, notFound } from './admission';
import { type Controller, type DeploymentObject, type PodObject } from './controller';
import { handleControl } from './control';
import type { Faults } from './faults';
import { REASONS, asObject, readJson, sendJson, statusBody } from './http';
import type { LogLine } from './logs';
import { METRICS_GROUP, metricsResourceList, type PodMetricsApi } from './metrics';
import type { NamespaceLifecycle } from './namespaces';
import { PATCH_CONTENT_TYPES, PatchError, canonicalJson, clone, type Json, type PatchContentType } from './patch';
import type { AdmissionChain } from './policy';
import { withQuotaStatus } from './quota';
import {
	apiGroupList,
	apiResourceList,
	apiVersionOf,
	findResourceType,
	resourceTypeForKind,
	SNAPSHOT_GROUP,
	type ResourceType
} from './resources';
import {
	SelectorError,
	formatLabelSelector,
	matchesFields,
	matchesLabels,
	parseFieldSelector,
	parseLabelSelector
} from './selectors';
import type { ObjectStore, WireObject } from './store';

export type RequestRecord = { method: string; path: string; status: number; at: Date };

export type ServerState = {
	store: ObjectStore;
	controller: Controller;
	admission: AdmissionChain;
	namespaces: NamespaceLifecycle;
	metrics: PodMetricsApi;
	faults: Faults;
	token: string;
	openLogStreams: Set<ServerResponse>;
	requests: RequestRecord[];
	counters: { requests: number };
	stats: () => unknown;
};

const MAX_REQUEST_RECORDS = 1000;
const NAMESPACE = resourceTypeForKind('Namespace');
const POD = resourceTypeForKind('Pod');
const PVC = resourceTypeForKind('PersistentVolumeClaim');
const DEPLOYMENT = resourceTypeForKind('Deployment');
const QUOTA = resourceTypeForKind('ResourceQuota');

/** Items in a list carry no kind or apiVersion, as in the real API. */
function listBody(type: ResourceType, store: ObjectStore, items: WireObject[]) {
	return {
		kind: `${type.kind}List`,
		apiVersion: apiVersionOf(type),
		metadata: { resourceVersion: store.resourceVersion },
		items: items.map((item) => {
			const copy = clone(item) as Partial<WireObject>;
			delete copy.kind;
			delete copy.apiVersion;
			return copy;
		})
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Route =
	| { kind: 'discovery'; body: unknown }
	| { kind: 'collection'; type: ResourceType; namespace?: string }
	| { kind: 'item'; type: ResourceType; namespace?: string; name: string; subresource?: string };

function parseApiPath(pathname: string, extraGroups: string[], hiddenGroups: string[]): Route | undefined {
	const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
	if (parts[0] === 'version' && parts.length === 1) {
		return {
			kind: 'discovery',
			body: { major: '1', minor: '31', gitVersion: 'v1.31.0-minispod-emulator', platform: `${process.platform}/${process.arch}` }
		};
	}
	let group: string;
	let version: string | undefined;
	let rest: string[];
	if (parts[0] === 'api') {
		if (parts.length === 1)
			return { kind: 'discovery', body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
		group = '';
		version = parts[1];
		rest = parts.slice(2);
	} else if (parts[0] === 'apis') {
		if (parts.length === 1) return { kind: 'discovery', body: apiGroupList(extraGroups, hiddenGroups) };
		group = parts[1];
		version = parts[2];
		if (!version) {
			// GET /apis/<group>: the APIGroup document, 404 for a group the cluster does not serve.
			const body = apiGroupList([], hiddenGroups).groups.find((entry) => entry.name === group);
			return body && parts.length === 2
				? { kind: 'discovery', body: { kind: 'APIGroup', apiVersion: 'v1', ...body } }
				: undefined;
		}
		rest = parts.slice(3);
	} else return undefined;

	if (rest.length === 0) {
		const list = apiResourceList(group, version);
		return list ? { kind: 'discovery', body: list } : undefined;
	}
	let namespace: string | undefined;
	if (rest[0] === 'namespaces' && rest.length >= 3) {
		namespace = rest[1];
		rest = rest.slice(2);
	}
	const type = findResourceType(group, version, rest[0]);
	if (!type) return undefined;
	if (namespace !== undefined && !type.namespaced) return undefined;
	if (rest.length === 1) return { kind: 'collection', type, namespace };
	if (!type.namespaced || namespace !== undefined) {
		if (rest.length === 2) return { kind: 'item', type, namespace, name: rest[1] };
		if (rest.length === 3 && type.subresources?.includes(rest[2]))
			return { kind: 'item', type, namespace, name: rest[1], subresource: rest[2] };
	}
	return undefined;
}

export class ApiServer {
	constructor(
		private readonly state: ServerState,
		/** The live options the control API may change. */
		private readonly options: Record<string, unknown>
	) {}

	/** Node's request listener. */
	readonly handle = (req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://emulator');
		const method = (req.method ?? 'GET').toUpperCase();
		this.state.counters.requests += 1;
		res.on('finish', () => this.record(method, url.pathname, res.statusCode));
		this.dispatch(req, res, url, method).catch((error: unknown) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			if (error instanceof ApiError)
				sendJson(res, error.code, statusBody(error.code, error.reason, error.message, error.details));
			else sendJson(res, 500, statusBody(500, 'InternalError', error instanceof Error ? error.message : String(error)));
		});
	};

	private record(method: string, path: string, status: number) {
		const { requests } = this.state;
		requests.push({ method, path, status, at: new Date() });
		if (requests.length > MAX_REQUEST_RECORDS) requests.splice(0, requests.length - MAX_REQUEST_RECORDS);
	}

	private authorized(req: IncomingMessage): boolean {
		const header = req.headers.authorization ?? '';
		const expected = Buffer.from(`Bearer ${this.state.token}`);
		const given = Buffer.from(header);
		return given.length === expected.length && timingSafeEqual(given, expected);
	}

	private async dispatch(req: IncomingMessage, res: ServerResponse, url: URL, method: string) {
		if (!this.authorized(req)) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
		if (url.pathname.startsWith('/_emulator/')) {
			return handleControl({ faults: this.state.faults, stats: this.state.stats, options: this.options }, req, res, url, method);
		}

		const hold = this.state.faults.takeHold(method, url.pathname);
		if (hold) await hold;
		const delay = this.state.faults.takeLatency(method, url.pathname);
		if (delay > 0) await sleep(delay);
		const fault = this.state.faults.takeApiError(method, url.pathname);
		if (fault) {
			const reason = REASONS[fault.status] ?? 'InternalError';
			const message = fault.message ?? `the server is currently unable to handle the request (injected ${fault.status})`;
			const headers: Record<string, string> =
				fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
			return sendJson(res, fault.status, statusBody(fault.status, reason, message), headers);
		}

		if (url.pathname.startsWith(`/apis/${METRICS_GROUP}/`)) return this.podMetrics(res, method, url);
		// A cluster without the CSI snapshot CRDs answers 404 on the whole group.
		const snapshotApi = this.options.snapshotApi !== false;
		if (!snapshotApi && (url.pathname === `/apis/${SNAPSHOT_GROUP}` || url.pathname.startsWith(`/apis/${SNAPSHOT_GROUP}/`))) {
			throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		}
		const route = parseApiPath(
			url.pathname,
			this.state.metrics.enabled ? [METRICS_GROUP] : [],
			snapshotApi ? [] : [SNAPSHOT_GROUP]
		);
		if (!route) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		if (route.kind === 'discovery') {
			if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
			return sendJson(res, 200, route.body);
		}
		if (route.kind === 'collection') {
			if (method === 'GET') return sendJson(res, 200, this.list(route.type, route.namespace, url.searchParams));
			if (method === 'POST' && (route.namespace !== undefined || !route.type.namespaced)) {
				return sendJson(res, 201, this.create(route.type, route.namespace, asObject(await readJson(req))));
			}
			if (method === 'DELETE' && (route.namespace !== undefined || !route.type.namespaced)) {
				return sendJson(res, 200, this.deleteCollection(route.type, route.namespace, url.searchParams));
			}
			throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
		}

		const { type, namespace, name, subresource } = route;
		if (subresource === 'log') {
			if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on pods/log`);
			return this.log(req, res, namespace!, name, url.searchParams);
		}
		if (subresource === 'scale') return this.scale(req, res, method, namespace!, name);
		switch (method) {
			case 'GET':
				return sendJson(res, 200, this.withStatus(type, clone(this.get(type, namespace, name))));
			case 'PUT':
				return sendJson(res, 200, this.replace(type, namespace, name, asObject(await readJson(req))));
			case 'PATCH':
				return sendJson(res, 200, this.patch(type, namespace, name, req.headers['content-type'], await readJson(req)));
			case 'DELETE':
				return sendJson(res, 200, this.delete(type, namespace, name, await readJson(req)));
			default:
				throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
		}
	}

	// -------------------------------------------------------------------------
	// CRUD
	// -------------------------------------------------------------------------

	get(type: ResourceType, namespace: string | undefined, name: string): WireObject {
		const object = this.state.store.get(type, namespace, name);
		if (!object) throw notFound(type, name);
		return object;
	}

	private list(type: ResourceType, namespace: string | undefined, query: URLSearchParams) {
		if (query.get('watch') === 'true' || query.get('watch') === '1') {
			throw new ApiError(405, 'MethodNotAllowed', 'watch is not supported by the MinisPod Kubernetes emulator; poll instead');
		}
		let labels;
		let fields;
		try {
			labels = parseLabelSelector(query.get('labelSelector'));
			fields = parseFieldSelector(query.get('fieldSelector'));
		} catch (error) {
			if (error instanceof SelectorError) throw badRequest(error.message);
			throw error;
		}
		const items = this.state.store
			.list(type, namespace)
			.filter((item) => matchesLabels(labels, item.metadata.labels) && matchesFields(fields, item))
			.map((item) => this.withStatus(type, item));
		return listBody(type, this.state.store, items);
	}

	/** What a controller keeps in an object's status and the store does not (a quota's usage). */
	private withStatus(type: ResourceType, object: WireObject): WireObject {
		return type === QUOTA ? withQuotaStatus(this.state.store, object) : object;
	}

	create(type: ResourceType, namespace: string | undefined, body: WireObject): WireObject {
		const object = clone(body);
		if (object.kind !== undefined && object.kind !== type.kind) {
			throw badRequest(`the kind of the provided object (${object.kind}) does not match the resource ${type.resource}`);
		}
		if (type.namespaced) {
			if (
				object.metadata.namespace !== undefined &&
				object.metadata.namespace !== '' &&
				object.metadata.namespace !== namespace
			) {
				throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
			}
			object.metadata.namespace = namespace;
			if (!this.state.store.get(NAMESPACE, undefined, namespace!)) {
				throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
			}
		} else delete object.metadata.namespace;
		if (!object.metadata.name && object.metadata.generateName) {
			object.metadata.name = `${object.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
		}
		if (!object.metadata.name) {
			throw new ApiError(
				422,
				'Invalid',
				`${type.kind} "" is invalid: metadata.name: Required value: name or generateName is required`
			);
		}
		object.metadata.resourceVersion = '';
		admit(object, { type });
		// Admission (quota included) runs before storage finds a twin: kubernetes/kubernetes#106842.
		this.state.admission.create(type, object);
		if (this.state.store.get(type, namespace, object.metadata.name)) throw alreadyExists(type, object.metadata.name);
		return clone(this.state.store.write(type, object));
	}

	private update(type: ResourceType, existing: WireObject, next: WireObject): WireObject {
		const name = existing.metadata.name;
		if (next.metadata.name !== undefined && next.metadata.name !== name) {
			throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
		}
		if (type.namespaced && next.metadata.namespace && next.metadata.namespace !== existing.metadata.namespace) {
			throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
		}
		const resourceVersion = next.metadata.resourceVersion;
		if (resourceVersion !== undefined && resourceVersion !== '' && resourceVersion !== existing.metadata.resourceVersion) {
			throw conflict(type, name);
		}
		const object = clone(next);
		object.metadata.name = name;
		object.metadata.namespace = existing.metadata.namespace;
		if (!type.namespaced) delete object.metadata.namespace;
		admit(object, { type, existing });
		this.state.admission.update(type, object, existing);
		// An update that changes nothing is not a write: same resourceVersion, no events.
		const comparable = (value: WireObject) =>
			canonicalJson({ ...value, metadata: { ...value.metadata, resourceVersion: undefined } });
		if (comparable(object) === comparable(existing)) return clone(existing);
		return clone(this.state.store.write(type, object));
	}

	private replace(type: ResourceType, namespace: string | undefined, name: string, body: WireObject): WireObject {
		if (body.kind !== undefined && body.kind !== type.kind) {
			throw badRequest(`the kind of the provided object (${body.kind}) does not match the resource ${type.resource}`);
		}
		return this.update(type, this.get(type, namespace, name), body);
	}

	private applyPatch(contentType: string | undefined, target: unknown, patch: unknown): unknown {
		const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
		if (mediaType.startsWith('application/apply-patch')) {
			throw new ApiError(415, 'UnsupportedMediaType', 'server-side apply is not supported by the MinisPod Kubernetes emulator');
		}
		const apply = PATCH_CONTENT_TYPES[mediaType as PatchContentType];
		if (!apply)
			throw new ApiError(
				415,
				'UnsupportedMediaType',
				`the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_CONTENT_TYPES).join(', ')}`
			);
		if (patch === undefined) throw badRequest('the patch is empty');
		try {
			return apply(clone(target) as Json, patch as Json);
		} catch (error) {
			if (error instanceof PatchError) throw new ApiError(422, 'Invalid', error.message);
			throw error;
		}
	}

	private patch(type: ResourceType, namespace: string | undefined, name: string, contentType: string | undefined, body: unknown) {
		const existing = this.get(type, namespace, name);
		const patched = asObject(this.applyPatch(contentType, existing, body), 'object after patching');
		return this.update(type, existing, patched);
	}

	private delete(type: ResourceType, namespace: string | undefined, name: string, body: unknown) {
		const existing = this.get(type, namespace, name);
		const preconditions = (body as { preconditions?: { resourceVersion?: string; uid?: string } } | undefined)?.preconditions;
		if (preconditions?.resourceVersion && preconditions.resourceVersion !== existing.metadata.resourceVersion)
			throw conflict(type, name);
		if (preconditions?.uid && preconditions.uid !== existing.metadata.uid) throw conflict(type, name);
		const { store, controller, namespaces } = this.state;
		if (type === NAMESPACE) return namespaces.terminate(name);
		// Objects with finalizers (and pods, for their grace period) stay, marked, until they
		// are done; the answer is the object with its deletionTimestamp.
		if (type === POD || type === PVC) {
			if (type === POD) controller.terminatePod(existing);
			else controller.deleteClaim(existing);
			const after = store.get(type, namespace, name);
			return clone(after ?? { ...existing, metadata: { ...existing.metadata, deletionTimestamp: new Date().toISOString() } });
		}
		store.remove(type, namespace, name);
		return {
			kind: 'Status',
			apiVersion: 'v1',
			metadata: {},
			status: 'Success',
			details: { name, ...(type.group ? { group: type.group } : {}), kind: type.resource, uid: existing.metadata.uid }
		};
	}

	private deleteCollection(type: ResourceType, namespace: string | undefined, query: URLSearchParams) {
		const body = this.list(type, namespace, query);
		for (const item of body.items) this.delete(type, namespace, item.metadata!.name, undefined);
		return body;
	}

	// -------------------------------------------------------------------------
	// metrics.k8s.io
	// -------------------------------------------------------------------------

	private podMetrics(res: ServerResponse, method: string, url: URL) {
		const { metrics } = this.state;
		if (!metrics.enabled) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
		const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent).slice(2);
		if (parts[0] !== 'v1beta1') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
		const rest = parts.slice(1);
		if (rest.length === 0) return sendJson(res, 200, metricsResourceList());
		let labels;
		try {
			labels = parseLabelSelector(url.searchParams.get('labelSelector'));
		} catch (error) {
			if (error instanceof SelectorError) throw badRequest(error.message);
			throw error;
		}
		if (rest.length === 1 && rest[0] === 'pods') return sendJson(res, 200, metrics.list(undefined, labels));
		if (rest.length === 3 && rest[0] === 'namespaces' && rest[2] === 'pods') {
			return sendJson(res, 200, metrics.list(rest[1], labels));
		}
		if (rest.length === 4 && rest[0] === 'namespaces' && rest[2] === 'pods')
			return sendJson(res, 200, metrics.get(rest[1], rest[3]));
		throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
	}

	// -------------------------------------------------------------------------
	// deployments/scale
	// -------------------------------------------------------------------------

	private scaleOf(deployment: DeploymentObject) {
		const { name, namespace, uid, resourceVersion, creationTimestamp } = deployment.metadata;
		return {
			kind: 'Scale',
			apiVersion: 'autoscaling/v1',
			metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
			spec: { replicas: deployment.spec.replicas ?? 1 },
			status: {
				replicas: Number(deployment.status?.replicas ?? 0),
				selector: formatLabelSelector(deployment.spec.selector.matchLabels)
			}
		};
	}

	private async scale(req: IncomingMessage, res: ServerResponse, method: string, namespace: string, name: string) {
		const existing = this.get(DEPLOYMENT, namespace, name) as DeploymentObject;
		if (method === 'GET') return sendJson(res, 200, this.scaleOf(existing));
		let scale: { metadata?: { resourceVersion?: string }; spec?: { replicas?: unknown } };
		if (method === 'PUT') scale = asObject(await readJson(req));
		else if (method === 'PATCH')
			scale = asObject(this.applyPatch(req.headers['content-type'], this.scaleOf(existing), await readJson(req)));
		else throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on deployments/scale`);
		const replicas = scale.spec?.replicas;
		if (!Number.isInteger(replicas) || (replicas as number) < 0) {
			throw new ApiError(
				422,
				'Invalid',
				`Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`
			);
		}
		const next = clone(existing);
		next.spec.replicas = replicas as number;
		next.metadata.resourceVersion = scale.metadata?.resourceVersion || existing.metadata.resourceVersion;
		const updated = this.update(DEPLOYMENT, existing, next) as DeploymentObject;
		sendJson(res, 200, this.scaleOf(updated));
	}

	// -------------------------------------------------------------------------
	// pods/log
	// -------------------------------------------------------------------------

	private log(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, query: URLSearchParams) {
		const pod = this.get(POD, namespace, name) as PodObject;
		const containerName = query.get('container') || pod.spec.containers[0].name;
		const statusIndex = pod.spec.containers.findIndex((container) => container.name === containerName);
		if (statusIndex < 0) throw badRequest(`container ${containerName} is not valid for pod ${name}`);
		const containerStatus = pod.status.containerStatuses?.[statusIndex];
		const podLog = this.state.controller.podLog(namespace, name);
		if (!containerStatus || !podLog)
			throw badRequest(`container "${containerName}" in pod "${name}" is waiting to start: ContainerCreating`);

		const previous = query.get('previous') === 'true';
		let run = podLog.run;
		if (previous) {
			if (containerStatus.restartCount === 0)
				throw badRequest(`previous terminated container "${containerName}" in pod "${name}" not found`);
			run = containerStatus.restartCount - 1;
		} else if (!podLog.log.hasRun(run)) {
			// Not started yet: a crashed container shows its last run, a new one has no log yet.
			const waiting = containerStatus.state.waiting;
			if (containerStatus.restartCount > 0) run = containerStatus.restartCount - 1;
			else {
				const reason = waiting?.reason ?? 'ContainerCreating';
				const why =
					reason === 'ErrImagePull'
						? 'trying and failing to pull image'
						: reason === 'ImagePullBackOff'
							? "image can't be pulled"
							: reason;
				throw badRequest(`container "${containerName}" in pod "${name}" is waiting to start: ${why}`);
			}
		}

		const number = (key: string) => {
			const value = query.get(key);
			if (value === null || value === '') return undefined;
			const parsed = Number(value);
			if (!Number.isInteger(parsed) || parsed < 0) throw badRequest(`${key}: must be a non-negative integer`);
			return parsed;
		};
		const tailLines = number('tailLines');
		const sinceSeconds = number('sinceSeconds');
		const limitBytes = number('limitBytes');
		const timestamps = query.get('timestamps') === 'true';
		const follow =
			query.get('follow') === 'true' && !previous && run === podLog.run && containerStatus.state.running !== undefined;

		const streams = this.state.openLogStreams;
		streams.add(res);
		res.on('close', () => streams.delete(res));
		res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
		let written = 0;
		let stop = () => {};
		const finish = () => {
			stop();
			if (!res.writableEnded) res.end();
		};
		const write = (line: LogLine) => {
			const text = `${timestamps ? `${line.time.toISOString()} ` : ''}${line.text}\n`;
			if (limitBytes !== undefined && written + Buffer.byteLength(text) > limitBytes) {
				res.write(Buffer.from(text).subarray(0, limitBytes - written));
				written = limitBytes;
				finish();
				return;
			}
			written += Buffer.byteLength(text);
			res.write(text);
		};
		for (const line of podLog.log.read(run, { tailLines, sinceSeconds })) {
			write(line);
			if (res.writableEnded) return;
		}
		if (!follow) return finish();
		stop = podLog.log.follow(run, write, finish);
		// The client going away closes the response: stop following.
		res.on('close', () => stop());
	}
}
