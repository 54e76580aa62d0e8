// The administrator's home page figures: its count of apps in the catalog is the apps
// customers see there, with those they do not (hidden, private, retired, or in a hidden
// category) counted apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { serviceCategories, services } from '../../src/lib/server/db/schema';
import { listServices } from '../../src/lib/server/catalog/service';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectInvariants } from '../support/invariants';

let runtime: TestRuntime;
let adminApi: Awaited<ReturnType<typeof callerFor>>;
beforeAll(async () => {
	runtime = await startTestRuntime();
	adminApi = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
});
afterAll(async () => {
	await expectInvariants(runtime.db);
	await runtime?.close();
});

/** The apps customers see in the catalog, read as the catalog reads them. */
const customerCatalog = async () => (await listServices(runtime.db)).length;

describe('admin.overview', () => {
	it('counts as apps in the catalog those customers see; a hidden category’s and a private app are counted apart', async () => {
		const before = await adminApi.admin.overview();
		expect(before.services).toBe(await customerCatalog());

		const [monitoring] = await runtime.db
			.update(serviceCategories)
			.set({ isVisible: false })
			.where(eq(serviceCategories.slug, 'monitoring'))
			.returning();
		const inMonitoring = await runtime.db.$count(
			services,
			and(eq(services.categoryId, monitoring.id), eq(services.isActive, true), eq(services.isPublic, true))
		);
		expect(inMonitoring).toBeGreaterThan(0);
		await runtime.db.update(services).set({ isPublic: false }).where(eq(services.slug, 'gitea'));

		const after = await adminApi.admin.overview();
		expect(after.services).toBe(await customerCatalog());
		expect(after.services).toBe(before.services - inMonitoring - 1);
		// The rest are counted apart, so the two make every app an administrator has.
		expect(after.unlistedServices).toBe(before.unlistedServices + inMonitoring + 1);
		expect(after.services + after.unlistedServices).toBe(await runtime.db.$count(services));
	});
});
