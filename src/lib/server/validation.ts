// Input pieces every domain's zod schemas share, so the same field is checked the same way
// (and answered with the same sentence) wherever it appears.
import { z } from 'zod';
import { readRupiah, rupiahReadingProblem } from '$lib/amount';
import { AMOUNT_SANITY_MAX } from '$lib/money';
import { m } from '$lib/paraglide/messages';
import { says, sentenceLocale } from './sentences';

export const idSchema = z.uuid(says(m.srv_id_invalid));

/**
 * A whole number from `min` to `max` typed in a form, told with one sentence that names the
 * field and its range whichever way it is wrong (empty, a fraction, too small, too large).
 */
export const wholeNumberSchema = (min: number, max: number, sentence: { error: () => string }) =>
	z.number(sentence).int(sentence).min(min, sentence).max(max, sentence);

/** Why an administrator did something: recorded in the audit log and often shown to the customer. */
export const reasonSchema = z.string().trim().min(5, says(m.srv_reason_min)).max(500, says(m.srv_reason_max));

/**
 * Whole rupiah typed as text (a multipart form field), read as the form reads it: digits,
 * optionally grouped by dots ("50.000", "Rp 1.500.000"), never a lenient number parse (which
 * reads "0x2710" as 10.000 and "1e5" as 100.000).
 */
export const rupiahTextSchema = z.string(says(m.srv_amount_required)).transform((text, context) => {
	const reading = readRupiah(text);
	if (reading.problem === null) return reading.amount;
	context.addIssue({ code: 'custom', message: rupiahReadingProblem(reading, sentenceLocale()) });
	return z.NEVER;
});

/** Whole rupiah, positive, below any sane bound. */
export const rupiahSchema = z
	.number(says(m.srv_amount_required))
	.int(says(m.srv_amount_whole))
	.max(AMOUNT_SANITY_MAX, says(m.srv_amount_too_large));

/** Fields written in lines (an administrator's reason, a note): line breaks and tabs are text there. */
const MULTILINE_FIELDS = new Set(['reason', 'note', 'address']);
// Unicode's control characters (C0, DEL, C1); the second form spares tab, CR and LF.
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINES = /[^\P{Cc}\t\n\r]/u;

/**
 * The path of the first text value holding a control character (a NUL byte, an escape, a
 * line break outside multi-line fields), or null. Walks objects, arrays and multipart forms,
 * so every procedure's input is checked in one place (trpc/init.ts) before any schema or
 * query sees it.
 */
export function findControlCharacter(value: unknown, path: string[] = []): string | null {
	if (path.length > 12) return null;
	if (typeof value === 'string') {
		const pattern = MULTILINE_FIELDS.has(path.at(-1) ?? '') ? CONTROL_BUT_LINES : CONTROL;
		return pattern.test(value) ? path.join('.') || 'input' : null;
	}
	const entries: [string, unknown][] =
		value instanceof FormData
			? [...value.entries()]
			: Array.isArray(value)
				? value.map((item, index) => [String(index), item])
				: value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
					? Object.entries(value)
					: [];
	for (const [key, item] of entries) {
		const found = findControlCharacter(item, [...path, key]);
		if (found) return found;
	}
	return null;
}
