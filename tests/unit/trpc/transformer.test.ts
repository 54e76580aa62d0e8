// tRPC's answers are written by our own walk (src/lib/server/trpc/transformer.ts) and read by
// the browser with superjson: for any value, the walk writes what superjson.serialize writes.
import { describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { isoString, serialize } from '../../../src/lib/server/trpc/transformer';
import { toTransactionView } from '../../../src/lib/server/wallet/views';

/** mulberry32: the same values on every run, so a failure can be replayed. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const KEYS = ['id', 'createdAt', 'a.b', 'back\\slash', '', '0', '12', 'name', 'x.y.z', 'amount', 'ünï'];

/** A value of the shapes procedures return, and now and then one only superjson handles. */
function valueOf(next: () => number, depth: number, made: object[]): unknown {
	const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
	const roll = next();
	if (depth <= 0 || roll < 0.35) {
		return pick<() => unknown>([
			() => 'text',
			() => 'Rp 1.000 "quoted"',
			() => Math.floor(next() * 1e9) - 5e8,
			() => next() * 100,
			() => 0,
			() => next() < 0.5,
			() => null,
			() => undefined,
			() => new Date(Date.UTC(2026, 10, 1 + Math.floor(next() * 28), 3, 4, 5, 678)),
			// What only superjson handles, rarely.
			() => (next() < 0.15 ? pick([NaN, Infinity, -Infinity, -0, 10n, new Date(NaN), /re/g, new Map([[1, 2]])]) : 'plain'),
			() => (next() < 0.15 ? pick([new Set([1]), new URL('https://minispod.id/'), new Error('boom')]) : 7)
		])();
	}
	if (made.length > 0 && roll < 0.4) return pick(made); // met twice (or a cycle)
	if (roll < 0.7) {
		const array: unknown[] = [];
		const length = Math.floor(next() * 5);
		for (let index = 0; index < length; index++) array.push(valueOf(next, depth - 1, made));
		if (next() < 0.03) array[length + 2] = 'after a hole';
		made.push(array);
		return array;
	}
	const object: Record<string, unknown> = next() < 0.1 ? Object.create(null) : {};
	made.push(object);
	const size = Math.floor(next() * 6);
	for (let index = 0; index < size; index++) object[pick(KEYS)] = valueOf(next, depth - 1, made);
	return object;
}

/**
 * What a writer makes of `value`, as the browser receives it. Compared as objects: where
 * superjson's per-level annotation objects put an integer-like key first, the order of the
 * keys in meta.values differs, which the reader does not depend on.
 */
function outcome(write: (value: never) => unknown, value: unknown) {
	try {
		return { result: JSON.parse(JSON.stringify(write(value as never))) as unknown };
	} catch (error) {
		return { error: String(error) };
	}
}

describe('the answer writer', () => {
	it('writes what superjson writes, for 5,000 generated values', () => {
		const next = random(16);
		let annotated = 0;
		for (let run = 0; run < 5000; run++) {
			const value = valueOf(next, 4, []);
			const ours = outcome(serialize, value);
			expect(ours, `value ${run}`).toStrictEqual(outcome(superjson.serialize, value));
			if (ours.result && typeof ours.result === 'object' && 'meta' in ours.result) annotated++;
		}
		// The generated values do exercise the annotations (Dates, undefined, fallbacks).
		expect(annotated).toBeGreaterThan(1000);
	});

	it('writes Dates and undefined as annotated paths with escaped keys', () => {
		const at = new Date('2026-11-26T01:02:03.004Z');
		expect(serialize({ items: [{ createdAt: at, 'a.b': undefined }], total: 1 })).toEqual({
			json: { items: [{ createdAt: '2026-11-26T01:02:03.004Z', 'a.b': null }], total: 1 },
			meta: { values: { 'items.0.createdAt': ['Date'], 'items.0.a\\.b': ['undefined'] }, v: 1 }
		});
		expect(serialize({ count: 2, names: ['a', 'b'] })).toEqual({ json: { count: 2, names: ['a', 'b'] } });
	});

	it('writes every Date as toISOString writes it', () => {
		const next = random(7);
		const dates = [
			0,
			-1,
			1,
			Date.UTC(999, 11, 31, 23, 59, 59, 999),
			Date.UTC(1000, 0, 1),
			Date.UTC(9999, 11, 31, 23, 59, 59, 999)
		];
		dates.push(Date.UTC(10000, 0, 1), -62198755200000, 8.64e15, -8.64e15);
		for (let index = 0; index < 2000; index++) dates.push(Math.floor((next() - 0.3) * 4e12));
		for (const time of dates) expect(isoString(new Date(time)), String(time)).toBe(new Date(time).toISOString());
	});

	it('copies only what it writes differently, and never changes the value it is given', () => {
		const at = new Date('2026-11-26T01:02:03.004Z');
		const plainPart = { name: 'n8n', tags: ['a', 'b'] };
		const value = { plainPart, items: [{ createdAt: at, note: 'x' }, { createdAt: null }], gap: [undefined] };
		const before = structuredClone(value);
		const written = serialize(value) as { json: typeof value };
		expect(value).toStrictEqual(before);
		expect(value.items[0].createdAt).toBe(at);
		// Nothing in it is written differently: the same object.
		expect(written.json.plainPart).toBe(plainPart);
		expect(written.json.items[1]).toBe(value.items[1]);
		expect(written.json.items[0]).not.toBe(value.items[0]);
		expect(outcome(serialize, value)).toStrictEqual(outcome(superjson.serialize, value));
	});

	it('hands values it does not walk to superjson', () => {
		const shared = new Date('2026-01-01T00:00:00Z');
		const value = { createdAt: shared, updatedAt: shared, size: 10n };
		expect(serialize(value)).toEqual(superjson.serialize(value));
		expect(superjson.deserialize(serialize(value))).toEqual(value);
		expect(() => serialize(JSON.parse('{"__proto__": {"admin": true}}'))).toThrow(/prototype pollution/);
	});

	it('round-trips a page of the wallet history through the browser reader', () => {
		const at = new Date('2026-11-26T03:00:00Z');
		const row = {
			id: '5d1b8f7a-6d0e-4a4b-9a57-0d3c2f1e9b10',
			userId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
			type: 'TOP_UP',
			status: 'COMPLETED',
			amount: 50_000,
			balanceBefore: 0,
			balanceAfter: 50_000,
			description: 'Top up',
			referenceId: null,
			paymentMethod: 'bank_transfer',
			metadata: { orderId: 'TOPUP-1', note: undefined },
			createdAt: at,
			updatedAt: new Date(at.getTime() + 1000)
		} as unknown as Parameters<typeof toTransactionView>[0];
		const page = { items: [toTransactionView(row)], total: 1, page: 1, pageSize: 20, pageCount: 1 };
		expect(serialize(page)).toEqual(superjson.serialize(page));
		expect(superjson.deserialize(serialize(page))).toEqual(page);
	});
});
