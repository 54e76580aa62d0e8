// The service catalog: categories, services with their plans, search and slot availability.
import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { serviceCategories, servicePlans, services, type ServicePlan } from '../db/schema';
import { notFound } from '../errors';

export type PlanView = ServicePlan & { availableQuota: number; soldOut: boolean };

/** Slots left on a plan; never negative. */
export function availableSlots(plan: Pick<ServicePlan, 'totalQuota' | 'usedQuota'>): number {
	return Math.max(0, plan.totalQuota - plan.usedQuota);
}

export function toPlanView(plan: ServicePlan): PlanView {
	const availableQuota = availableSlots(plan);
	return { ...plan, availableQuota, soldOut: availableQuota === 0 };
}

const visibleService = and(eq(services.isActive, true), eq(services.isPublic, true));
/** A service customers see: visible itself and in a visible category (queries join the category). */
const listedService = and(visibleService, eq(serviceCategories.isVisible, true));

export async function listCategories(db: DbOrTx) {
	return db
		.select({
			id: serviceCategories.id,
			name: serviceCategories.name,
			slug: serviceCategories.slug,
			description: serviceCategories.description,
			icon: serviceCategories.icon,
			serviceCount: count(services.id)
		})
		.from(serviceCategories)
		.leftJoin(services, and(eq(services.categoryId, serviceCategories.id), visibleService))
		.where(eq(serviceCategories.isVisible, true))
		.groupBy(serviceCategories.id)
		.orderBy(asc(serviceCategories.sortOrder), asc(serviceCategories.name));
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

	return rows.map(({ service, category }) => {
		const own = plans.filter((p) => p.serviceId === service.id);
		const prices = own.map((p) => p.monthlyPrice);
		const available = own.reduce((sum, p) => sum + availableSlots(p), 0);
		return {
			id: service.id,
			slug: service.slug,
			name: service.name,
			description: service.description,
			icon: service.icon,
			version: service.version,
			tags: service.tags,
			isFeatured: service.isFeatured,
			category: { slug: category.slug, name: category.name },
			planCount: own.length,
			startingPrice: prices.length ? Math.min(...prices) : null,
			availableSlots: available,
			soldOut: own.length > 0 && available === 0
		};
	});
}

export async function getService(db: DbOrTx, slug: string) {
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
	const { envTemplate, ...service } = row.service;
	return {
		...service,
		// Customers see which settings exist, never how secrets are produced.
		environment: envTemplate.map((entry) => ({
			name: entry.name,
			description: entry.description ?? null,
			kind: entry.secret ? 'generated secret' : entry.derived ? 'set by MinisPod' : 'preset'
		})),
		category: row.category,
		plans: plans.map(toPlanView)
	};
}
