// The catalog in the customer's language: its entries' own texts are English and their
// `translations` hold the Indonesian ones (catalog/localize.ts); the seed puts its Indonesian
// texts in (seed/indonesian.ts), once on an installation seeded before it had them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { catalogSeedEntries, serviceCategories, servicePlans, services } from '../../src/lib/server/db/schema';
import { publish } from '../../src/lib/server/events';
import { seedCatalog } from '../../src/lib/server/seed';
import { seedCategories, seedServices } from '../../src/lib/server/seed/catalog';
import { INDONESIAN } from '../../src/lib/server/seed/indonesian';
import { newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { inLocale } from '../support/locale';
import { planOf } from '../support/fixtures';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

const n8n = seedServices.find((service) => service.slug === 'n8n')!;
const automation = seedCategories.find((category) => category.slug === 'automation')!;
const inIndonesian = (text: string) => {
	expect(INDONESIAN[text], `an Indonesian text for "${text}"`).toBeTruthy();
	return INDONESIAN[text];
};
/** The catalog changed behind the editor's back: what the editor would tell every process. */
const catalogChanged = () => publish(runtime.db, { type: 'catalog' });

describe('the catalog in two languages', () => {
	it('reads in Indonesian to a customer reading Indonesian, and in English to one reading English', async () => {
		const { api } = await newCustomer(runtime);
		const [cardsId, categoriesId, detailId] = await inLocale('id', () =>
			Promise.all([api.catalog.services(), api.catalog.categories(), api.catalog.service({ slug: 'n8n' })])
		);
		const [cardsEn, detailEn] = await inLocale('en', () =>
			Promise.all([api.catalog.services(), api.catalog.service({ slug: 'n8n' })])
		);

		const cardId = cardsId.find((card) => card.slug === 'n8n')!;
		expect(cardId.description).toBe(inIndonesian(n8n.description));
		expect(cardId.category.name).toBe(inIndonesian(automation.name));
		expect(categoriesId.find((category) => category.slug === 'automation')).toMatchObject({
			name: inIndonesian(automation.name),
			description: inIndonesian(automation.description)
		});
		expect(cardsEn.find((card) => card.slug === 'n8n')).toMatchObject({
			description: n8n.description,
			category: { name: automation.name }
		});

		expect(detailId).toMatchObject({
			description: inIndonesian(n8n.description),
			longDescription: inIndonesian(n8n.longDescription)
		});
		expect(detailEn).toMatchObject({ description: n8n.description, longDescription: n8n.longDescription });
		const described = n8n.envTemplate.find((entry) => entry.description)!;
		expect(detailId.environment.find((entry) => entry.name === described.name)?.description).toBe(
			inIndonesian(described.description!)
		);

		// A plan's description, its marketing lines and the lines MinisPod writes from its fields.
		const basic = n8n.plans.find((plan) => plan.planType === 'BASIC')!;
		const planId = detailId.plans.find((plan) => plan.planType === 'BASIC')!;
		const planEn = detailEn.plans.find((plan) => plan.planType === 'BASIC')!;
		expect(planId.name).toBe(planEn.name);
		expect(planId.description).toBe(inIndonesian(basic.description));
		expect(planId.features).toEqual([
			`Cadangan harian (${basic.backupRetention} terakhir disimpan)`,
			...basic.features.map(inIndonesian)
		]);
		expect(planEn.features).toEqual([`Daily backups (last ${basic.backupRetention} kept)`, ...basic.features]);
	});

	it('shows the English text where a text has no translation or an empty one', async () => {
		const { api } = await newCustomer(runtime);
		const [service] = await runtime.db.select().from(services).where(eq(services.slug, 'n8n'));
		const plan = await planOf(runtime.db, 'n8n', 'PRO');
		try {
			await runtime.db
				.update(services)
				.set({ translations: { id: { description: ' ', longDescription: 'Hanya yang panjang.' } } })
				.where(eq(services.id, service.id));
			await runtime.db
				.update(servicePlans)
				.set({ translations: { id: { features: [] } } })
				.where(eq(servicePlans.id, plan.id));
			await catalogChanged();
			const [cards, detail] = await inLocale('id', () =>
				Promise.all([api.catalog.services(), api.catalog.service({ slug: 'n8n' })])
			);
			expect(cards.find((card) => card.slug === 'n8n')?.description).toBe(service.description);
			expect(detail).toMatchObject({ description: service.description, longDescription: 'Hanya yang panjang.' });
			expect(detail.plans.find((p) => p.planType === 'PRO')).toMatchObject({
				description: plan.description,
				features: expect.arrayContaining(plan.features)
			});
		} finally {
			await runtime.db.update(services).set({ translations: service.translations }).where(eq(services.id, service.id));
			await runtime.db.update(servicePlans).set({ translations: plan.translations }).where(eq(servicePlans.id, plan.id));
			await catalogChanged();
		}
	});

	it('finds an app by words of its Indonesian description', async () => {
		const { api } = await newCustomer(runtime);
		// The longest word of n8n's Indonesian description that its English texts do not have.
		const english =
			`${n8n.description} ${n8n.longDescription} ${n8n.name} ${n8n.tags.join(' ')} ${automation.name}`.toLowerCase();
		const word = inIndonesian(n8n.description)
			.split(/[^\p{L}\d]+/u)
			.filter((w) => w.length > 4 && !english.includes(w.toLowerCase()))
			.sort((a, b) => b.length - a.length)[0];
		expect(word).toBeTruthy();
		for (const locale of ['id', 'en'] as const) {
			const found = await inLocale(locale, () => api.catalog.services({ q: word }));
			expect(found.map((card) => card.slug)).toContain('n8n');
		}
	});
});

describe('the seed', () => {
	it('gives an installation seeded before translations its Indonesian texts once, leaving a text the operator rewrote in English', async () => {
		const gitea = seedServices.find((service) => service.slug === 'gitea')!;
		// The catalog as a MinisPod before translations left it, with one description rewritten.
		for (const table of [serviceCategories, services, servicePlans]) await runtime.db.update(table).set({ translations: {} });
		await runtime.db.delete(catalogSeedEntries).where(eq(catalogSeedEntries.key, 'translations:id'));
		await runtime.db.update(services).set({ description: 'The operator’s words' }).where(eq(services.slug, 'gitea'));

		expect(await seedCatalog(runtime.db)).toEqual({ categories: 0, services: 0, plans: 0 });
		const [row] = await runtime.db.select().from(services).where(eq(services.slug, 'gitea'));
		expect(row.translations.id?.description).toBeUndefined();
		expect(row.translations.id?.longDescription).toBe(inIndonesian(gitea.longDescription));
		const [category] = await runtime.db.select().from(serviceCategories).where(eq(serviceCategories.slug, 'automation'));
		expect(category.translations.id?.name).toBe(inIndonesian(automation.name));
		const untranslatedPlans = await runtime.db
			.select({ id: servicePlans.id })
			.from(servicePlans)
			.where(sql`translations = '{}'::jsonb`);
		expect(untranslatedPlans).toEqual([]);

		// Offered once: translations an operator cleared afterwards stay cleared.
		await runtime.db.update(services).set({ translations: {} }).where(eq(services.slug, 'n8n'));
		await seedCatalog(runtime.db);
		const [cleared] = await runtime.db.select().from(services).where(eq(services.slug, 'n8n'));
		expect(cleared.translations).toEqual({});
	});
});
