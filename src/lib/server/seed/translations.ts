// The seeded catalog's Indonesian texts (seed/indonesian.ts) as its entries' `translations`:
// each text that has an Indonesian one, looked up by its English text, so an entry whose text
// an operator has rewritten keeps that text untranslated rather than a translation of another.
import type { CategoryTexts, EnvTemplateEntry, PlanTexts, ServiceTexts, Translations } from '../db/schema';
import { INDONESIAN } from './indonesian';

const indonesian = (text: string | null | undefined): string | undefined =>
	text ? (Object.hasOwn(INDONESIAN, text) ? INDONESIAN[text] : undefined) : undefined;

/** All of a list's lines translated, or nothing (a list half in each language reads worse). */
function indonesianLines(lines: string[]): string[] | undefined {
	const translated = lines.map(indonesian);
	return lines.length > 0 && translated.every((line) => line !== undefined) ? (translated as string[]) : undefined;
}

/** The texts that have a translation; `{}` when none has. */
function inIndonesian<Texts extends object>(texts: Texts): Translations<Texts> {
	const found = Object.fromEntries(Object.entries(texts).filter(([, value]) => value !== undefined));
	return Object.keys(found).length > 0 ? { id: found as Texts } : {};
}

export const categoryTranslations = (category: { name: string; description: string | null }): Translations<CategoryTexts> =>
	inIndonesian({ name: indonesian(category.name), description: indonesian(category.description) });

export function serviceTranslations(service: {
	description: string;
	longDescription: string | null;
	firstRunSteps: string[];
	envTemplate: EnvTemplateEntry[];
}): Translations<ServiceTexts> {
	const environment = Object.fromEntries(
		service.envTemplate.flatMap((entry) => {
			const text = indonesian(entry.description);
			return text ? [[entry.name, text]] : [];
		})
	);
	return inIndonesian({
		description: indonesian(service.description),
		longDescription: indonesian(service.longDescription),
		firstRunSteps: indonesianLines(service.firstRunSteps),
		environment: Object.keys(environment).length > 0 ? environment : undefined
	});
}

export const planTranslations = (plan: { description: string | null; features: string[] }): Translations<PlanTexts> =>
	inIndonesian({ description: indonesian(plan.description), features: indonesianLines(plan.features) });
