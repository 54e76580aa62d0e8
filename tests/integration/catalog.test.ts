import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { servicePlans } from '../../src/lib/server/db/schema';
import { seedServices } from '../../src/lib/server/seed/catalog';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
let api: Awaited<ReturnType<typeof callerFor>>;
beforeAll(async () => {
	runtime = await startTestRuntime();
	api = await callerFor(runtime, await createUser(runtime));
});
afterAll(() => runtime?.close());

describe('catalog', () => {
	it('lists categories with how many apps each has', async () => {
		const categories = await api.catalog.categories();
		expect(categories.length).toBeGreaterThanOrEqual(6);
		const total = categories.reduce((sum, c) => sum + c.serviceCount, 0);
		expect(total).toBe(seedServices.length);
		const cms = seedServices.filter((service) => service.category === 'cms');
		expect(cms.length).toBeGreaterThan(0);
		expect(categories.find((c) => c.slug === 'cms')?.serviceCount).toBe(cms.length);
	});

	it('lists all services with their starting price', async () => {
		const services = await api.catalog.services();
		expect(services.map((s) => s.slug).sort()).toEqual(seedServices.map((s) => s.slug).sort());
		const n8n = services.find((s) => s.slug === 'n8n')!;
		expect(n8n.startingPrice).toBe(0);
		expect(n8n.planCount).toBe(4);
		expect(n8n.category.slug).toBe('automation');
	});

	it('filters by category', async () => {
		const devTools = await api.catalog.services({ categorySlug: 'dev-tools' });
		const expected = seedServices.filter((service) => service.category === 'dev-tools').map((service) => service.slug);
		expect(expected).toContain('gitea');
		expect(devTools.map((s) => s.slug).sort()).toEqual(expected.sort());
		expect(await api.catalog.services({ categorySlug: 'no-such-category' })).toEqual([]);
	});

	it('searches names, descriptions and tags, case-insensitively', async () => {
		expect((await api.catalog.services({ q: 'GHOST' })).map((s) => s.slug)).toEqual(['ghost']);
		expect((await api.catalog.services({ q: 'bitwarden' })).map((s) => s.slug)).toEqual(['vaultwarden']);
		expect((await api.catalog.services({ q: 'newsletter' })).map((s) => s.slug)).toContain('ghost');
		expect((await api.catalog.services({ q: 'status page' })).map((s) => s.slug)).toEqual(['uptime-kuma']);
		expect(await api.catalog.services({ q: 'zzzz-nothing' })).toEqual([]);
		expect(await api.catalog.services({ q: '%' })).toEqual([]);
	});

	it('shows featured services only', async () => {
		const featured = await api.catalog.featured();
		expect(featured.length).toBeGreaterThan(0);
		expect(featured.every((s) => s.isFeatured)).toBe(true);
		expect(featured.map((s) => s.slug)).not.toContain('gitea');
		expect((await api.catalog.services({ featured: true })).length).toBe(featured.length);
	});

	it('shows a service with its plans side by side and slots left', async () => {
		const ghost = await api.catalog.service({ slug: 'ghost' });
		expect(ghost.name).toBe('Ghost');
		expect(ghost.plans.map((p) => p.planType)).toEqual(['FREE', 'BASIC', 'PRO', 'PREMIUM']);
		for (const plan of ghost.plans) {
			expect(plan.availableQuota).toBe(plan.totalQuota - plan.usedQuota);
			expect(plan).toHaveProperty('cpuMilli');
			expect(plan).toHaveProperty('memoryMb');
			expect(plan).toHaveProperty('storageGb');
			expect(plan).toHaveProperty('bandwidthGb');
			expect(plan.features.length).toBeGreaterThan(0);
		}
		// Secrets are described, never their generation rules.
		expect(JSON.stringify(ghost)).not.toContain('"secret"');
	});

	it('shows custom domains and backups from the plan fields, never from a feature string', async () => {
		const ghost = await api.catalog.service({ slug: 'ghost' });
		const byType = Object.fromEntries(ghost.plans.map((plan) => [plan.planType, plan]));
		expect(byType.FREE).toMatchObject({ customDomainsAllowed: 0, backupSchedule: 'NONE', backupRetention: 0 });
		expect(byType.BASIC).toMatchObject({ customDomainsAllowed: 0, backupSchedule: 'DAILY', backupRetention: 7 });
		expect(byType.PRO.features.slice(0, 2)).toEqual(['1 custom domain', 'Daily backups (last 7 kept)']);
		expect(byType.PREMIUM.features.slice(0, 2)).toEqual(['3 custom domains', 'Hourly backups (last 48 kept)']);
		expect(byType.FREE.features.some((line) => /custom domain|backup/i.test(line))).toBe(false);
		// The catalog follows the field: a plan without domains stops promising one.
		await runtime.db.update(servicePlans).set({ customDomainsAllowed: 0 }).where(eq(servicePlans.id, byType.PRO.id));
		const after = await api.catalog.service({ slug: 'ghost' });
		expect(after.plans.find((plan) => plan.id === byType.PRO.id)!.features.some((line) => /custom domain/i.test(line))).toBe(
			false
		);
		await runtime.db.update(servicePlans).set({ customDomainsAllowed: 1 }).where(eq(servicePlans.id, byType.PRO.id));
	});

	it('marks a full plan sold out', async () => {
		const before = await api.catalog.service({ slug: 'gitea' });
		const pro = before.plans.find((p) => p.planType === 'PRO')!;
		await runtime.db.update(servicePlans).set({ usedQuota: pro.totalQuota }).where(eq(servicePlans.id, pro.id));
		const after = await api.catalog.service({ slug: 'gitea' });
		const soldOut = after.plans.find((p) => p.id === pro.id)!;
		expect(soldOut.availableQuota).toBe(0);
		expect(soldOut.soldOut).toBe(true);
		expect(after.plans.filter((p) => p.soldOut)).toHaveLength(1);
	});

	it('answers NOT_FOUND for an unknown service and BAD_REQUEST for a malformed slug', async () => {
		await expect(api.catalog.service({ slug: 'no-such-app' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(api.catalog.service({ slug: 'Bad Slug!' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('is for signed-in customers only', async () => {
		const anonymous = await callerFor(runtime, null);
		const error = await anonymous.catalog.services().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(TRPCError);
		expect((error as TRPCError).code).toBe('UNAUTHORIZED');
	});
});
