// The three patch formats the API server accepts for built-in types: JSON Patch (RFC 6902,
// client-node's default), JSON Merge Patch (RFC 7386) and strategic merge patch, where
// lists of named things (containers, env, volumes, ...) merge by their key instead of
// being replaced.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export class PatchError extends Error {}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

// Stored objects are plain JSON: a JSON round trip copies them several times faster than
// structuredClone.
export const clone = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/** Stable JSON: object keys sorted, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner) =>
		inner && typeof inner === 'object' && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner
	);
}

// ---------------------------------------------------------------------------
// JSON Merge Patch
// ---------------------------------------------------------------------------

export function applyMergePatch(target: Json, patch: Json): Json {
	if (!isObject(patch)) return clone(patch);
	const result: JsonObject = isObject(target) ? { ...target } : {};
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete result[key];
		else result[key] = applyMergePatch(result[key] ?? null, value);
	}
	return result;
}

// ---------------------------------------------------------------------------
// Strategic merge patch
// ---------------------------------------------------------------------------

/** Merge keys of the lists MinisPod's objects contain (from the Kubernetes API types). */
const MERGE_KEYS: Record<string, string | ((item: JsonObject) => string)> = {
	containers: 'name',
	initContainers: 'name',
	ephemeralContainers: 'name',
	env: 'name',
	volumes: 'name',
	volumeMounts: 'mountPath',
	imagePullSecrets: 'name',
	conditions: 'type',
	ownerReferences: 'uid',
	hostAliases: 'ip',
	// Container ports merge by containerPort, Service ports by port.
	ports: (item) => ('containerPort' in item ? 'containerPort' : 'port')
};

function mergeKeyFor(field: string, items: Json[]): string | undefined {
	const key = MERGE_KEYS[field];
	if (!key) return undefined;
	if (typeof key === 'string') return key;
	const sample = items.find(isObject);
	return sample ? key(sample) : undefined;
}

function strategicMergeList(field: string, target: Json[], patch: Json[]): Json[] {
	const key = mergeKeyFor(field, [...patch, ...target]);
	if (!key || !patch.every(isObject)) return clone(patch).filter((item) => !(isObject(item) && item.$patch));
	const result = target.map((item) => clone(item));
	for (const item of patch as JsonObject[]) {
		if (item.$patch === 'replace') return clone(patch).filter((entry) => !(isObject(entry) && entry.$patch));
		const index = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
		if (item.$patch === 'delete') {
			if (index >= 0) result.splice(index, 1);
			continue;
		}
		if (index >= 0) result[index] = strategicMerge(result[index], item);
		else result.push(strategicMerge({}, item));
	}
	return result;
}

export function applyStrategicMergePatch(target: Json, patch: Json): Json {
	return strategicMerge(target, patch);
}

function strategicMerge(target: Json, patch: Json): Json {
	if (!isObject(patch)) return clone(patch);
	if (patch.$patch === 'delete') return null;
	if (patch.$patch === 'replace') {
		const replaced = clone(patch);
		delete replaced.$patch;
		return replaced;
	}
	const result: JsonObject = isObject(target) ? { ...target } : {};
	for (const [field, value] of Object.entries(patch)) {
		// Directives such as $setElementOrder and $retainKeys only order or prune; the merge
		// result is what matters here.
		if (field.startsWith('$')) continue;
		if (value === null) {
			delete result[field];
		} else if (Array.isArray(value)) {
			const existing = result[field];
			result[field] = strategicMergeList(field, Array.isArray(existing) ? existing : [], value);
		} else if (isObject(value)) {
			const merged = strategicMerge(result[field] ?? null, value);
			if (merged === null) delete result[field];
			else result[field] = merged;
		} else {
			result[field] = value;
		}
	}
	return result;
}

// ---------------------------------------------------------------------------
// JSON Patch
// ---------------------------------------------------------------------------

type Operation = { op: string; path: string; value?: Json; from?: string };

function parsePointer(pointer: string): string[] {
	if (pointer === '') return [];
	if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
	return pointer
		.slice(1)
		.split('/')
		.map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(document: Json, tokens: string[]): { parent: JsonObject | Json[]; key: string } {
	let node: Json = document;
	for (const token of tokens.slice(0, -1)) {
		if (Array.isArray(node)) node = node[Number(token)];
		else if (isObject(node)) node = node[token];
		else node = undefined as unknown as Json;
		if (node === undefined || node === null || typeof node !== 'object') {
			throw new PatchError(`path ${JSON.stringify('/' + tokens.join('/'))} does not exist`);
		}
	}
	return { parent: node as JsonObject | Json[], key: tokens.at(-1)! };
}

function getAt(document: Json, pointer: string): Json {
	const tokens = parsePointer(pointer);
	if (tokens.length === 0) return document;
	const { parent, key } = parentOf(document, tokens);
	const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
	if (value === undefined) throw new PatchError(`path ${JSON.stringify(pointer)} does not exist`);
	return value;
}

function removeAt(document: Json, pointer: string): Json {
	const tokens = parsePointer(pointer);
	const { parent, key } = parentOf(document, tokens);
	if (Array.isArray(parent)) {
		const index = Number(key);
		if (!Number.isInteger(index) || index < 0 || index >= parent.length) {
			throw new PatchError(`path ${JSON.stringify(pointer)} does not exist`);
		}
		return parent.splice(index, 1)[0];
	}
	if (!(key in parent)) throw new PatchError(`path ${JSON.stringify(pointer)} does not exist`);
	const value = parent[key];
	delete parent[key];
	return value;
}

function addAt(document: Json, pointer: string, value: Json, replace: boolean): Json {
	const tokens = parsePointer(pointer);
	if (tokens.length === 0) return clone(value);
	const { parent, key } = parentOf(document, tokens);
	if (Array.isArray(parent)) {
		const index = key === '-' ? parent.length : Number(key);
		if (!Number.isInteger(index) || index < 0 || index > parent.length || (replace && index >= parent.length)) {
			throw new PatchError(`path ${JSON.stringify(pointer)} is out of range`);
		}
		if (replace) parent[index] = clone(value);
		else parent.splice(index, 0, clone(value));
	} else {
		if (replace && !(key in parent)) throw new PatchError(`path ${JSON.stringify(pointer)} does not exist`);
		parent[key] = clone(value);
	}
	return document;
}

export function applyJsonPatch(target: Json, operations: Json): Json {
	if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations');
	let document = clone(target);
	for (const raw of operations) {
		if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
			throw new PatchError('each JSON patch operation needs an op and a path');
		}
		const operation = raw as unknown as Operation;
		switch (operation.op) {
			case 'add':
				document = addAt(document, operation.path, operation.value ?? null, false);
				break;
			case 'replace':
				document = addAt(document, operation.path, operation.value ?? null, true);
				break;
			case 'remove':
				removeAt(document, operation.path);
				break;
			case 'move': {
				const value = removeAt(document, operation.from ?? '');
				document = addAt(document, operation.path, value, false);
				break;
			}
			case 'copy':
				document = addAt(document, operation.path, getAt(document, operation.from ?? ''), false);
				break;
			case 'test':
				if (JSON.stringify(getAt(document, operation.path)) !== JSON.stringify(operation.value)) {
					throw new PatchError(`test failed at ${operation.path}`);
				}
				break;
			default:
				throw new PatchError(`unknown JSON patch operation ${JSON.stringify(operation.op)}`);
		}
	}
	return document;
}

export const PATCH_CONTENT_TYPES = {
	'application/json-patch+json': applyJsonPatch,
	'application/merge-patch+json': applyMergePatch,
	'application/strategic-merge-patch+json': applyStrategicMergePatch
} as const;

export type PatchContentType = keyof typeof PATCH_CONTENT_TYPES;
