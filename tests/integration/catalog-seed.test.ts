// The seed on an installation that already has a catalog: it adds the seeded apps, plans and
// categories it has not offered before (a MinisPod upgrade bringing new apps), leaves every
// existing row as the operator left it, deletes nothing, and does not bring back what the
// operator deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { catalogSeedEntries, servicePlans, services } from '../../src/lib/server/db/schema';
import { seedCatalog } from '../../src/lib/server/seed';
import { seedServices } from '../../src/lib/server/seed/catalog';
import { startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf } from '../support/fixtures';

const migration = new URL('../../drizzle/0019_seed-offered-before-0015.sql', import.meta.url);

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

const serviceBySlug = async (slug: string) => (await runtime.db.select().from(services).where(eq(services.slug, slug)))[0];
const countRows = async () => ({
	services: (await runtime.db.select({ id: services.id }).from(services)).length,
	plans: (await runtime.db.select({ id: servicePlans.id }).from(servicePlans)).length
});
const seededPlans = seedServices.reduce((total, service) => total + service.plans.length, 0);

describe('seeding the catalog', () => {
	it('fills an empty catalog, then finds nothing to add', async () => {
		const first = await seedCatalog(runtime.db);
		expect(first).toMatchObject({ services: seedServices.length, plans: seededPlans });
		expect(first.categories).toBeGreaterThan(0);
		expect(await countRows()).toEqual({ services: seedServices.length, plans: seededPlans });
		expect(await seedCatalog(runtime.db)).toEqual({ categories: 0, services: 0, plans: 0 });
	});

	it('adds an app new to the seed to an existing catalog, keeping the operator’s edits and deletions', async () => {
		const [added, deleted, edited] = seedServices.slice(-3).map((service) => service.slug);
		// An older MinisPod did not have `added` yet: neither the row nor the record of offering it.
		await runtime.db.delete(services).where(eq(services.slug, added));
		await runtime.db.delete(catalogSeedEntries).where(like(catalogSeedEntries.key, `%:${added}%`));
		// The operator deleted one seeded app and edited another's name, visibility and a price.
		await runtime.db.delete(services).where(eq(services.slug, deleted));
		await runtime.db.update(services).set({ name: 'Renamed by the operator', isPublic: false }).where(eq(services.slug, edited));
		const editedPlan = await planOf(runtime.db, edited, 'BASIC');
		await runtime.db.update(servicePlans).set({ monthlyPrice: 12_345, totalQuota: 3 }).where(eq(servicePlans.id, editedPlan.id));
		const before = await countRows();

		const result = await seedCatalog(runtime.db);
		const addedSeed = seedServices.find((service) => service.slug === added)!;
		expect(result).toEqual({ categories: 0, services: 1, plans: addedSeed.plans.length });
		expect(await countRows()).toEqual({ services: before.services + 1, plans: before.plans + addedSeed.plans.length });
		expect((await serviceBySlug(added))?.dockerImage).toBe(addedSeed.dockerImage);
		expect(await serviceBySlug(deleted)).toBeUndefined();
		expect(await serviceBySlug(edited)).toMatchObject({ name: 'Renamed by the operator', isPublic: false });
		expect(await planOf(runtime.db, edited, 'BASIC')).toMatchObject({ monthlyPrice: 12_345, totalQuota: 3 });

		expect(await seedCatalog(runtime.db)).toEqual({ categories: 0, services: 0, plans: 0 });
	});

	it('adds a tier new to the seed to an app that exists, leaving its other plans alone', async () => {
		const slug = seedServices[0].slug;
		const service = await serviceBySlug(slug);
		const premium = await planOf(runtime.db, slug, 'PREMIUM');
		await runtime.db
			.delete(servicePlans)
			.where(and(eq(servicePlans.serviceId, service.id), eq(servicePlans.planType, 'PREMIUM')));
		await runtime.db.delete(catalogSeedEntries).where(eq(catalogSeedEntries.key, `plan:${slug}:PREMIUM`));
		const free = await planOf(runtime.db, slug, 'FREE');

		expect(await seedCatalog(runtime.db)).toEqual({ categories: 0, services: 0, plans: 1 });
		expect(await planOf(runtime.db, slug, 'PREMIUM')).toMatchObject({ monthlyPrice: premium.monthlyPrice });
		expect(await planOf(runtime.db, slug, 'FREE')).toEqual(free);
	});

	it('on an installation upgraded from before the seed kept a record (migration 0019), brings back nothing the operator deleted', async () => {
		// The installation as it was before 0015: no record of what its seed offered, an app
		// the operator deleted (gitea, in the seed since the start), an app the seed did not
		// have yet (wordpress, added with 0016) and the operator's words on another.
		await runtime.db.delete(catalogSeedEntries);
		await runtime.db.delete(services).where(inArray(services.slug, ['gitea', 'wordpress']));
		const edited = seedServices[1].slug;
		await runtime.db.update(services).set({ description: 'The operator’s words' }).where(eq(services.slug, edited));
		const before = await countRows();

		await runtime.db.execute(sql.raw(readFileSync(migration, 'utf8')));
		const result = await seedCatalog(runtime.db);

		expect(result.services).toBe(1);
		expect(await serviceBySlug('wordpress')).toBeDefined();
		expect(await serviceBySlug('gitea')).toBeUndefined();
		expect((await countRows()).services).toBe(before.services + 1);
		expect((await serviceBySlug(edited)).description).toBe('The operator’s words');
		expect(await seedCatalog(runtime.db)).toEqual({ categories: 0, services: 0, plans: 0 });
	});

	it('records nothing on a new installation or one that has a record (migration 0019)', async () => {
		const recorded = (await runtime.db.select().from(catalogSeedEntries)).length;
		await runtime.db.execute(sql.raw(readFileSync(migration, 'utf8')));
		expect((await runtime.db.select().from(catalogSeedEntries)).length).toBe(recorded);

		const empty = await startTestRuntime({ catalog: false });
		try {
			await empty.db.execute(sql.raw(readFileSync(migration, 'utf8')));
			expect(await empty.db.select().from(catalogSeedEntries)).toEqual([]);
		} finally {
			await empty.close();
		}
	});
});
