// What the catalog editor's procedures return, built here only, with the zod schema beside
// each view (admin/catalog-router.ts checks them with `.output()`), so a column added to a
// catalog table never reaches the panel by accident.
import { z } from 'zod';
import type { EnvTemplateEntry, Service, ServiceCategory, ServicePlan } from '../db/schema';
import { BACKUP_SCHEDULES, COMPANION_ENGINES, PLAN_TYPES, SAFE_SYSCTLS } from '$lib/statuses';
import { envEntryInput, type EnvEntryInput } from './editor-schemas';
import type { PlanPreview } from './preview';
import { availableSlots } from './service';

/** An entry's texts in the languages besides English, as stored (a text left out shows in English). */
const translationsSchema = <Shape extends z.ZodRawShape>(texts: Shape) => z.object({ id: z.object(texts).partial().optional() });
const categoryTranslationsSchema = translationsSchema({ name: z.string(), description: z.string() });
const serviceTranslationsSchema = translationsSchema({
	description: z.string(),
	longDescription: z.string(),
	firstRunSteps: z.array(z.string()),
	environment: z.record(z.string(), z.string())
});
const planTranslationsSchema = translationsSchema({ description: z.string(), features: z.array(z.string()) });

export const editorCategorySchema = z.object({
	id: z.string(),
	name: z.string(),
	slug: z.string(),
	description: z.string().nullable(),
	icon: z.string().nullable(),
	sortOrder: z.number(),
	isVisible: z.boolean(),
	serviceCount: z.number(),
	translations: categoryTranslationsSchema
});
export const editorCategoryListSchema = z.array(editorCategorySchema);

export function toEditorCategoryView(category: ServiceCategory, serviceCount = 0) {
	return {
		id: category.id,
		name: category.name,
		slug: category.slug,
		description: category.description,
		icon: category.icon,
		sortOrder: category.sortOrder,
		isVisible: category.isVisible,
		serviceCount: Number(serviceCount),
		translations: category.translations
	};
}

/** A stored environment entry in the editor's form (which source the value comes from). */
export function toEnvEntryInput(entry: EnvTemplateEntry): EnvEntryInput {
	const base = { name: entry.name, description: entry.description ?? null };
	if (entry.secret) {
		return {
			...base,
			source: 'secret',
			secretLength: entry.secret.length,
			secretEncoding: entry.secret.encoding ?? 'alphanumeric'
		};
	}
	if (entry.derived) return { ...base, source: 'minispod', derived: entry.derived };
	if (entry.companion) return { ...base, source: 'companion', companionField: entry.companion };
	return { ...base, source: 'preset', value: entry.value ?? '' };
}

export const editorPlanSchema = z.object({
	id: z.string(),
	serviceId: z.string(),
	planType: z.enum(PLAN_TYPES),
	name: z.string(),
	description: z.string().nullable(),
	monthlyPrice: z.number(),
	cpuMilli: z.number(),
	memoryMb: z.number(),
	storageGb: z.number(),
	bandwidthGb: z.number(),
	totalQuota: z.number(),
	usedQuota: z.number(),
	availableQuota: z.number(),
	/** Live subscribers of the plan, grants included: the ones a new price is announced to. */
	liveSubscriptions: z.number(),
	features: z.array(z.string()),
	customDomainsAllowed: z.number(),
	backupSchedule: z.enum(BACKUP_SCHEDULES),
	backupRetention: z.number(),
	isPopular: z.boolean(),
	isActive: z.boolean(),
	sortOrder: z.number(),
	translations: planTranslationsSchema
});

export function toEditorPlanView(plan: ServicePlan, subscribers = { live: 0 }) {
	return {
		id: plan.id,
		serviceId: plan.serviceId,
		planType: plan.planType,
		name: plan.name,
		description: plan.description,
		monthlyPrice: plan.monthlyPrice,
		cpuMilli: plan.cpuMilli,
		memoryMb: plan.memoryMb,
		storageGb: plan.storageGb,
		bandwidthGb: plan.bandwidthGb,
		totalQuota: plan.totalQuota,
		usedQuota: plan.usedQuota,
		availableQuota: availableSlots(plan),
		liveSubscriptions: Number(subscribers.live),
		features: plan.features,
		customDomainsAllowed: plan.customDomainsAllowed,
		backupSchedule: plan.backupSchedule,
		backupRetention: plan.backupRetention,
		isPopular: plan.isPopular,
		isActive: plan.isActive,
		sortOrder: plan.sortOrder,
		translations: plan.translations
	};
}

export const serviceTemplateSchema = z.object({
	id: z.string(),
	name: z.string(),
	slug: z.string(),
	categoryId: z.string(),
	description: z.string(),
	longDescription: z.string().nullable(),
	icon: z.string().nullable(),
	websiteUrl: z.string().nullable(),
	version: z.string(),
	dockerImage: z.string(),
	defaultPort: z.number(),
	healthCheckPath: z.string(),
	dataMountPath: z.string(),
	podSecurityLevel: z.enum(['restricted', 'baseline']),
	runAsUser: z.number().nullable(),
	readOnlyRootFilesystem: z.boolean(),
	writablePaths: z.array(z.string()),
	sysctls: z.array(z.object({ name: z.enum(SAFE_SYSCTLS), value: z.string() })),
	envTemplate: z.array(envEntryInput),
	firstRunSteps: z.array(z.string()),
	companionDatabase: z.object({ engine: z.enum(COMPANION_ENGINES) }).nullable(),
	tags: z.array(z.string()),
	isFeatured: z.boolean(),
	isPublic: z.boolean(),
	isActive: z.boolean(),
	sortOrder: z.number(),
	translations: serviceTranslationsSchema
});

/** Every field of a template as the editor shows it. */
export function toServiceTemplateView(service: Service) {
	return {
		id: service.id,
		name: service.name,
		slug: service.slug,
		categoryId: service.categoryId,
		description: service.description,
		longDescription: service.longDescription,
		icon: service.icon,
		websiteUrl: service.websiteUrl,
		version: service.version,
		dockerImage: service.dockerImage,
		defaultPort: service.defaultPort,
		healthCheckPath: service.healthCheckPath,
		dataMountPath: service.dataMountPath,
		podSecurityLevel: service.podSecurityLevel as 'restricted' | 'baseline',
		runAsUser: service.runAsUser,
		readOnlyRootFilesystem: service.readOnlyRootFilesystem,
		writablePaths: service.writablePaths,
		sysctls: service.sysctls,
		envTemplate: service.envTemplate.map(toEnvEntryInput),
		firstRunSteps: service.firstRunSteps,
		companionDatabase: service.companionDatabase ?? null,
		tags: service.tags,
		isFeatured: service.isFeatured,
		isPublic: service.isPublic,
		isActive: service.isActive,
		sortOrder: service.sortOrder,
		translations: service.translations
	};
}

export const serviceRowSchema = z.object({
	id: z.string(),
	name: z.string(),
	slug: z.string(),
	icon: z.string().nullable(),
	version: z.string(),
	category: z.object({ id: z.string(), name: z.string() }),
	isPublic: z.boolean(),
	isFeatured: z.boolean(),
	plans: z.number(),
	liveSubscriptions: z.number()
});
export const serviceRowListSchema = z.array(serviceRowSchema);

export function toServiceRowView(
	service: Service,
	category: Pick<ServiceCategory, 'id' | 'name'>,
	counts: { plans: number; liveSubscriptions: number }
) {
	return {
		id: service.id,
		name: service.name,
		slug: service.slug,
		icon: service.icon,
		version: service.version,
		category,
		isPublic: service.isPublic,
		isFeatured: service.isFeatured,
		plans: Number(counts.plans),
		liveSubscriptions: Number(counts.liveSubscriptions)
	};
}

export const serviceEditorSchema = z.object({
	service: serviceTemplateSchema,
	plans: z.array(editorPlanSchema),
	liveSubscriptions: z.number(),
	/** Whether it was ever subscribed to: then it can only be hidden, not deleted. */
	inUse: z.boolean()
});

/** One template in full with its plans, as the editor's service page shows it. */
export function toServiceEditorView(
	service: Service,
	plans: { plan: ServicePlan; live: number }[],
	counts: { liveSubscriptions: number; everSubscribed: number }
): z.infer<typeof serviceEditorSchema> {
	return {
		service: toServiceTemplateView(service),
		plans: plans.map((row) => toEditorPlanView(row.plan, row)),
		liveSubscriptions: Number(counts.liveSubscriptions),
		inUse: Number(counts.everSubscribed) > 0
	};
}

export const deletedServiceSchema = z.object({ id: z.string(), deleted: z.literal(true) });

export function toDeletedServiceView(id: string): z.infer<typeof deletedServiceSchema> {
	return { id, deleted: true };
}

export const planPreviewListSchema = z.array(
	z.object({ planId: z.string().nullable(), planName: z.string(), yaml: z.string(), problems: z.array(z.string()) })
);

/** The generated objects of each plan, as YAML with what is wrong with them. */
export function toPlanPreviewViews(previews: PlanPreview[]): z.infer<typeof planPreviewListSchema> {
	return previews.map(({ planId, planName, yaml, problems }) => ({ planId, planName, yaml, problems }));
}

export const planUpdateSchema = z.object({
	plan: editorPlanSchema,
	/** Subscribers told the new price (it applies from their next renewal). */
	pricesAnnounced: z.number(),
	/** Subscribers who keep what they were sold (resources, custom domains, backups). */
	termsKept: z.number(),
	/** People on the waiting list offered a slot the edit freed. */
	offered: z.number()
});

export function toPlanUpdateView(
	plan: ServicePlan,
	effects: { pricesAnnounced: number; termsKept: number },
	offered: number
): z.infer<typeof planUpdateSchema> {
	return {
		plan: toEditorPlanView(plan),
		pricesAnnounced: effects.pricesAnnounced,
		termsKept: effects.termsKept,
		offered
	};
}
