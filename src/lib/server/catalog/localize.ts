// A catalog entry's texts in the language a customer reads: its own columns are English, the
// catalog's base language, and `translations` holds the other languages' texts
// (db/schema/catalog.ts). A text with no translation, or an empty one, is shown in English,
// so an operator who writes only English still has a whole catalog in both languages.
import type { Locale } from '$lib/statuses';
import type { Translations } from '../db/schema';

/** The texts of an entry in a language: each translated field where it has one, else its own. */
export function localized<Texts extends Record<string, unknown>>(
	base: Texts,
	translations: Translations<Partial<Texts>> | null | undefined,
	locale: Locale
): Texts {
	if (locale === 'en' || !translations) return base;
	const texts = translations[locale];
	if (!texts) return base;
	const result = { ...base };
	for (const key of Object.keys(base) as (keyof Texts)[]) {
		const text = texts[key];
		if (typeof text === 'string' ? text.trim() !== '' : Array.isArray(text) ? text.length > 0 : text != null) {
			result[key] = text as Texts[keyof Texts];
		}
	}
	return result;
}
