// What the catalog editor's procedures return, built here only.
import type { EnvTemplateEntry, Service, ServiceCategory, ServicePlan } from '../db/schema';
import type { EnvEntryInput } from './editor-schemas';
import { availableSlots } from './service';

export function toEditorCategoryView(category: ServiceCategory, serviceCount = 0) {
	return {
		id: category.id,
		name: category.name,
		slug: category.slug,
		description: category.description,
		icon: category.icon,
		sortOrder: category.sortOrder,
		isVisible: category.isVisible,
		serviceCount: Number(serviceCount)
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

export function toEditorPlanView(plan: ServicePlan, liveSubscriptions = 0) {
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
		liveSubscriptions: Number(liveSubscriptions),
		features: plan.features,
		customDomainsAllowed: plan.customDomainsAllowed,
		backupSchedule: plan.backupSchedule,
		backupRetention: plan.backupRetention,
		isPopular: plan.isPopular,
		isActive: plan.isActive,
		sortOrder: plan.sortOrder
	};
}

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
		envTemplate: service.envTemplate.map(toEnvEntryInput),
		firstRunSteps: service.firstRunSteps,
		companionDatabase: service.companionDatabase ?? null,
		tags: service.tags,
		isFeatured: service.isFeatured,
		isPublic: service.isPublic,
		isActive: service.isActive,
		sortOrder: service.sortOrder
	};
}

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
