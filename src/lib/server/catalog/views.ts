// What customers see of the catalog: built here only, never a raw row, so a new column (an
// image registry credential, a security setting) is never sent by accident. Each view has
// its zod schema beside it; procedures declare it with `.output()`, which also strips any
// field a view did not list.
import { z } from 'zod';
import type { EnvTemplateEntry, Service, ServiceCategory, ServicePlan } from '../db/schema';
import { BACKUP_SCHEDULES, ENVIRONMENT_KINDS, PLAN_TYPES, type Locale } from '$lib/statuses';
import { sentenceLocale } from '../sentences';
import { categoryTexts, environmentText, localized, planTexts, serviceTexts } from './localize';
import { planPromiseLines } from './plan-features';
import { availableSlots } from './slots';

export const planViewSchema = z.object({
	id: z.string(),
	serviceId: z.string(),
	name: z.string(),
	planType: z.enum(PLAN_TYPES),
	description: z.string().nullable(),
	monthlyPrice: z.number(),
	cpuMilli: z.number(),
	memoryMb: z.number(),
	storageGb: z.number(),
	bandwidthGb: z.number(),
	/** The plan's custom domains and backups (from its fields), then its marketing lines. */
	features: z.array(z.string()),
	customDomainsAllowed: z.number(),
	backupSchedule: z.enum(BACKUP_SCHEDULES),
	backupRetention: z.number(),
	isActive: z.boolean(),
	isPopular: z.boolean(),
	totalQuota: z.number(),
	usedQuota: z.number(),
	availableQuota: z.number(),
	soldOut: z.boolean()
});
export type PlanView = z.infer<typeof planViewSchema>;

/**
 * What the cluster can give whatever the plan says (without the snapshot API, no backups), and
 * the language the customer reads (the request's unless given).
 */
export type PlanViewOptions = { backups?: boolean; locale?: Locale };

export function toPlanView(plan: ServicePlan, options: PlanViewOptions = {}): PlanView {
	const locale = options.locale ?? sentenceLocale();
	const texts = planTexts(plan, locale);
	const availableQuota = availableSlots(plan);
	// A cluster without the snapshot API cannot keep a backup promise: the plan is shown without one.
	const backups =
		options.backups === false
			? { backupSchedule: 'NONE' as const, backupRetention: 0 }
			: { backupSchedule: plan.backupSchedule, backupRetention: plan.backupRetention };
	return {
		id: plan.id,
		serviceId: plan.serviceId,
		name: plan.name,
		planType: plan.planType,
		description: texts.description,
		monthlyPrice: plan.monthlyPrice,
		cpuMilli: plan.cpuMilli,
		memoryMb: plan.memoryMb,
		storageGb: plan.storageGb,
		bandwidthGb: plan.bandwidthGb,
		features: [...planPromiseLines({ ...plan, ...backups }, locale), ...texts.features],
		customDomainsAllowed: plan.customDomainsAllowed,
		...backups,
		isActive: plan.isActive,
		isPopular: plan.isPopular,
		totalQuota: plan.totalQuota,
		usedQuota: plan.usedQuota,
		availableQuota,
		soldOut: availableQuota === 0
	};
}

export const categoryViewSchema = z.object({
	id: z.string(),
	name: z.string(),
	slug: z.string(),
	description: z.string().nullable(),
	icon: z.string().nullable(),
	serviceCount: z.number()
});
export type CategoryView = z.infer<typeof categoryViewSchema>;

export function toCategoryView(category: ServiceCategory, serviceCount: number, locale: Locale = sentenceLocale()): CategoryView {
	const texts = categoryTexts(category, locale);
	return {
		id: category.id,
		name: texts.name,
		slug: category.slug,
		description: texts.description,
		icon: category.icon,
		serviceCount
	};
}

export const serviceSummarySchema = z.object({
	id: z.string(),
	slug: z.string(),
	name: z.string(),
	description: z.string(),
	icon: z.string().nullable(),
	version: z.string(),
	tags: z.array(z.string()),
	isFeatured: z.boolean(),
	category: z.object({ slug: z.string(), name: z.string() }),
	planCount: z.number(),
	startingPrice: z.number().nullable(),
	availableSlots: z.number(),
	soldOut: z.boolean()
});
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;

/** A catalog card: the app, its category, its cheapest price and the slots left on its active plans. */
export function toServiceSummary(
	service: Pick<Service, 'id' | 'slug' | 'name' | 'description' | 'icon' | 'version' | 'tags' | 'isFeatured' | 'translations'>,
	category: Pick<ServiceCategory, 'slug' | 'name' | 'translations'>,
	plans: Pick<ServicePlan, 'monthlyPrice' | 'totalQuota' | 'usedQuota'>[],
	locale: Locale = sentenceLocale()
): ServiceSummary {
	const { description } = localized({ description: service.description }, service.translations, locale);
	const categoryName = localized({ name: category.name }, category.translations, locale).name;
	const prices = plans.map((p) => p.monthlyPrice);
	const available = plans.reduce((sum, p) => sum + availableSlots(p), 0);
	return {
		id: service.id,
		slug: service.slug,
		name: service.name,
		description,
		icon: service.icon,
		version: service.version,
		tags: service.tags,
		isFeatured: service.isFeatured,
		category: { slug: category.slug, name: categoryName },
		planCount: plans.length,
		startingPrice: prices.length ? Math.min(...prices) : null,
		availableSlots: available,
		soldOut: plans.length > 0 && available === 0
	};
}

const environmentEntrySchema = z.object({
	name: z.string(),
	description: z.string().nullable(),
	kind: z.enum(ENVIRONMENT_KINDS)
});

/** Customers see which settings exist, never how secrets are produced. */
function toEnvironmentEntry(service: Service, entry: EnvTemplateEntry, locale: Locale): z.infer<typeof environmentEntrySchema> {
	return {
		name: entry.name,
		description: environmentText(service, entry, locale),
		kind: entry.secret ? 'generated secret' : entry.derived ? 'set by MinisPod' : 'preset'
	};
}

export const serviceDetailSchema = z.object({
	id: z.string(),
	slug: z.string(),
	name: z.string(),
	description: z.string(),
	longDescription: z.string().nullable(),
	icon: z.string().nullable(),
	version: z.string(),
	healthCheckPath: z.string(),
	tags: z.array(z.string()),
	websiteUrl: z.string().nullable(),
	isFeatured: z.boolean(),
	environment: z.array(environmentEntrySchema),
	category: categoryViewSchema.omit({ serviceCount: true }),
	plans: z.array(planViewSchema)
});
export type ServiceDetail = z.infer<typeof serviceDetailSchema>;

/** The app's page: what it is, its settings (without how secrets are made) and its active plans. */
export function toServiceDetail(
	service: Service,
	category: ServiceCategory,
	plans: ServicePlan[],
	options: PlanViewOptions = {}
): ServiceDetail {
	const locale = options.locale ?? sentenceLocale();
	const texts = serviceTexts(service, locale);
	const categoryView = categoryTexts(category, locale);
	return {
		id: service.id,
		slug: service.slug,
		name: service.name,
		description: texts.description,
		longDescription: texts.longDescription,
		icon: service.icon,
		version: service.version,
		healthCheckPath: service.healthCheckPath,
		tags: service.tags,
		websiteUrl: service.websiteUrl,
		isFeatured: service.isFeatured,
		environment: service.envTemplate.map((entry) => toEnvironmentEntry(service, entry, locale)),
		category: {
			id: category.id,
			name: categoryView.name,
			slug: category.slug,
			description: categoryView.description,
			icon: category.icon
		},
		plans: plans.map((plan) => toPlanView(plan, { ...options, locale }))
	};
}
