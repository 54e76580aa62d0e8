// What tRPC answers with: superjson's wire format, written by a walk that handles the shapes
// procedures return (plain objects, arrays, strings, finite numbers, booleans, null, valid
// Dates, undefined) in one pass, and hands anything else (a Map, a BigInt, NaN, an object
// met twice, …) to superjson itself. superjson's own walk copies the path array at every
// node and was 15% of a wallet.transactions request (issue 16). The browser still reads
// answers with superjson.deserialize, and tests/unit/trpc/transformer.test.ts holds the two
// writers to the same output.
// Format: https://github.com/flightcontrolhq/superjson#readme (serialize's { json, meta }).
import superjson from 'superjson';
import type { SuperJSONResult, SuperJSONValue } from 'superjson';

type Annotation = ['Date'] | ['undefined'];

/** Raised inside the walk when a value needs superjson's own handling. */
class NeedsSuperjson extends Error {}
const needsSuperjson = new NeedsSuperjson();

/** superjson's escaping of one path segment (pathstringifier.escapeKey). */
const escapeKey = (key: string) =>
	key.includes('.') || key.includes('\\') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key;

type Walk = { values: Record<string, Annotation> | null; seen: Set<object> };

function annotate(walk: Walk, path: string, annotation: Annotation) {
	(walk.values ??= {})[path] = annotation;
}

/** `path` is the dotted path of `value` below the root, null for the root itself. */
function plain(value: unknown, path: string | null, walk: Walk): unknown {
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return value;
		case 'number':
			// NaN, ±Infinity and -0 carry superjson annotations of their own.
			if (Number.isFinite(value) && !Object.is(value, -0)) return value;
			throw needsSuperjson;
		case 'undefined':
			if (path === null) throw needsSuperjson;
			annotate(walk, path, ['undefined']);
			return null;
		case 'object': {
			if (value === null) return null;
			// An object met twice is a referential equality superjson records.
			if (walk.seen.has(value)) throw needsSuperjson;
			walk.seen.add(value);
			if (value instanceof Date) {
				if (path === null || Number.isNaN(value.getTime())) throw needsSuperjson;
				annotate(walk, path, ['Date']);
				return value.toISOString();
			}
			const prefix = path === null ? '' : path + '.';
			if (Array.isArray(value)) {
				const out: unknown[] = new Array(value.length);
				for (let index = 0; index < value.length; index++) {
					// A hole stays a hole in superjson's copy.
					if (!(index in value)) throw needsSuperjson;
					out[index] = plain(value[index], prefix + index, walk);
				}
				return out;
			}
			const prototype = Object.getPrototypeOf(value);
			if (prototype !== Object.prototype && prototype !== null) throw needsSuperjson;
			const out: Record<string, unknown> = {};
			for (const key of Object.keys(value)) {
				// superjson refuses these (prototype pollution); let it say so.
				if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw needsSuperjson;
				out[key] = plain((value as Record<string, unknown>)[key], prefix + escapeKey(key), walk);
			}
			return out;
		}
		default:
			// bigint, symbol, function
			throw needsSuperjson;
	}
}

/** superjson.serialize's result for `value`, the same object superjson would write. */
export function serialize(value: unknown): SuperJSONResult {
	const walk: Walk = { values: null, seen: new Set() };
	let json: unknown;
	try {
		json = plain(value, null, walk);
	} catch (error) {
		if (error === needsSuperjson) return superjson.serialize(value as SuperJSONValue);
		throw error;
	}
	return (walk.values ? { json, meta: { values: walk.values, v: 1 } } : { json }) as SuperJSONResult;
}

/** The transformer tRPC is initialised with: superjson, with the faster writer for answers. */
export const transformer = {
	input: superjson,
	output: { serialize, deserialize: superjson.deserialize }
};
