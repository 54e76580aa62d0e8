// The service catalog: categories, services with their plans, search and slot availability.
import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { serviceCategories, servicePlans, services } from '../db/schema';
import { notFound } from '../errors';
import { toCategoryView, toServiceDetail, toServiceSummary, type PlanViewOptions } from './views';

export { availableSlots } from './slots';

const visibleService = and(eq(services.isActive, true), eq(services.isPublic, true));
/** A service customers see: visible itself and in a visible category (queries join the category). */
const listedService = and(visibleService, eq(serviceCategories.isVisible, true));

export async function listCategories(db: DbOrTx) {
	const rows = await db
		.select({ category: serviceCategories, serviceCount: count(services.id) })
		.from(serviceCategories)
		.leftJoin(services, and(eq(services.categoryId, serviceCategories.id), visibleService))
		.where(eq(serviceCategories.isVisible, true))
		.groupBy(serviceCategories.id)
		.orderBy(asc(serviceCategories.sortOrder), asc(serviceCategories.name));
	return rows.map(({ category, serviceCount }) => toCategoryView(category, serviceCount));
}

export type ServiceFilter = { categorySlug?: string; q?: string; featured?: boolean };

/** `%term%` with LIKE wildcards in the term taken literally. */
export function likePattern(term: string): string {
	return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listServices(db: DbOrTx, filter: ServiceFilter = {}) {
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
				ilike(serviceCategories.name, pattern)
			)
		);
	}

	const rows = await db
		.select({ service: services, category: serviceCategories })
		.from(services)
		.innerJoin(serviceCategories, eq(services.categoryId, serviceCategories.id))
		.where(and(...conditions))
		.orderBy(asc(services.sortOrder), asc(services.name));
	if (rows.length === 0) return [];

	const plans = await db
		.select()
		.from(servicePlans)
		.where(
			and(
				inArray(
					servicePlans.serviceId,
					rows.map((r) => r.service.id)
				),
				eq(servicePlans.isActive, true)
			)
		);

	return rows.map(({ service, category }) =>
		toServiceSummary(
			service,
			category,
			plans.filter((p) => p.serviceId === service.id)
		)
	);
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
