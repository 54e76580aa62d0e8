import { describe, expect, it } from 'vitest';
import { seedCategories, seedServices } from '../../../src/lib/server/seed/catalog';
import { INDONESIAN } from '../../../src/lib/server/seed/indonesian';

/** Every customer-facing English text of the seed: what a customer reads in the catalog and on an app's page. */
function seedTexts(): string[] {
	const texts = [
		...seedCategories.flatMap((category) => [category.name, category.description]),
		...seedServices.flatMap((service) => [
			service.description,
			service.longDescription,
			...service.firstRunSteps,
			...service.envTemplate.flatMap((entry) => (entry.description ? [entry.description] : [])),
			...service.plans.flatMap((plan) => [plan.description, ...plan.features])
		])
	];
	return [...new Set(texts)];
}

// Texts written the same in both languages. Empty so far: add one only when Indonesian really
// keeps the English text (a product's own name, say), with a word on why.
const sameInBothLanguages: string[] = [];

describe('the seed in Indonesian', () => {
	const texts = seedTexts();

	it('has a translation of every English text of the seed', () => {
		const missing = texts.filter((text) => !INDONESIAN[text]?.trim());
		expect(missing).toEqual([]);
	});

	it('translates no text the seed does not have', () => {
		const inSeed = new Set(texts);
		const unused = Object.keys(INDONESIAN).filter((text) => !inSeed.has(text));
		expect(unused).toEqual([]);
	});

	it('gives each text an Indonesian text of its own', () => {
		const untranslated = Object.entries(INDONESIAN)
			.filter(([english, indonesian]) => english === indonesian && !sameInBothLanguages.includes(english))
			.map(([english]) => english);
		expect(untranslated).toEqual([]);
	});
});
