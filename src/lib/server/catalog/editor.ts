// The catalog editor's rules for categories and service templates: created, renamed,
// reordered and hidden; a template is saved only when the Kubernetes objects of every plan
// are valid; a service in use is hidden, never deleted. Every change is audited and
// announced as a `catalog` event (so a cache of the catalog can be dropped).
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import type { DbOrTx, Tx } from '../db/client';
import {
	serviceCategories,
	servicePlans,
	services,
	subscriptions,
	type CategoryTexts,
	type Service,
	type ServiceTexts,
	type Translations
} from '../db/schema';
import { audit, type AuditAction, type AuditActor } from '../audit/service';
import { publish } from '../events';
import { AppError, badRequest, invalidState, notFound } from '../errors';
import { toEnvTemplateEntry, type ServiceFields } from './editor-schemas';
import { assertValidPreviews, previewTemplate, type PlanPreview } from './preview';
import {
	toDeletedServiceView,
	toEditorCategoryView,
	toPlanPreviewViews,
	toServiceEditorView,
	toServiceRowView,
	toServiceTemplateView
} from './editor-views';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

const LIVE = sql`${subscriptions.status} NOT IN ('CANCELLED', 'EXPIRED')`;

/** A unique violation on one of the catalog's names, as the field it is about. */
function uniqueField(error: unknown, fields: Record<string, string>): AppError | null {
	const cause = ((error as { cause?: unknown }).cause ?? error) as { code?: string; constraint?: string };
	if (cause.code !== '23505' || !cause.constraint) return null;
	const field = Object.keys(fields).find((name) => cause.constraint!.includes(`_${fields[name]}_`));
	return field ? badRequest(field, say(m.srv2_catalog_name_taken)) : null;
}

async function changed(
	tx: Tx,
	actor: AuditActor,
	entry: { action: AuditAction; entityType: string; entityId: string; details?: Record<string, unknown> }
) {
	await audit(tx, { actorId: actor.adminId, ipAddress: actor.ipAddress, ...entry });
	await publish(tx, { type: 'catalog' });
}

// -- Categories ----------------------------------------------------------------------------

export async function listCategoriesForEditor(db: DbOrTx) {
	const rows = await db
		.select({ category: serviceCategories, services: count(services.id) })
		.from(serviceCategories)
		.leftJoin(services, eq(services.categoryId, serviceCategories.id))
		.groupBy(serviceCategories.id)
		.orderBy(asc(serviceCategories.sortOrder), asc(serviceCategories.name));
	return rows.map((row) => toEditorCategoryView(row.category, row.services));
}

type CategoryInput = {
	name: string;
	slug: string;
	description: string | null;
	icon: string | null;
	translations?: Translations<CategoryTexts>;
};

export async function createCategory(db: DbOrTx, actor: AuditActor, input: CategoryInput) {
	return db.transaction(async (tx) => {
		const [{ last }] = await tx
			.select({ last: sql<number>`coalesce(max(${serviceCategories.sortOrder}), 0)` })
			.from(serviceCategories);
		const category = await tx
			.insert(serviceCategories)
			.values({ ...input, sortOrder: Number(last) + 1 })
			.returning()
			.then(([row]) => row)
			.catch((error) => {
				throw uniqueField(error, { name: 'name', slug: 'slug' }) ?? error;
			});
		await changed(tx, actor, {
			action: 'catalog.category.create',
			entityType: 'service_category',
			entityId: category.id,
			details: input
		});
		return toEditorCategoryView(category);
	});
}

export async function updateCategory(
	db: DbOrTx,
	actor: AuditActor,
	input: Partial<CategoryInput> & { id: string; isVisible?: boolean }
) {
	const { id, ...patch } = input;
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(serviceCategories).where(eq(serviceCategories.id, id)).for('update');
		if (!before) throw notFound('Category');
		const [category] = await tx
			.update(serviceCategories)
			.set(patch)
			.where(eq(serviceCategories.id, id))
			.returning()
			.catch((error) => {
				throw uniqueField(error, { name: 'name', slug: 'slug' }) ?? error;
			});
		const action = patch.isVisible === false ? 'hide' : patch.isVisible === true && !before.isVisible ? 'show' : 'update';
		await changed(tx, actor, {
			action: `catalog.category.${action}`,
			entityType: 'service_category',
			entityId: id,
			details: patch
		});
		return toEditorCategoryView(category);
	});
}

/** Puts the categories in the given order; the list must name every category once. */
export async function reorderCategories(db: DbOrTx, actor: AuditActor, ids: string[]) {
	return db.transaction(async (tx) => {
		const existing = await tx.select({ id: serviceCategories.id }).from(serviceCategories).for('update');
		const known = new Set(existing.map((row) => row.id));
		if (new Set(ids).size !== ids.length || ids.length !== known.size || ids.some((id) => !known.has(id))) {
			throw badRequest('ids', say(m.srv2_categories_list_each_once));
		}
		for (const [index, id] of ids.entries()) {
			await tx
				.update(serviceCategories)
				.set({ sortOrder: index + 1 })
				.where(eq(serviceCategories.id, id));
		}
		await changed(tx, actor, {
			action: 'catalog.category.reorder',
			entityType: 'service_category',
			entityId: ids[0],
			details: { ids }
		});
		return listCategoriesForEditor(tx);
	});
}

// -- Service templates ------------------------------------------------------------------------

/** Every service, hidden ones too, with its category, plans and live subscriptions. */
export async function listServicesForEditor(db: DbOrTx) {
	const rows = await db
		.select({
			service: services,
			category: { id: serviceCategories.id, name: serviceCategories.name },
			plans: sql<number>`(SELECT count(*)::int FROM ${servicePlans} WHERE ${servicePlans.serviceId} = ${services.id})`
		})
		.from(services)
		.innerJoin(serviceCategories, eq(services.categoryId, serviceCategories.id))
		.orderBy(asc(serviceCategories.sortOrder), asc(services.sortOrder), asc(services.name));
	const live = await liveSubscriptionsByService(
		db,
		rows.map((row) => row.service.id)
	);
	return rows.map((row) =>
		toServiceRowView(row.service, row.category, { plans: row.plans, liveSubscriptions: live.get(row.service.id) ?? 0 })
	);
}

/** One template in full, with its plans (slots in use and live subscribers per plan). */
export async function getServiceForEditor(db: DbOrTx, id: string) {
	const [service] = await db.select().from(services).where(eq(services.id, id));
	if (!service) throw notFound('Service');
	const rows = await db.select().from(servicePlans).where(eq(servicePlans.serviceId, id)).orderBy(asc(servicePlans.planType));
	// Counted apart: a subquery in a one-table select would get its columns without their table
	// from drizzle, and "id" inside it would be the subscription's, not the plan's.
	// Live: the subscribers a new price is announced to, grants included (subscriptions/
	// plan-changes.ts), which the editor names before it saves one.
	const livePerPlan = await db
		.select({ planId: subscriptions.planId, live: count() })
		.from(subscriptions)
		.where(and(eq(subscriptions.serviceId, id), LIVE))
		.groupBy(subscriptions.planId);
	const countsOf = new Map(livePerPlan.map((row) => [row.planId, row]));
	const plans = rows.map((plan) => ({
		plan,
		live: countsOf.get(plan.id)?.live ?? 0
	}));
	const [live] = await db
		.select({ value: count() })
		.from(subscriptions)
		.where(and(eq(subscriptions.serviceId, id), LIVE));
	const [used] = await db.select({ value: count() }).from(subscriptions).where(eq(subscriptions.serviceId, id));
	return toServiceEditorView(service, plans, { liveSubscriptions: live.value, everSubscribed: used.value });
}

/** The stored template of the editor's fields. */
export function templateOf(fields: ServiceFields) {
	return { ...fields, envTemplate: fields.envTemplate.map(toEnvTemplateEntry) };
}

/**
 * Kept translations without the descriptions of variables the template no longer has (a
 * template saved without `translations` keeps its texts; one saved with them is checked).
 */
export function forTemplate(translations: Translations<ServiceTexts>, envTemplate: { name: string }[]) {
	const environment = translations.id?.environment;
	if (!environment) return translations;
	const names = new Set(envTemplate.map((entry) => entry.name));
	const { environment: _all, ...texts } = translations.id!;
	const kept = Object.fromEntries(Object.entries(environment).filter(([name]) => names.has(name)));
	const indonesian = Object.keys(kept).length > 0 ? { ...texts, environment: kept } : texts;
	return Object.keys(indonesian).length > 0 ? { id: indonesian } : {};
}

/** The objects the template would produce for each plan of the service (or a sample plan). */
async function buildPreviews(runtime: Runtime, fields: ServiceFields, serviceId?: string): Promise<PlanPreview[]> {
	const plans = serviceId
		? await runtime.db
				.select()
				.from(servicePlans)
				.where(eq(servicePlans.serviceId, serviceId))
				.orderBy(asc(servicePlans.planType))
		: [];
	return previewTemplate(templateOf(fields), plans, runtime.config.kube);
}

/** The editor's preview: each plan's objects as YAML, with what is wrong with them. */
export async function previewService(runtime: Runtime, fields: ServiceFields, serviceId?: string) {
	return toPlanPreviewViews(await buildPreviews(runtime, fields, serviceId));
}

async function assertCategory(tx: Tx, categoryId: string) {
	const [category] = await tx
		.select({ id: serviceCategories.id })
		.from(serviceCategories)
		.where(eq(serviceCategories.id, categoryId));
	if (!category) throw badRequest('categoryId', say(m.srv2_category_choose_existing));
}

export async function createService(runtime: Runtime, actor: AuditActor, fields: ServiceFields) {
	assertValidPreviews(await buildPreviews(runtime, fields));
	return runtime.db.transaction(async (tx) => {
		await assertCategory(tx, fields.categoryId);
		const [service] = await tx
			.insert(services)
			.values(templateOf(fields))
			.returning()
			.catch((error) => {
				throw uniqueField(error, { slug: 'slug' }) ?? error;
			});
		await changed(tx, actor, {
			action: 'catalog.service.create',
			entityType: 'service',
			entityId: service.id,
			details: { slug: service.slug, name: service.name }
		});
		return toServiceTemplateView(service);
	});
}

/** Saves a template; existing apps pick it up when they are next set up, started or upgraded. */
export async function updateService(runtime: Runtime, actor: AuditActor, id: string, fields: ServiceFields) {
	assertValidPreviews(await buildPreviews(runtime, fields, id));
	return runtime.db.transaction(async (tx) => {
		const [before] = await tx.select().from(services).where(eq(services.id, id)).for('update');
		if (!before) throw notFound('Service');
		await assertCategory(tx, fields.categoryId);
		const [service] = await tx
			.update(services)
			.set({ ...templateOf(fields), translations: fields.translations ?? forTemplate(before.translations, fields.envTemplate) })
			.where(eq(services.id, id))
			.returning()
			.catch((error) => {
				throw uniqueField(error, { slug: 'slug' }) ?? error;
			});
		await changed(tx, actor, {
			action: 'catalog.service.update',
			entityType: 'service',
			entityId: id,
			details: serviceChanges(before, service)
		});
		return toServiceTemplateView(service);
	});
}

/**
 * What a save changed, for the audit log: the fields, and the texts in other languages from
 * before to after, as a plan's changes are (a template's other fields are too long to copy).
 */
function serviceChanges(before: Service, after: Service) {
	const keys = Object.keys(after).filter((key) => !['updatedAt', 'createdAt'].includes(key)) as (keyof Service)[];
	const changed = keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
	return changed.includes('translations')
		? { changed, changes: { translations: { from: before.translations, to: after.translations } } }
		: { changed };
}

/** Deletes a service nobody ever subscribed to; one in use can only be hidden. */
export async function deleteService(db: DbOrTx, actor: AuditActor, id: string) {
	return db.transaction(async (tx) => {
		const [service] = await tx.select().from(services).where(eq(services.id, id)).for('update');
		if (!service) throw notFound('Service');
		const [used] = await tx.select({ value: count() }).from(subscriptions).where(eq(subscriptions.serviceId, id));
		if (used.value > 0) {
			throw invalidState(say(m.srv2_service_has_subscriptions), {
				subscriptions: used.value
			});
		}
		await tx.delete(services).where(eq(services.id, id));
		await changed(tx, actor, {
			action: 'catalog.service.delete',
			entityType: 'service',
			entityId: id,
			details: { slug: service.slug }
		});
		return toDeletedServiceView(id);
	});
}

/** Live subscriptions per service (the editor shows which services are in use). */
export async function liveSubscriptionsByService(db: DbOrTx, serviceIds: string[]) {
	if (serviceIds.length === 0) return new Map<string, number>();
	const rows = await db
		.select({ serviceId: subscriptions.serviceId, live: count() })
		.from(subscriptions)
		.where(and(inArray(subscriptions.serviceId, serviceIds), LIVE))
		.groupBy(subscriptions.serviceId);
	return new Map(rows.map((row) => [row.serviceId, row.live]));
}
