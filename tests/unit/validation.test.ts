import { describe, expect, it } from 'vitest';
import { findControlCharacter } from '../../src/lib/server/validation';

describe('control characters in input', () => {
	it('are found in any text value, by its path', () => {
		expect(findControlCharacter({ name: 'Siti\u0000' })).toBe('name');
		expect(findControlCharacter({ filter: { q: ['ok', 'x\u001b[31m'] } })).toBe('filter.q.1');
		expect(findControlCharacter('\u0085')).toBe('input');
		expect(findControlCharacter({ name: 'two\nlines' })).toBe('name');
		const form = new FormData();
		form.set('amount', '10000');
		form.set('note', 'x\u0000');
		expect(findControlCharacter(form)).toBe('note');
	});

	it('spare line breaks and tabs in reasons and notes, and everything else', () => {
		expect(findControlCharacter({ reason: 'one\r\ntwo\tthree', note: 'a\nb' })).toBeNull();
		expect(findControlCharacter({ reason: 'x\u0000' })).toBe('reason');
		expect(findControlCharacter({ name: 'Budi Šantoso 🎉', amount: 10, when: new Date(), ok: true })).toBeNull();
		expect(findControlCharacter(undefined)).toBeNull();
	});
});
