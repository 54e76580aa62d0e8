// The catalog editor: categories, service templates saved only with valid Kubernetes
// objects, services in use hidden rather than deleted, and plans whose new price waits for
// each subscriber's renewal and whose new resources reach new subscriptions only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { parseAllDocuments } from 'yaml';
import {
	auditLog,
	backups,
	notifications,
	serviceCategories,
	serviceInstances,
	servicePlans,
	services,
	type User
} from '../../src/lib/server/db/schema';
import type { LiveEvent } from '../../src/lib/server/events';
import { loadInstance } from '../../src/lib/server/provisioning/job-data';
import { backupPlan } from '../../src/lib/server/backups/service';
import { sweepBackups } from '../../src/lib/server/provisioning/backups';
import { formatCount } from '../../src/lib/format';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { inLocale } from '../../src/lib/server/i18n';
import { CookieJar, trpcCall } from '../support/http';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { planOf, reloadPlan, reloadSubscription } from '../support/fixtures';
import { expectError, rejection } from '../support/errors';
import { expectInvariants } from '../support/invariants';

let runtime: TestRuntime;
let admin: User;
let adminApi: Awaited<ReturnType<typeof callerFor>>;
beforeAll(async () => {
	runtime = await startTestRuntime();
	admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
	adminApi = await callerFor(runtime, admin);
});
afterAll(async () => {
	await expectInvariants(runtime.db);
	await runtime?.close();
});

const tag = () => randomUUID().slice(0, 6);

/** Resolves with the first `catalog` event published after it is called (the stream listens from its first read). */
async function nextCatalogEvent() {
	const controller = new AbortController();
	const isCatalog = (event: LiveEvent): event is Extract<LiveEvent, { type: 'catalog' }> => event.type === 'catalog';
	try {
		for await (const event of runtime.events.stream(isCatalog, controller.signal)) if (event.type === 'catalog') return event;
	} finally {
		controller.abort();
	}
}

async function aCategory() {
	const [category] = await adminApi.admin.catalog.categories();
	return category;
}

function templateFields(categoryId: string, slug: string) {
	return {
		name: `Wiki ${slug}`,
		slug,
		categoryId,
		description: 'A team wiki.',
		longDescription: 'Write things down together.',
		icon: 'book-open',
		websiteUrl: 'https://js.wiki',
		version: '2.5.305',
		dockerImage: 'ghcr.io/requarks/wiki:2.5.305',
		defaultPort: 3000,
		healthCheckPath: '/healthz',
		dataMountPath: '/wiki/data',
		podSecurityLevel: 'restricted' as const,
		runAsUser: 1000,
		envTemplate: [
			{ name: 'DB_TYPE', source: 'preset' as const, value: 'sqlite' },
			{ name: 'SITE_URL', source: 'minispod' as const, derived: 'PUBLIC_URL' as const, description: 'Public address' },
			{ name: 'SESSION_SECRET', source: 'secret' as const, secretLength: 40, secretEncoding: 'hex' as const }
		],
		tags: ['wiki', 'docs'],
		isFeatured: false,
		isPublic: true,
		sortOrder: 0
	};
}

const planFields = (overrides: Partial<Record<string, unknown>> = {}) => ({
	name: 'Basic',
	description: 'For a small team.',
	monthlyPrice: 30_000,
	cpuMilli: 250,
	memoryMb: 512,
	storageGb: 2,
	bandwidthGb: 100,
	totalQuota: 5,
	features: ['HTTPS subdomain'],
	isPopular: false,
	isActive: true,
	sortOrder: 0,
	...overrides
});

describe('categories', () => {
	it('creates, renames, reorders and hides a category, audited and announced', async () => {
		const slug = `tools-${tag()}`;
		const announced = nextCatalogEvent();
		const created = await adminApi.admin.catalog.createCategory({
			name: `Tools ${slug}`,
			slug,
			description: null,
			icon: 'wrench'
		});
		expect(await announced).toEqual({ type: 'catalog' });
		expect(created).toMatchObject({ slug, isVisible: true, serviceCount: 0 });

		const renamed = await adminApi.admin.catalog.updateCategory({ id: created.id, name: `Handy tools ${slug}` });
		expect(renamed.name).toBe(`Handy tools ${slug}`);
		const taken = await expectError(adminApi.admin.catalog.updateCategory({ id: created.id, slug: 'automation' }), 'BAD_REQUEST');
		expect(taken.message).toBe('slug: Already used by another entry');

		const order = (await adminApi.admin.catalog.categories()).map((c) => c.id);
		const reordered = await adminApi.admin.catalog.reorderCategories({
			ids: [created.id, ...order.filter((id) => id !== created.id)]
		});
		expect(reordered[0].id).toBe(created.id);
		await expectError(adminApi.admin.catalog.reorderCategories({ ids: [created.id] }), 'BAD_REQUEST');

		const actions = await runtime.db.select().from(auditLog).where(eq(auditLog.entityType, 'service_category'));
		expect(actions.map((entry) => entry.action)).toEqual(
			expect.arrayContaining(['catalog.category.create', 'catalog.category.update', 'catalog.category.reorder'])
		);
	});

	it('hides a category and its services from customers', async () => {
		const { api } = await newCustomer(runtime);
		const [monitoring] = (await adminApi.admin.catalog.categories()).filter((c) => c.slug === 'monitoring');
		await adminApi.admin.catalog.updateCategory({ id: monitoring.id, isVisible: false });
		try {
			expect((await api.catalog.categories()).map((c) => c.slug)).not.toContain('monitoring');
			expect((await api.catalog.services()).map((s) => s.slug)).not.toContain('uptime-kuma');
			await expectError(api.catalog.service({ slug: 'uptime-kuma' }), 'NOT_FOUND');
		} finally {
			await adminApi.admin.catalog.updateCategory({ id: monitoring.id, isVisible: true });
		}
		expect((await api.catalog.services()).map((s) => s.slug)).toContain('uptime-kuma');
	});
});

describe('service templates', () => {
	it('previews the Kubernetes objects of every plan as valid YAML before saving', async () => {
		const category = await aCategory();
		const previews = await adminApi.admin.catalog.preview({ service: templateFields(category.id, `wiki-${tag()}`) });
		expect(previews).toHaveLength(1);
		expect(previews[0]).toMatchObject({ planId: null, planName: 'Sample plan', problems: [] });
		const documents = parseAllDocuments(previews[0].yaml).map((doc) => doc.toJS());
		expect(documents.map((doc) => doc.kind)).toEqual([
			'Namespace',
			'ResourceQuota',
			'LimitRange',
			'NetworkPolicy',
			'Secret',
			'ConfigMap',
			'PersistentVolumeClaim',
			'Deployment',
			'Service',
			'Ingress'
		]);
		const deployment = documents.find((doc) => doc.kind === 'Deployment');
		expect(deployment.spec.template.spec.containers[0]).toMatchObject({
			image: 'ghcr.io/requarks/wiki:2.5.305',
			ports: [{ containerPort: 3000 }]
		});
		expect(documents.find((doc) => doc.kind === 'ConfigMap').data).toMatchObject({ DB_TYPE: 'sqlite' });
		// Secrets are named, never invented, in a preview.
		expect(documents.find((doc) => doc.kind === 'Secret').stringData).toEqual({ SESSION_SECRET: '<generated: 40 hex>' });

		const gitea = (await adminApi.admin.catalog.services()).find((s) => s.slug === 'gitea')!;
		const { service } = await adminApi.admin.catalog.service({ id: gitea.id });
		const perPlan = await adminApi.admin.catalog.preview({
			id: gitea.id,
			service: { ...service, longDescription: service.longDescription }
		});
		expect(perPlan.map((p) => p.planName)).toEqual(['Free', 'Basic', 'Pro', 'Premium']);
		expect(perPlan.every((p) => p.problems.length === 0)).toBe(true);
	});

	it("counts each plan's live subscribers in the editor, and keeps the count after a plan is saved", async () => {
		const gitea = (await adminApi.admin.catalog.services()).find((s) => s.slug === 'gitea')!;
		const basic = await planOf(runtime.db, 'gitea', 'BASIC');
		const before = await adminApi.admin.catalog.service({ id: gitea.id });
		const liveOn = (editor: typeof before, planId: string) => editor.plans.find((p) => p.id === planId)!.liveSubscriptions;
		const { api } = await newCustomer(runtime, 100_000);
		await api.subscriptions.subscribe({ planId: basic.id });
		const after = await adminApi.admin.catalog.service({ id: gitea.id });
		expect(liveOn(after, basic.id)).toBe(liveOn(before, basic.id) + 1);
		expect(after.liveSubscriptions).toBe(before.liveSubscriptions + 1);
	});

	it('creates a service with every field, which customers can then subscribe to', async () => {
		const category = await aCategory();
		const slug = `wiki-${tag()}`;
		const created = await adminApi.admin.catalog.createService(templateFields(category.id, slug));
		expect(created.envTemplate).toEqual([
			{ name: 'DB_TYPE', description: null, source: 'preset', value: 'sqlite' },
			{ name: 'SITE_URL', description: 'Public address', source: 'minispod', derived: 'PUBLIC_URL' },
			{ name: 'SESSION_SECRET', description: null, source: 'secret', secretLength: 40, secretEncoding: 'hex' }
		]);
		const [row] = await runtime.db.select().from(services).where(eq(services.slug, slug));
		expect(row.envTemplate).toEqual([
			{ name: 'DB_TYPE', value: 'sqlite' },
			{ name: 'SITE_URL', description: 'Public address', derived: 'PUBLIC_URL' },
			{ name: 'SESSION_SECRET', secret: { length: 40, encoding: 'hex' } }
		]);
		const plan = await adminApi.admin.catalog.createPlan({ serviceId: created.id, planType: 'BASIC', ...planFields() });
		const duplicate = await expectError(
			adminApi.admin.catalog.createPlan({ serviceId: created.id, planType: 'BASIC', ...planFields() }),
			'BAD_REQUEST'
		);
		expect(duplicate.message).toMatch(/^planType: .* already has a BASIC plan/);

		const { api } = await newCustomer(runtime);
		const listed = await api.catalog.service({ slug });
		expect(listed.plans.map((p) => p.id)).toEqual([plan.id]);
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		expect((await reloadSubscription(runtime.db, subscriptionId)).monthlyPrice).toBe(30_000);
	});

	it('keeps a service without an active plan out of the catalog, its category count and the overview until it has one', async () => {
		const category = await aCategory();
		const slug = `wiki-${tag()}`;
		const { api } = await newCustomer(runtime);
		const countIn = async () => (await api.catalog.categories()).find((c) => c.id === category.id)?.serviceCount ?? 0;
		const before = { count: await countIn(), overview: await adminApi.admin.overview() };

		const created = await adminApi.admin.catalog.createService(templateFields(category.id, slug));
		expect((await api.catalog.services()).map((s) => s.slug)).not.toContain(slug);
		expect((await api.catalog.services({ q: created.name })).map((s) => s.slug)).not.toContain(slug);
		expect(await countIn()).toBe(before.count);
		await expectError(api.catalog.service({ slug }), 'NOT_FOUND');
		const withoutPlan = await adminApi.admin.overview();
		expect(withoutPlan.services).toBe(before.overview.services);
		expect(withoutPlan.unlistedServices).toBe(before.overview.unlistedServices + 1);
		// The editor still shows it, to add its plans.
		expect((await adminApi.admin.catalog.services()).map((s) => s.slug)).toContain(slug);

		const plan = await adminApi.admin.catalog.createPlan({ serviceId: created.id, planType: 'BASIC', ...planFields() });
		expect((await api.catalog.services()).find((s) => s.slug === slug)?.startingPrice).toBe(30_000);
		expect(await countIn()).toBe(before.count + 1);
		expect((await api.catalog.service({ slug })).plans.map((p) => p.id)).toEqual([plan.id]);
		expect((await adminApi.admin.overview()).services).toBe(before.overview.services + 1);

		// Its only plan hidden, it has nothing to buy again.
		await adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { isActive: false } });
		expect((await api.catalog.services()).map((s) => s.slug)).not.toContain(slug);
		expect(await countIn()).toBe(before.count);
		await expectError(api.catalog.service({ slug }), 'NOT_FOUND');
		expect((await adminApi.admin.overview()).services).toBe(before.overview.services);
		await adminApi.admin.catalog.deleteService({ id: created.id });
	});

	it('refuses bad fields by name and changes nothing', async () => {
		const category = await aCategory();
		const slug = `wiki-${tag()}`;
		const bad = async (overrides: Record<string, unknown>) =>
			(
				await expectError(
					adminApi.admin.catalog.createService({ ...templateFields(category.id, slug), ...overrides }),
					'BAD_REQUEST'
				)
			).message;
		expect(await bad({ dockerImage: 'ghcr.io/requarks/wiki' })).toBe('dockerImage: Pin a tag or digest');
		expect(await bad({ dockerImage: 'nginx:latest' })).toBe('dockerImage: Pin a release tag, not latest');
		expect(await bad({ defaultPort: 70_000 })).toBe('defaultPort: Use 1 to 65535');
		expect(await bad({ healthCheckPath: 'healthz' })).toMatch(/^healthCheckPath: Use an absolute path/);
		expect(await bad({ runAsUser: 0 })).toMatch(/^runAsUser: Use a non-root user id/);
		expect(
			await bad({
				envTemplate: [
					{ name: 'A', source: 'preset', value: '1' },
					{ name: 'A', source: 'preset', value: '2' }
				]
			})
		).toBe('envTemplate.1.name: A is listed twice');
		expect(await bad({ envTemplate: [{ name: 'TOKEN', source: 'secret' }] })).toBe(
			'envTemplate.0.secretLength: Give the secret a length'
		);
		expect(await bad({ categoryId: randomUUID() })).toBe('categoryId: Choose an existing category');
		expect(await bad({ websiteUrl: 'javascript:alert(1)' })).toBe(
			'websiteUrl: Use a web address starting with http:// or https://, like https://example.org'
		);
		expect(await bad({ sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] })).toMatch(
			/^sysctls\.0\.name: Line 1: net\.core\.somaxconn is not allowed; use one of the safe sysctls: /
		);
		expect(await runtime.db.select().from(services).where(eq(services.slug, slug))).toEqual([]);
	});

	it('sets a safe sysctl on the pod, shown in the preview and kept with the template', async () => {
		const category = await aCategory();
		const fields = {
			...templateFields(category.id, `wiki-${tag()}`),
			sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start' as const, value: '80' }]
		};
		const [preview] = await adminApi.admin.catalog.preview({ service: fields });
		expect(preview.problems).toEqual([]);
		const deployment = parseAllDocuments(preview.yaml)
			.map((document) => document.toJS())
			.find((object) => object.kind === 'Deployment');
		expect(deployment.spec.template.spec.securityContext.sysctls).toEqual(fields.sysctls);
		const created = await adminApi.admin.catalog.createService(fields);
		expect((await adminApi.admin.catalog.service({ id: created.id })).service.sysctls).toEqual(fields.sysctls);
	});

	it('edits a template, audited with what changed', async () => {
		const category = await aCategory();
		const created = await adminApi.admin.catalog.createService(templateFields(category.id, `wiki-${tag()}`));
		const fields = {
			...templateFields(category.id, created.slug),
			dockerImage: 'ghcr.io/requarks/wiki:2.5.306',
			version: '2.5.306'
		};
		const updated = await adminApi.admin.catalog.updateService({ id: created.id, service: fields });
		expect(updated).toMatchObject({ dockerImage: 'ghcr.io/requarks/wiki:2.5.306', version: '2.5.306' });
		const [entry] = await runtime.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityId, created.id), eq(auditLog.action, 'catalog.service.update')));
		expect(entry.details).toEqual({ changed: ['version', 'dockerImage'] });
	});

	it("edits the first-run steps that the app's owner sees on the instance page", async () => {
		const category = await aCategory();
		const created = await adminApi.admin.catalog.createService(templateFields(category.id, `wiki-${tag()}`));
		expect(created.firstRunSteps).toEqual([]);
		const steps = ['Open the app and create the administrator account.', 'Set the site title under Settings.'];
		const tooLong = await expectError(
			adminApi.admin.catalog.updateService({
				id: created.id,
				service: { ...templateFields(category.id, created.slug), firstRunSteps: [...steps, 'x'.repeat(501)] }
			}),
			'BAD_REQUEST'
		);
		expect(tooLong.message).toBe('service.firstRunSteps.2: Step 3: use at most 500 characters');
		await adminApi.admin.catalog.updateService({
			id: created.id,
			service: { ...templateFields(category.id, created.slug), firstRunSteps: steps }
		});
		expect((await adminApi.admin.catalog.service({ id: created.id })).service.firstRunSteps).toEqual(steps);

		const plan = await adminApi.admin.catalog.createPlan({ serviceId: created.id, planType: 'BASIC', ...planFields() });
		const { api } = await newCustomer(runtime);
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		expect((await api.instances.get({ id: instanceId })).access.firstRunSteps).toEqual(steps);
	});

	it('deletes a service nobody subscribed to; one in use can only be hidden, and keeps its subscribers', async () => {
		const category = await aCategory();
		const unused = await adminApi.admin.catalog.createService(templateFields(category.id, `wiki-${tag()}`));
		await adminApi.admin.catalog.createPlan({ serviceId: unused.id, planType: 'FREE', ...planFields({ monthlyPrice: 0 }) });
		expect(await adminApi.admin.catalog.deleteService({ id: unused.id })).toEqual({ id: unused.id, deleted: true });
		expect(await runtime.db.select().from(services).where(eq(services.id, unused.id))).toEqual([]);

		const used = await adminApi.admin.catalog.createService(templateFields(category.id, `wiki-${tag()}`));
		const plan = await adminApi.admin.catalog.createPlan({ serviceId: used.id, planType: 'BASIC', ...planFields() });
		const { api } = await newCustomer(runtime);
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const refused = await rejection(adminApi.admin.catalog.deleteService({ id: used.id }));
		expect(refused.code).toBe('INVALID_STATE');
		expect(refused.message).toMatch(/hide it instead/);

		await adminApi.admin.catalog.updateService({
			id: used.id,
			service: { ...templateFields(category.id, used.slug), isPublic: false }
		});
		const { api: newcomer } = await newCustomer(runtime);
		await expectError(newcomer.catalog.service({ slug: used.slug }), 'NOT_FOUND');
		await expectError(newcomer.subscriptions.subscribe({ planId: plan.id }), 'NOT_FOUND');
		expect((await reloadSubscription(runtime.db, subscriptionId)).status).toBe('ACTIVE');
		expect((await api.subscriptions.get({ id: subscriptionId })).service.slug).toBe(used.slug);
	});
});

describe('plans', () => {
	it('a new price applies from each subscriber’s renewal; they are told the price and the date', async () => {
		const plan = await planOf(runtime.db, 'n8n', 'BASIC');
		const subscriber = await newCustomer(runtime, 1_000_000);
		const { subscriptionId } = await subscriber.api.subscriptions.subscribe({ planId: plan.id });
		const granted = await createUser(runtime);
		const grant = await adminApi.admin.subscriptions.grant({ userId: granted.id, planId: plan.id, months: 1 });
		const before = await reloadSubscription(runtime.db, subscriptionId);
		const grantBefore = await reloadSubscription(runtime.db, grant.subscriptionId);
		// The editor names, before saving, the subscribers the new price will be announced to: the
		// granted one too, which renews from the credit at the plan's price once it ends.
		const editor = await adminApi.admin.catalog.service({ id: plan.serviceId });
		const edited = editor.plans.find((p) => p.id === plan.id)!;

		const result = await adminApi.admin.catalog.updatePlan({
			id: plan.id,
			plan: { monthlyPrice: 59_000 },
			reason: 'New hardware'
		});
		expect(result).toMatchObject({ plan: { monthlyPrice: 59_000 }, pricesAnnounced: 2, termsKept: 0 });
		expect(result.pricesAnnounced).toBe(edited.liveSubscriptions);

		const after = await reloadSubscription(runtime.db, subscriptionId);
		expect(after).toMatchObject({
			monthlyPrice: plan.monthlyPrice,
			pendingMonthlyPrice: 59_000,
			pendingPriceFrom: before.endDate
		});
		expect(await reloadSubscription(runtime.db, grant.subscriptionId)).toMatchObject({
			pendingMonthlyPrice: 59_000,
			pendingPriceFrom: grantBefore.endDate
		});
		const [notice] = await runtime.db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, subscriber.user.id), eq(notifications.type, 'PLAN_PRICE_CHANGED')));
		expect(notice.title).toBe('New price for n8n Basic: Rp 59.000 per month');
		expect(notice.body).toMatch(/^From your renewal on \d+ \w+ \d{4}, n8n Basic costs Rp 59.000 per month instead of Rp 49.000/);
		expect(notice.metadata).toMatchObject({
			previousPrice: 49_000,
			newPrice: 59_000,
			effectiveFrom: before.endDate.toISOString()
		});
		expect(await runtime.db.select().from(notifications).where(eq(notifications.userId, granted.id))).toContainEqual(
			expect.objectContaining({ type: 'PLAN_PRICE_CHANGED' })
		);

		// The catalog and new subscribers see the new price at once.
		const { api: newcomer } = await newCustomer(runtime, 1_000_000);
		expect((await newcomer.catalog.service({ slug: 'n8n' })).plans.find((p) => p.id === plan.id)?.monthlyPrice).toBe(59_000);
		const fresh = await newcomer.subscriptions.subscribe({ planId: plan.id });
		expect((await reloadSubscription(runtime.db, fresh.subscriptionId)).monthlyPrice).toBe(59_000);

		// Back to the old price: the announcement is withdrawn, and said so.
		const back = await adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { monthlyPrice: plan.monthlyPrice } });
		expect(back.pricesAnnounced).toBe(3);
		expect(await reloadSubscription(runtime.db, subscriptionId)).toMatchObject({
			pendingMonthlyPrice: null,
			pendingPriceFrom: null
		});
		expect(await reloadSubscription(runtime.db, fresh.subscriptionId)).toMatchObject({ pendingMonthlyPrice: plan.monthlyPrice });
		const [audit] = await runtime.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityId, plan.id), eq(auditLog.action, 'catalog.plan.update')));
		expect(audit.details).toMatchObject({ changes: { monthlyPrice: { from: 49_000, to: 59_000 } }, reason: 'New hardware' });
	});

	it('new resources reach new subscriptions and upgrades; subscribers keep what they were sold', async () => {
		const plan = await planOf(runtime.db, 'memos', 'PRO');
		const { api } = await newCustomer(runtime, 1_000_000);
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		const result = await adminApi.admin.catalog.updatePlan({
			id: plan.id,
			plan: { memoryMb: plan.memoryMb * 2, storageGb: plan.storageGb + 5 }
		});
		expect(result.termsKept).toBe(1);

		const existing = await loadInstance(runtime.db, instanceId);
		expect(existing!.plan).toMatchObject({ memoryMb: plan.memoryMb, storageGb: plan.storageGb, cpuMilli: plan.cpuMilli });
		const { api: newcomer } = await newCustomer(runtime, 1_000_000);
		const fresh = await newcomer.subscriptions.subscribe({ planId: plan.id });
		expect((await loadInstance(runtime.db, fresh.instanceId))!.plan).toMatchObject({
			memoryMb: plan.memoryMb * 2,
			storageGb: plan.storageGb + 5
		});
		expect((await api.instances.get({ id: instanceId })).plan.memoryMb).toBe(plan.memoryMb);

		// An upgrade to the plan brings its new resources.
		const { api: upgrader } = await newCustomer(runtime, 1_000_000);
		const basic = await upgrader.subscriptions.subscribe({ planId: (await planOf(runtime.db, 'memos', 'BASIC')).id });
		await runtime.db.update(serviceInstances).set({ status: 'RUNNING' }).where(eq(serviceInstances.id, basic.instanceId));
		await upgrader.subscriptions.upgrade({ id: basic.subscriptionId, planId: plan.id });
		expect((await loadInstance(runtime.db, basic.instanceId))!.plan).toMatchObject({ memoryMb: plan.memoryMb * 2 });
	});

	it('custom domains and backups stay as a subscriber bought them; new subscribers and upgrades get the plan’s new ones', async () => {
		const plan = await planOf(runtime.db, 'hedgedoc', 'PRO');
		expect(plan).toMatchObject({ customDomainsAllowed: 1, backupSchedule: 'DAILY', backupRetention: 7 });
		const { api } = await newCustomer(runtime, 1_000_000);
		const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
		const instance = (await loadInstance(runtime.db, instanceId))!.instance;
		await api.domains.add({ instanceId, hostname: 'echo.example.com' });

		const result = await adminApi.admin.catalog.updatePlan({
			id: plan.id,
			plan: { customDomainsAllowed: 0, backupSchedule: 'NONE', backupRetention: 0, storageGb: plan.storageGb - 1 }
		});
		expect(result.termsKept).toBe(1);

		// The subscriber keeps the domain they bought, may still add one in its place, and keeps
		// their backups: the sweep still takes their daily one and keeps seven.
		expect((await api.domains.list({ instanceId })).allowed).toBe(1);
		expect(await backupPlan(runtime.db, instance)).toEqual({ schedule: 'DAILY', retention: 7 });
		expect((await loadInstance(runtime.db, instanceId))!.plan).toMatchObject({ storageGb: plan.storageGb });
		await runtime.db.update(serviceInstances).set({ status: 'RUNNING' }).where(eq(serviceInstances.id, instanceId));
		await sweepBackups(runtime);
		expect(await runtime.db.select().from(backups).where(eq(backups.instanceId, instanceId))).toEqual([
			expect.objectContaining({ kind: 'SCHEDULED' })
		]);

		// A new subscriber gets what the plan sells now.
		const { api: newcomer } = await newCustomer(runtime, 1_000_000);
		const fresh = await newcomer.subscriptions.subscribe({ planId: plan.id });
		const freshInstance = (await loadInstance(runtime.db, fresh.instanceId))!.instance;
		expect((await newcomer.domains.list({ instanceId: fresh.instanceId })).allowed).toBe(0);
		expect((await rejection(newcomer.domains.add({ instanceId: fresh.instanceId, hostname: 'new.example.com' }))).code).toBe(
			'UPGRADE_REQUIRED'
		);
		expect(await backupPlan(runtime.db, freshInstance)).toEqual({ schedule: 'NONE', retention: 0 });

		// A second edit keeps what the first subscriber bought, not what the plan said in between.
		await adminApi.admin.catalog.updatePlan({
			id: plan.id,
			plan: { customDomainsAllowed: 2, backupRetention: 3, backupSchedule: 'HOURLY' }
		});
		expect((await api.domains.list({ instanceId })).allowed).toBe(1);
		expect(await backupPlan(runtime.db, instance)).toEqual({ schedule: 'DAILY', retention: 7 });

		// An upgrade brings the target plan's terms as they are now, edited or not.
		const premium = await planOf(runtime.db, 'hedgedoc', 'PREMIUM');
		await adminApi.admin.catalog.updatePlan({ id: premium.id, plan: { customDomainsAllowed: 5, backupRetention: 12 } });
		await runtime.db.update(serviceInstances).set({ status: 'RUNNING' }).where(eq(serviceInstances.id, instanceId));
		const { subscriptionId } = (await loadInstance(runtime.db, instanceId))!.instance;
		await api.subscriptions.upgrade({ id: subscriptionId, planId: premium.id });
		expect((await api.domains.list({ instanceId })).allowed).toBe(5);
		expect(await backupPlan(runtime.db, instance)).toEqual({ schedule: 'HOURLY', retention: 12 });
	});

	it('keeps total slots at or above those in use, and hides a plan', async () => {
		const plan = await planOf(runtime.db, 'ghost', 'PRO');
		await runtime.db
			.update(servicePlans)
			.set({ totalQuota: plan.usedQuota + 1 })
			.where(eq(servicePlans.id, plan.id));
		const { api } = await newCustomer(runtime, 1_000_000);
		await api.subscriptions.subscribe({ planId: plan.id });
		const used = (await reloadPlan(runtime.db, plan.id)).usedQuota;
		const refused = await expectError(
			adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { totalQuota: used - 1 } }),
			'BAD_REQUEST'
		);
		expect(refused.message).toBe(`totalQuota: Cannot be below the ${formatCount(used, 'slot')} in use.`);
		expect((await reloadPlan(runtime.db, plan.id)).totalQuota).toBe(used);

		const hidden = await adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { isActive: false } });
		expect(hidden.plan.isActive).toBe(false);
		const { api: newcomer } = await newCustomer(runtime, 1_000_000);
		expect((await newcomer.catalog.service({ slug: 'ghost' })).plans.map((p) => p.planType)).not.toContain('PRO');
		await expectError(newcomer.subscriptions.subscribe({ planId: plan.id }), 'NOT_FOUND');
		const [entry] = await runtime.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityId, plan.id), eq(auditLog.action, 'catalog.plan.hide')));
		expect(entry).toBeDefined();
	});

	it('sets custom domains and backups as plan fields, and refuses them as feature strings', async () => {
		const plan = await planOf(runtime.db, 'n8n', 'BASIC');
		const refused = await expectError(
			adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { features: ['Email support', 'Custom domain'] } }),
			'BAD_REQUEST'
		);
		expect(refused.message).toMatch(/^plan.features.1: Custom domains and backups are set in their own fields/);
		expect((await reloadPlan(runtime.db, plan.id)).features).toEqual(plan.features);

		const saved = await adminApi.admin.catalog.updatePlan({
			id: plan.id,
			plan: { customDomainsAllowed: 2, backupSchedule: 'HOURLY', backupRetention: 24 }
		});
		expect(saved.plan).toMatchObject({ customDomainsAllowed: 2, backupSchedule: 'HOURLY', backupRetention: 24 });
		const { api } = await newCustomer(runtime, 0);
		const shown = (await api.catalog.service({ slug: 'n8n' })).plans.find((p) => p.id === plan.id)!;
		expect(shown.features.slice(0, 2)).toEqual(['2 custom domains', 'Hourly backups (last 24 kept)']);
		// A partial update leaves the fields it does not name alone.
		const renamed = await adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { name: 'Basic' } });
		expect(renamed.plan).toMatchObject({ customDomainsAllowed: 2, backupSchedule: 'HOURLY', backupRetention: 24 });
		await adminApi.admin.catalog.updatePlan({
			id: plan.id,
			plan: {
				customDomainsAllowed: plan.customDomainsAllowed,
				backupSchedule: plan.backupSchedule,
				backupRetention: plan.backupRetention
			}
		});
	});

	it('refuses a free tier that costs money and backups that keep no copy, on a new plan and on an update', async () => {
		const category = await aCategory();
		const service = await adminApi.admin.catalog.createService(templateFields(category.id, `wiki-${tag()}`));
		const created = await expectError(
			adminApi.admin.catalog.createPlan({ serviceId: service.id, planType: 'FREE', ...planFields({ monthlyPrice: 25_000 }) }),
			'BAD_REQUEST'
		);
		expect(created.message).toBe('monthlyPrice: A free plan costs Rp 0');
		const noCopies = await expectError(
			adminApi.admin.catalog.createPlan({
				serviceId: service.id,
				planType: 'BASIC',
				...planFields({ backupSchedule: 'DAILY', backupRetention: 0 })
			}),
			'BAD_REQUEST'
		);
		expect(noCopies.message).toBe('backupRetention: Keep at least 1 backup when backups are on');
		expect(await runtime.db.$count(servicePlans, eq(servicePlans.serviceId, service.id))).toBe(0);
		await adminApi.admin.catalog.deleteService({ id: service.id });

		const free = await planOf(runtime.db, 'memos', 'FREE');
		const priced = await expectError(
			adminApi.admin.catalog.updatePlan({ id: free.id, plan: { monthlyPrice: 25_000 } }),
			'BAD_REQUEST'
		);
		expect(priced.message).toBe('plan.monthlyPrice: A free plan costs Rp 0');
		// Backups turned on, the stored retention (none) is held to the rule too.
		const backedUp = await expectError(
			adminApi.admin.catalog.updatePlan({ id: free.id, plan: { backupSchedule: 'DAILY' } }),
			'BAD_REQUEST'
		);
		expect(backedUp.message).toBe('plan.backupRetention: Keep at least 1 backup when backups are on');
		const basic = await planOf(runtime.db, 'memos', 'BASIC');
		expect(basic.backupSchedule).not.toBe('NONE');
		const kept = await expectError(
			adminApi.admin.catalog.updatePlan({ id: basic.id, plan: { backupRetention: 0 } }),
			'BAD_REQUEST'
		);
		expect(kept.message).toBe('plan.backupRetention: Keep at least 1 backup when backups are on');
		expect(await reloadPlan(runtime.db, free.id)).toMatchObject({ monthlyPrice: 0, backupSchedule: 'NONE' });
		expect((await reloadPlan(runtime.db, basic.id)).backupRetention).toBe(basic.backupRetention);
		// Backups turned off, no copy need be kept.
		await adminApi.admin.catalog.updatePlan({ id: basic.id, plan: { backupSchedule: 'NONE', backupRetention: 0 } });
		await adminApi.admin.catalog.updatePlan({
			id: basic.id,
			plan: { backupSchedule: basic.backupSchedule, backupRetention: basic.backupRetention }
		});
	});

	it('refuses resources out of bounds, naming the field', async () => {
		const plan = await planOf(runtime.db, 'memos', 'BASIC');
		const error = await expectError(adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { cpuMilli: 5 } }), 'BAD_REQUEST');
		expect(error.message).toBe('plan.cpuMilli: Enter the CPU as a whole number of millicores from 10 to 64000');
		expect((await reloadPlan(runtime.db, plan.id)).cpuMilli).toBe(plan.cpuMilli);
	});
});

describe('Indonesian texts', () => {
	/** The audit entries of one catalog entry, oldest first. */
	const auditOf = (entityId: string) =>
		runtime.db.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.createdAt);

	it("an operator sets a category's Indonesian name and description; empty ones are not stored, and an update without them keeps them", async () => {
		const slug = `tools-${tag()}`;
		const created = await adminApi.admin.catalog.createCategory({
			name: `Tools ${slug}`,
			slug,
			description: 'Handy tools.',
			icon: null,
			translations: { id: { name: `Perkakas ${slug}`, description: '  ' } }
		});
		expect(created.translations).toEqual({ id: { name: `Perkakas ${slug}` } });

		await adminApi.admin.catalog.updateCategory({
			id: created.id,
			translations: { id: { name: `Perkakas ${slug}`, description: 'Alat bantu sehari-hari.' } }
		});
		await adminApi.admin.catalog.updateCategory({ id: created.id, name: `Handy tools ${slug}` });
		const [listed] = (await adminApi.admin.catalog.categories()).filter((category) => category.id === created.id);
		expect(listed).toMatchObject({
			name: `Handy tools ${slug}`,
			translations: { id: { name: `Perkakas ${slug}`, description: 'Alat bantu sehari-hari.' } }
		});

		const audited = await auditOf(created.id);
		expect(audited.map((entry) => entry.details)).toEqual([
			expect.objectContaining({ translations: { id: { name: `Perkakas ${slug}` } } }),
			{ translations: { id: { name: `Perkakas ${slug}`, description: 'Alat bantu sehari-hari.' } } },
			{ name: `Handy tools ${slug}` }
		]);

		// Emptied, every Indonesian text is gone and the English ones show.
		const emptied = await adminApi.admin.catalog.updateCategory({
			id: created.id,
			translations: { id: { name: '', description: '' } }
		});
		expect(emptied.translations).toEqual({});
		const [row] = await runtime.db.select().from(serviceCategories).where(eq(serviceCategories.id, created.id));
		expect(row.translations).toEqual({});
	});

	it("an operator sets a service's Indonesian texts, each variable's description by its name, and reads them back", async () => {
		const category = await aCategory();
		const fields = templateFields(category.id, `wiki-${tag()}`);
		const indonesian = {
			description: 'Wiki untuk tim.',
			longDescription: '',
			firstRunSteps: ['Buka aplikasinya dan buat akun administrator.'],
			environment: { SITE_URL: 'Alamat publik', DB_TYPE: '' }
		};
		const created = await adminApi.admin.catalog.createService({ ...fields, translations: { id: indonesian } });
		const stored = {
			id: {
				description: 'Wiki untuk tim.',
				firstRunSteps: ['Buka aplikasinya dan buat akun administrator.'],
				environment: { SITE_URL: 'Alamat publik' }
			}
		};
		expect(created.translations).toEqual(stored);
		expect((await adminApi.admin.catalog.service({ id: created.id })).service.translations).toEqual(stored);

		// Saved without them, the template keeps its translations (and the audit does not list them).
		await adminApi.admin.catalog.updateService({ id: created.id, service: { ...fields, version: '2.5.306' } });
		expect((await adminApi.admin.catalog.service({ id: created.id })).service.translations).toEqual(stored);

		const changedTexts = { ...stored.id, longDescription: 'Tulis bersama.' };
		await adminApi.admin.catalog.updateService({ id: created.id, service: { ...fields, translations: { id: changedTexts } } });
		expect((await adminApi.admin.catalog.service({ id: created.id })).service.translations).toEqual({ id: changedTexts });
		const updates = (await auditOf(created.id)).filter((entry) => entry.action === 'catalog.service.update');
		expect(updates.map((entry) => entry.details)).toEqual([
			{ changed: ['version'] },
			{ changed: ['version', 'translations'], changes: { translations: { from: stored, to: { id: changedTexts } } } }
		]);

		// A variable taken out of the template takes its description with it.
		const withoutSiteUrl = { ...fields, envTemplate: fields.envTemplate.filter((entry) => entry.name !== 'SITE_URL') };
		await adminApi.admin.catalog.updateService({ id: created.id, service: withoutSiteUrl });
		const { environment: _gone, ...rest } = changedTexts;
		expect((await adminApi.admin.catalog.service({ id: created.id })).service.translations).toEqual({ id: rest });
	});

	it("an operator sets a plan's Indonesian description and features; a partial update keeps them; the change is audited", async () => {
		const category = await aCategory();
		const service = await adminApi.admin.catalog.createService(templateFields(category.id, `wiki-${tag()}`));
		const plan = await adminApi.admin.catalog.createPlan({
			serviceId: service.id,
			planType: 'BASIC',
			...planFields({ translations: { id: { description: 'Untuk tim kecil.', features: [] } } })
		});
		expect(plan.translations).toEqual({ id: { description: 'Untuk tim kecil.' } });

		const texts = { description: 'Untuk tim kecil.', features: ['Subdomain HTTPS', 'Dukungan email'] };
		await adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { translations: { id: texts } } });
		const saved = await adminApi.admin.catalog.updatePlan({ id: plan.id, plan: { name: 'Basic plus' } });
		expect(saved.plan.translations).toEqual({ id: texts });
		const [shown] = (await adminApi.admin.catalog.service({ id: service.id })).plans;
		expect(shown.translations).toEqual({ id: texts });

		const [audited] = (await auditOf(plan.id)).filter((entry) => entry.action === 'catalog.plan.update');
		expect(audited.details).toMatchObject({
			changes: { translations: { from: { id: { description: 'Untuk tim kecil.' } }, to: { id: texts } } }
		});
	});

	it('refuses a bad Indonesian text naming the field, in the language of the request, and changes nothing', async () => {
		const category = await aCategory();
		const fields = templateFields(category.id, `wiki-${tag()}`);
		const service = await adminApi.admin.catalog.createService({
			...fields,
			translations: { id: { description: 'Wiki untuk tim.' } }
		});
		const plan = await adminApi.admin.catalog.createPlan({ serviceId: service.id, planType: 'BASIC', ...planFields() });
		const refused = async (call: Promise<unknown>) => (await expectError(call, 'BAD_REQUEST')).message;

		expect(
			await refused(
				adminApi.admin.catalog.updateCategory({ id: category.id, translations: { id: { description: 'x'.repeat(301) } } })
			)
		).toBe('translations.id.description: Use at most 300 characters');
		expect(
			await refused(adminApi.admin.catalog.updateCategory({ id: category.id, translations: { en: { name: 'Tools' } } } as never))
		).toMatch(/^translations: /);
		expect(
			await refused(
				adminApi.admin.catalog.updateService({
					id: service.id,
					service: { ...fields, translations: { id: { environment: { SITE_URL: 'Alamat publik', ADMIN_EMAIL: 'Surel admin' } } } }
				})
			)
		).toBe('service.translations.id.environment.ADMIN_EMAIL: ADMIN_EMAIL is not a variable of this template');
		expect(
			await refused(
				adminApi.admin.catalog.updateService({
					id: service.id,
					service: { ...fields, translations: { id: { firstRunSteps: ['Buka aplikasinya.', 'x'.repeat(501)] } } }
				})
			)
		).toBe('service.translations.id.firstRunSteps.1: Step 2: use at most 500 characters');
		const promising = (api: typeof adminApi) =>
			api.admin.catalog.updatePlan({
				id: plan.id,
				plan: { translations: { id: { features: ['Dukungan email', 'Cadangan harian'] } } }
			});
		expect(await refused(promising(adminApi))).toBe(
			'plan.translations.id.features.1: Custom domains and backups are set in their own fields, not as a feature'
		);
		expect(await inLocale('id', 'http://127.0.0.1', () => refused(promising(adminApi)))).toBe(
			'plan.translations.id.features.1: Domain kustom dan cadangan diatur di kolomnya sendiri, bukan sebagai fitur'
		);
		expect(
			await refused(
				adminApi.admin.catalog.createPlan({
					serviceId: service.id,
					planType: 'PRO',
					...planFields({ translations: { id: { features: ['2 domain kustom'] } } })
				})
			)
		).toBe('translations.id.features.0: Custom domains and backups are set in their own fields, not as a feature');

		const [categoryRow] = await runtime.db.select().from(serviceCategories).where(eq(serviceCategories.id, category.id));
		expect(categoryRow.translations).toEqual(category.translations);
		expect((await adminApi.admin.catalog.service({ id: service.id })).service.translations).toEqual({
			id: { description: 'Wiki untuk tim.' }
		});
		expect((await reloadPlan(runtime.db, plan.id)).translations).toEqual({});
		expect((await adminApi.admin.catalog.service({ id: service.id })).plans.map((p) => p.planType)).toEqual(['BASIC']);
	});

	it('tells a browser the refused line by its whole path, so the form shows it beside the field', async () => {
		const plan = await planOf(runtime.db, 'memos', 'BASIC');
		const token = generateSessionToken();
		await createSession(runtime.db, token, admin.id, { days: 1 });
		const jar = new CookieJar();
		jar.values.set(SESSION_COOKIE, token);
		const answer = await trpcCall(
			runtime,
			'admin.catalog.updatePlan',
			{ id: plan.id, plan: { translations: { id: { features: ['Dukungan email', 'Backup harian'] } } } },
			{ jar }
		);
		expect(answer.status).toBe(400);
		const data = answer.body.error!.json.data as unknown as { fieldErrors: Record<string, string[]> };
		// In Indonesian: the language of a request that has not chosen one.
		expect(data.fieldErrors).toEqual({
			'plan.translations.id.features.1': ['Domain kustom dan cadangan diatur di kolomnya sendiri, bukan sebagai fitur']
		});
		expect((await reloadPlan(runtime.db, plan.id)).translations).toEqual(plan.translations);
	});
});
