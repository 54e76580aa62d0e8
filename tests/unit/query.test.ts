import { describe, expect, it } from 'vitest';
import { typedNumber } from '../../src/lib/query';

describe('a number input read for a procedure', () => {
	it('is NaN when empty, so the schema refuses it with its sentence instead of taking 0', () => {
		for (const empty of [null, undefined, '', '   ']) expect(typedNumber(empty), String(empty)).toBeNaN();
		expect(Number(null)).toBe(0);
	});

	it('is the number typed otherwise, 0 included', () => {
		expect(typedNumber(0)).toBe(0);
		expect(typedNumber(12)).toBe(12);
		expect(typedNumber('1.5')).toBe(1.5);
		expect(typedNumber('-1')).toBe(-1);
		expect(typedNumber('abc')).toBeNaN();
	});
});
