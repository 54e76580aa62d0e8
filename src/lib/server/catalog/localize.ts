// A catalog entry's texts in the language a customer reads: its own columns are English, the
// catalog's base language, and `translations` holds the other languages' texts
// (db/schema/catalog.ts). A text with no translation, or an empty one, is shown in English,
// so an operator who writes only English still has a whole catalog in both languages.
import type { Locale } from '$lib/statuses';
import type { CategoryTexts, PlanTexts, ServiceTexts, Translations } from '../db/schema';

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

type Translated<Texts> = { translations?: Translations<Texts> | null };

/** A category's name and description in a language. */
export const categoryTexts = (
	category: { name: string; description: string | null } & Translated<CategoryTexts>,
	locale: Locale
): { name: string; description: string | null } =>
	localized({ name: category.name, description: category.description }, category.translations, locale);

/** A service's descriptions and first-run steps in a language. */
export const serviceTexts = (
	service: { description: string; longDescription: string | null; firstRunSteps: string[] } & Translated<ServiceTexts>,
	locale: Locale
): { description: string; longDescription: string | null; firstRunSteps: string[] } =>
	localized(
		{ description: service.description, longDescription: service.longDescription, firstRunSteps: service.firstRunSteps },
		service.translations,
		locale
	);

/** The description of one of a service's environment variables in a language. */
export function environmentText(
	service: Translated<ServiceTexts>,
	entry: { name: string; description?: string | null },
	locale: Locale
): string | null {
	const translated = locale === 'en' ? undefined : service.translations?.[locale]?.environment?.[entry.name];
	return translated?.trim() ? translated : (entry.description ?? null);
}

/** A plan's description and marketing lines in a language. */
export const planTexts = (
	plan: { description: string | null; features: string[] } & Translated<PlanTexts>,
	locale: Locale
): { description: string | null; features: string[] } =>
	localized({ description: plan.description, features: plan.features }, plan.translations, locale);
