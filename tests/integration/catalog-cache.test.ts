// The catalog cached in the web process (catalog/cache.ts): served from memory, and dropped
// when a change commits, whichever process or connection made it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { closeDb, createDb, type Db } from '../../src/lib/server/db/client';
import { servicePlans, services } from '../../src/lib/server/db/schema';
import { cachedServices, catalogCache } from '../../src/lib/server/catalog/cache';
import { takeSlot } from '../../src/lib/server/subscriptions/quota';
import { newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { nextEvent } from '../support/waits';

let runtime: TestRuntime;
/** A pool of its own: what another MinisPod process would use. */
let other: Db;
beforeAll(async () => {
	runtime = await startTestRuntime();
	// The test database is always given by URL (tests/support/runtime.ts).
	other = createDb(runtime.config.databaseUrl!, { max: 2 });
});
afterAll(async () => {
	if (other) await closeDb(other);
	await runtime?.close();
});

const slotsOf = async (slug: string) => (await cachedServices(runtime)).find((service) => service.slug === slug)!.availableSlots;

async function planOf(slug: string, planType: 'BASIC' | 'PRO') {
	const [row] = await runtime.db
		.select({ id: servicePlans.id })
		.from(servicePlans)
		.innerJoin(services, eq(services.id, servicePlans.serviceId))
		.where(and(eq(services.slug, slug), eq(servicePlans.planType, planType)));
	return row.id;
}

describe('the catalog cache', () => {
	it('serves the listing from memory until the catalog changes', async () => {
		const cache = catalogCache(runtime);
		await cachedServices(runtime);
		const loads = cache.loads();
		const [all, featured, devTools] = await Promise.all([
			cachedServices(runtime),
			cachedServices(runtime, { featured: true }),
			cachedServices(runtime, { categorySlug: 'dev-tools' })
		]);
		expect(cache.loads()).toBe(loads);
		expect(featured.map((service) => service.slug)).toEqual(all.filter((s) => s.isFeatured).map((s) => s.slug));
		expect(devTools.map((service) => service.slug)).toContain('gitea');
		expect(devTools.every((service) => service.category.slug === 'dev-tools')).toBe(true);
	});

	it('shows no stale slots after a slot is taken on another connection: the notification drops the copy at commit', async () => {
		const before = await slotsOf('gitea');
		const planId = await planOf('gitea', 'PRO');
		const arrived = nextEvent(runtime.events, (event) => event.type === 'catalog');
		await other.transaction(async (tx) => {
			await takeSlot(tx, planId);
			// Not committed yet: a copy loaded now has the slot free, and is kept, as this process cannot know better.
			expect(await slotsOf('gitea')).toBe(before);
			expect(await slotsOf('gitea')).toBe(before);
		});
		// Only the notification, sent when the change committed, can drop that copy.
		await arrived;
		expect(await slotsOf('gitea')).toBe(before - 1);
	});

	it('shows a customer the slot their subscription took at once', async () => {
		const { api } = await newCustomer(runtime);
		const planId = await planOf('ghost', 'BASIC');
		const before = await slotsOf('ghost');
		await api.subscriptions.subscribe({ planId });
		expect(await slotsOf('ghost')).toBe(before - 1);
		expect((await api.catalog.services()).find((service) => service.slug === 'ghost')!.availableSlots).toBe(before - 1);
	});
});
