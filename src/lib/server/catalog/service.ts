// The service catalog: categories, services with their plans, search and slot availability.
import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { prepared, type DbOrTx } from '../db/client';
import { serviceCategories, servicePlans, services, type ServicePlan } from '../db/schema';
import { notFound } from '../errors';
import type { Locale } from '$lib/statuses';
import { toCategoryView, toServiceDetail, toServiceSummary, type PlanViewOptions } from './views';

export { availableSlots } from './slots';

/**
 * A service a customer can buy: active, public and with at least one active plan (a new
 * service without one would show an empty page with nothing to buy).
 */
const visibleService = and(
	eq(services.isActive, true),
	eq(services.isPublic, true),
	sql`EXISTS (SELECT 1 FROM ${servicePlans} WHERE ${servicePlans.serviceId} = ${services.id} AND ${servicePlans.isActive})`
);
/** A service customers see: visible itself and in a visible category (queries join the category). */
const listedService = and(visibleService, eq(serviceCategories.isVisible, true));

export async function listCategories(db: DbOrTx, locale?: Locale) {
	const rows = await db
		.select({ category: serviceCategories, serviceCount: count(services.id) })
		.from(serviceCategories)
		.leftJoin(services, and(eq(services.categoryId, serviceCategories.id), visibleService))
		.where(eq(serviceCategories.isVisible, true))
		.groupBy(serviceCategories.id)
		.orderBy(asc(serviceCategories.sortOrder), asc(serviceCategories.name));
	return rows.map(({ category, serviceCount }) => toCategoryView(category, serviceCount, locale));
}

export type ServiceFilter = { categorySlug?: string; q?: string; featured?: boolean };

/** `%term%` with LIKE wildcards in the term taken literally. */
export function likePattern(term: string): string {
	return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * What a catalog card shows (toServiceSummary), and no more: the service, its category, and
 * its active plans' prices and slots gathered in the same statement (one round trip).
 */
const summaryColumns = {
	service: {
		id: services.id,
		slug: services.slug,
		name: services.name,
		description: services.description,
		icon: services.icon,
		version: services.version,
		tags: services.tags,
		isFeatured: services.isFeatured,
		translations: services.translations
	},
	category: { slug: serviceCategories.slug, name: serviceCategories.name, translations: serviceCategories.translations },
	plans: sql<PlanSlots[]>`(SELECT coalesce(json_agg(json_build_object('monthlyPrice', ${servicePlans.monthlyPrice},
		'totalQuota', ${servicePlans.totalQuota}, 'usedQuota', ${servicePlans.usedQuota})), '[]') FROM ${servicePlans}
		WHERE ${servicePlans.serviceId} = ${services.id} AND ${servicePlans.isActive})`
};
type PlanSlots = Pick<ServicePlan, 'monthlyPrice' | 'totalQuota' | 'usedQuota'>;

const listedServices = (db: DbOrTx, conditions: (SQL | undefined)[]) =>
	db
		.select(summaryColumns)
		.from(services)
		.innerJoin(serviceCategories, eq(services.categoryId, serviceCategories.id))
		.where(and(...conditions))
		.orderBy(asc(services.sortOrder), asc(services.name));

/** The whole catalog, as most catalog views ask for it: prepared. */
const allListedServices = (db: DbOrTx) => listedServices(db, [listedService]).prepare('catalog_services');

/** The listed services' cards in a language (the request's unless given). */
export async function listServices(db: DbOrTx, filter: ServiceFilter = {}, locale?: Locale) {
	const conditions: (SQL | undefined)[] = [listedService];
	if (filter.categorySlug) conditions.push(eq(serviceCategories.slug, filter.categorySlug));
	if (filter.featured !== undefined) conditions.push(eq(services.isFeatured, filter.featured));
	const terms = (filter.q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8);
	for (const term of terms) {
		const pattern = likePattern(term);
		conditions.push(
			or(
				ilike(services.name, pattern),
				ilike(services.description, pattern),
				ilike(sql`coalesce(${services.longDescription}, '')`, pattern),
				ilike(sql`array_to_string(${services.tags}, ' ')`, pattern),
				ilike(serviceCategories.name, pattern),
				// A customer may search in either language, whichever the page is in.
				ilike(
					sql`concat_ws(' ', ${services.translations}->'id'->>'description', ${services.translations}->'id'->>'longDescription', ${serviceCategories.translations}->'id'->>'name')`,
					pattern
				)
			)
		);
	}

	const rows =
		conditions.length === 1
			? await prepared(db, 'catalog_services', allListedServices).execute()
			: await listedServices(db, conditions);
	return rows.map(({ service, category, plans }) => toServiceSummary(service, category, plans, locale));
}

/**
 * How many services customers see in the catalog (`listed`, as `listServices` lists them),
 * and how many more there are that they do not: retired, private, without an active plan,
 * uncategorised, or in a hidden category (`unlisted`).
 */
export async function countListedServices(db: DbOrTx) {
	const [row] = await db
		.select({ all: count(), listed: sql<number>`count(*) FILTER (WHERE ${listedService})`.mapWith(Number) })
		.from(services)
		.leftJoin(serviceCategories, eq(services.categoryId, serviceCategories.id));
	return { listed: row.listed, unlisted: row.all - row.listed };
}

/** The app's page; `options.backups` false (a cluster without the snapshot API) shows its plans without backups. */
export async function getService(db: DbOrTx, slug: string, options: PlanViewOptions = {}) {
	const [row] = await db
		.select({ service: services, category: serviceCategories })
		.from(services)
		.innerJoin(serviceCategories, eq(services.categoryId, serviceCategories.id))
		.where(and(eq(services.slug, slug), listedService));
	if (!row) throw notFound('Service');
	const plans = await db
		.select()
		.from(servicePlans)
		.where(and(eq(servicePlans.serviceId, row.service.id), eq(servicePlans.isActive, true)))
		.orderBy(asc(servicePlans.planType), asc(servicePlans.sortOrder));
	return toServiceDetail(row.service, row.category, plans, options);
}
