// Rupiah amounts as people type them into a text field: "50000", "50.000" (a dot between
// thousands, the Indonesian way), "Rp 1.500.000", "50 000", "Rp 50.000,-". One reading for
// the browser and the server, so a form says what the server will take. A number input read
// "50.000" as 50; a lenient parse reads "0x2710" as 10.000 and "1e5" as 100.000.
import { m } from './paraglide/messages';
import type { Locale } from './statuses';

export type RupiahReading =
	| { amount: number; problem: null }
	| { amount: null; problem: 'empty' | 'fraction' | 'unreadable' }
	// Thousands grouped by commas ("50,000"): the figure with dots is what to write instead.
	| { amount: null; problem: 'ambiguous'; written: string };

// Digits, grouped in thousands by dots or not at all, then an optional decimal part after a
// comma: ",00" and ",-" say "no sen"; anything else is a fraction of a rupiah. A comma with three
// digits after it ("50,000", the English grouping) is neither and is refused rather than read as 50.
const WRITTEN_AMOUNT = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}|-))?$/;
// Fifty thousand in English, fifty in Indonesian: refused, with the figure written the Indonesian way.
const COMMA_GROUPED = /^\d{1,3}(?:,\d{3})+$/;

/** The whole rupiah an amount field holds, or why it holds none. */
export function readRupiah(text: string): RupiahReading {
	const written = text
		.trim()
		.replace(/^rp\.?/i, '')
		.replace(/\s/g, '');
	if (written === '') return { amount: null, problem: 'empty' };
	if (COMMA_GROUPED.test(written)) return { amount: null, problem: 'ambiguous', written: written.replaceAll(',', '.') };
	const match = WRITTEN_AMOUNT.exec(written);
	if (!match) return { amount: null, problem: 'unreadable' };
	if (match[2] && /[1-9]/.test(match[2])) return { amount: null, problem: 'fraction' };
	return { amount: Number(match[1].replaceAll('.', '')), problem: null };
}

/** Why an amount field holds no amount, in the page's language (the server's too), or null when it holds one. */
export function rupiahReadingProblem(reading: Exclude<RupiahReading, { problem: null }>, locale?: Locale): string;
export function rupiahReadingProblem(reading: RupiahReading, locale?: Locale): string | null;
export function rupiahReadingProblem(reading: RupiahReading, locale?: Locale): string | null {
	const options = { locale };
	switch (reading.problem) {
		case null:
			return null;
		case 'empty':
			return m.topup_enter_amount({}, options);
		case 'fraction':
			return m.txt17_amount_whole({}, options);
		case 'ambiguous':
			return m.txt18_amount_ambiguous({ amount: reading.written }, options);
		case 'unreadable':
			return m.txt17_amount_unreadable({}, options);
	}
}
