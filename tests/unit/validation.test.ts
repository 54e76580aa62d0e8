import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { findControlCharacter, reasonSchema } from '../../src/lib/server/validation';
import { billingProfileInput } from '../../src/lib/server/receipts/schemas';
import { customerSearchInput, resolveFlagInput } from '../../src/lib/server/wallet/schemas';
import { changeNameInput, registerInput } from '../../src/lib/server/auth/schemas';
import { extendGraceInput, extendInput, grantInput, setQuotaInput } from '../../src/lib/server/subscriptions/schemas';
import { inLocale } from '../support/locale';

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

describe('length limits', () => {
	// A limit of N accepts N characters; its message says "at most N" in both languages (it said
	// "under N" for some, while N itself is accepted).
	const limits: [string, z.ZodType, (text: string) => unknown, number][] = [
		['receipt name', billingProfileInput, (name) => ({ kind: 'PERSONAL', name, address: 'Jl. Sudirman 1' }), 200],
		['billing address', billingProfileInput, (address) => ({ kind: 'PERSONAL', name: 'Siti', address }), 500],
		['reason', reasonSchema, (reason) => reason, 500],
		['note', resolveFlagInput, (note) => ({ id: '00000000-0000-4000-8000-000000000000', note }), 500],
		['customer search', customerSearchInput, (q) => ({ q }), 100],
		['name on sign-up', registerInput, (name) => ({ name, email: 'siti@example.com', password: 'long enough' }), 100],
		['changed name', changeNameInput, (name) => ({ name }), 100]
	];

	it.each(limits)('%s: accepts the limit, and names it past the limit', async (_, schema, input, max) => {
		// parseAsync: the billing profile checks what a receipt can print (receipts/schemas.ts).
		expect((await schema.safeParseAsync(input('a'.repeat(max)))).success).toBe(true);
		for (const [locale, words] of [
			['en', 'at most'],
			['id', 'paling banyak']
		] as const) {
			// zod writes an issue's message when it is read: read it in the language.
			const message = await inLocale(
				locale,
				async () => (await schema.safeParseAsync(input('a'.repeat(max + 1)))).error?.issues[0].message
			);
			expect(message).toContain(`${words} ${max}`);
		}
	});
});

describe('whole numbers typed in a form', () => {
	// Every way a count can be wrong gets the one sentence naming the field and its range, not
	// zod's "Too small: expected number to be >=0" or "expected int, received number".
	const id = '00000000-0000-4000-8000-000000000000';
	const reason = 'Goodwill after the outage';
	const counts: [string, z.ZodType, (value: number) => unknown, number, number, string, string][] = [
		['plan slots', setQuotaInput, (totalQuota) => ({ planId: id, totalQuota }), 0, 100_000, 'slots', 'slot'],
		['days extended', extendInput, (days) => ({ id, days, reason }), 1, 366, 'days', 'hari'],
		['grace days', extendGraceInput, (days) => ({ id, days, reason }), 1, 60, 'days', 'hari'],
		['months granted', grantInput, (months) => ({ userId: id, planId: id, months }), 1, 36, 'months', 'bulan']
	];

	it.each(counts)('%s: accepts its range, and names it for anything else', async (_, schema, input, min, max, unit, satuan) => {
		expect(schema.safeParse(input(min)).success).toBe(true);
		expect(schema.safeParse(input(max)).success).toBe(true);
		for (const wrong of [min - 1, min + 0.5, max + 1, 99_999_999_999, Number.NaN]) {
			const [english, indonesian] = await Promise.all(
				(['en', 'id'] as const).map((locale) =>
					inLocale(locale, async () => schema.safeParse(input(wrong)).error?.issues.map((issue) => issue.message))
				)
			);
			expect(english).toEqual([`Enter a whole number of ${unit} from ${min} to ${max}`]);
			expect(indonesian).toEqual([`Isi jumlah ${satuan} dengan bilangan bulat dari ${min} sampai ${max}`]);
		}
	});
});
