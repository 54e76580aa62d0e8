// What customers and administrators see of an app instance: built here only, never a raw
// row, so its generated secrets (an ADMIN_TOKEN, a database password) and cluster internals
// are never sent by accident. Procedures declare these schemas with `.output()`, which also
// strips any field a view did not list.
import { z } from 'zod';
import type { EnvTemplateEntry, ProvisioningStep, ServiceInstance, ServicePlan, Service, Subscription } from '../db/schema';
import { INSTANCE_STATUSES, SUBSCRIPTION_STATUSES, type InstanceStatus, type Locale } from '$lib/statuses';
import type { InstanceAction } from './transitions';
import { displayImage, usageView } from './usage';
import { instanceReasonFor } from './reasons';
import { environmentText, serviceTexts } from '../catalog/localize';
import { sentenceLocale } from '../sentences';
import { isLive } from '../subscriptions/status';

const provisioningStepSchema = z.object({
	step: z.string(),
	status: z.enum(['pending', 'running', 'done', 'failed']),
	at: z.string(),
	message: z.string().optional()
});

export const instanceViewSchema = z.object({
	id: z.string(),
	subscriptionId: z.string(),
	name: z.string(),
	subdomain: z.string(),
	namespace: z.string(),
	podName: z.string().nullable(),
	status: z.enum(INSTANCE_STATUSES),
	statusReason: z.string().nullable(),
	provisioningSteps: z.array(provisioningStepSchema),
	healthStatus: z.string().nullable(),
	lastHealthCheck: z.date().nullable(),
	sslEnabled: z.boolean(),
	publicUrl: z.string().nullable(),
	adminUrl: z.string().nullable(),
	createdAt: z.date(),
	updatedAt: z.date(),
	lastStarted: z.date().nullable(),
	lastStopped: z.date().nullable()
});
export type InstanceView = z.infer<typeof instanceViewSchema>;

/**
 * States in which the app is not meant to serve: the last health check (often "healthy",
 * from before it stopped) says nothing about it then, so it is not shown.
 */
const NOT_SERVING: readonly InstanceStatus[] = [
	'PENDING',
	'PROVISIONING',
	'STOPPING',
	'STOPPED',
	'SUSPENDED',
	'TERMINATING',
	'TERMINATED'
];

/** A set-up step with what it says in the viewer's language; a step from before keys keeps its stored English. */
function stepView(step: ProvisioningStep, locale: Locale): z.infer<typeof provisioningStepSchema> {
	const message = instanceReasonFor(step.text ?? null, step.message ?? null, locale);
	return { step: step.step, status: step.status, at: step.at, ...(message ? { message } : {}) };
}

export function toInstanceView(instance: ServiceInstance): InstanceView {
	const serving = !NOT_SERVING.includes(instance.status);
	const locale = sentenceLocale();
	return {
		id: instance.id,
		subscriptionId: instance.subscriptionId,
		name: instance.name,
		subdomain: instance.subdomain,
		namespace: instance.namespace,
		podName: instance.podName,
		status: instance.status,
		statusReason: instanceReasonFor(instance.statusReasonText, instance.statusReason, locale),
		provisioningSteps: instance.provisioningSteps.map((step) => stepView(step, locale)),
		healthStatus: serving ? instance.healthStatus : null,
		lastHealthCheck: serving ? instance.lastHealthCheck : null,
		sslEnabled: instance.sslEnabled,
		publicUrl: instance.publicUrl,
		adminUrl: instance.adminUrl,
		createdAt: instance.createdAt,
		updatedAt: instance.updatedAt,
		lastStarted: instance.lastStarted,
		lastStopped: instance.lastStopped
	};
}

const limitsSchema = z.object({ cpuMilli: z.number(), memoryMb: z.number() });

/** The latest CPU and memory reading against the plan's limits, or why there is none. */
export const usageViewSchema = z.discriminatedUnion('state', [
	z.object({ state: z.literal('unknown') }),
	z.object({ state: z.literal('unavailable') }),
	z.object({ state: z.literal('measured'), at: z.date(), cpuMilli: z.number(), memoryMb: z.number(), limits: limitsSchema })
]);

/** The last day's readings, one point a minute (the usage chart). */
export const usageHistorySchema = z.array(z.object({ at: z.date(), cpuMilli: z.number(), memoryMb: z.number() }));

/** A customer's running apps together: use now against their plans' limits. */
export const usageTotalsSchema = z.object({
	apps: z.number(),
	measuredApps: z.number(),
	unavailable: z.boolean(),
	cpuMilli: z.number(),
	memoryMb: z.number(),
	limits: limitsSchema
});

const actionStateSchema = z.object({ allowed: z.boolean(), reason: z.string().nullable() });

export const instanceDetailSchema = instanceViewSchema.extend({
	subscription: z.object({ id: z.string(), status: z.enum(SUBSCRIPTION_STATUSES), endDate: z.date(), isGrant: z.boolean() }),
	plan: z.object({
		id: z.string(),
		name: z.string(),
		cpuMilli: z.number(),
		memoryMb: z.number(),
		storageGb: z.number(),
		bandwidthGb: z.number()
	}),
	service: z.object({ id: z.string(), slug: z.string(), name: z.string(), icon: z.string().nullable(), image: z.string() }),
	usage: usageViewSchema,
	/** How to get into the app: first-run steps and the names (never the values) of its generated secrets. */
	access: z.object({
		firstRunSteps: z.array(z.string()),
		secrets: z.array(z.object({ name: z.string(), description: z.string().nullable() }))
	}),
	actions: z.record(z.enum(['stop', 'start', 'restart', 'retry', 'repair']), actionStateSchema),
	/** Rupiah a retry takes from the credit now (a fresh month after a refunded failure), else 0. */
	retryCharge: z.number()
});
export type InstanceDetail = z.infer<typeof instanceDetailSchema>;

/** The instance page: the app, its plan's resources and the actions allowed now. */
export function toInstanceDetail(
	instance: ServiceInstance,
	related: { subscription: Subscription; plan: ServicePlan; service: Service; retryCharge: number },
	actions: Record<InstanceAction, { allowed: boolean; reason: string | null }>,
	locale: Locale = sentenceLocale()
): InstanceDetail {
	const { subscription, plan, service } = related;
	return {
		...toInstanceView(instance),
		subscription: {
			id: subscription.id,
			status: subscription.status,
			endDate: subscription.endDate,
			isGrant: subscription.isGrant
		},
		plan: {
			id: plan.id,
			name: plan.name,
			cpuMilli: plan.cpuMilli,
			memoryMb: plan.memoryMb,
			storageGb: plan.storageGb,
			bandwidthGb: plan.bandwidthGb
		},
		service: {
			id: service.id,
			slug: service.slug,
			name: service.name,
			icon: service.icon,
			image: displayImage(service.dockerImage)
		},
		usage: usageView(instance, plan),
		access: {
			firstRunSteps: serviceTexts(service, locale).firstRunSteps,
			secrets: service.envTemplate
				.filter((entry) => entry.secret && instance.generatedSecrets?.[entry.name] !== undefined)
				.map((entry) => ({ name: entry.name, description: environmentText(service, entry, locale) }))
		},
		actions,
		retryCharge: related.retryCharge
	};
}

export const instanceListItemSchema = instanceViewSchema.extend({
	service: z.object({ slug: z.string(), name: z.string(), icon: z.string().nullable() }),
	plan: z.object({ name: z.string() }),
	usage: usageViewSchema,
	/** When the app goes with its subscription, cancelled at the end of its period; none while it renews. */
	endsAt: z.date().nullable()
});
export type InstanceListItem = z.infer<typeof instanceListItemSchema>;

export function toInstanceListItem(
	instance: ServiceInstance,
	service: Service,
	plan: ServicePlan,
	subscription: Pick<Subscription, 'status' | 'cancelAtPeriodEnd' | 'endDate'>
): InstanceListItem {
	const ending = subscription.cancelAtPeriodEnd && isLive(subscription.status);
	return {
		...toInstanceView(instance),
		service: { slug: service.slug, name: service.name, icon: service.icon },
		plan: { name: plan.name },
		usage: usageView(instance, plan),
		endsAt: ending ? subscription.endDate : null
	};
}

/** What a retried set-up returns: the instance and what the retry charged. */
export const retryResultSchema = z.object({ instance: instanceViewSchema, charged: z.number() });

/** A generated secret as its owner reads it after re-entering their password: only the reveal returns values. */
export const revealedSecretsSchema = z.object({
	secrets: z.array(z.object({ name: z.string(), description: z.string().nullable(), value: z.string() }))
});
export type RevealedSecrets = z.infer<typeof revealedSecretsSchema>;

/** The instance's generated secrets in the order of its template, each with the template's description. */
export function toRevealedSecrets(envTemplate: EnvTemplateEntry[], secrets: Record<string, string>): RevealedSecrets {
	return {
		secrets: envTemplate
			.filter((entry) => entry.secret && secrets[entry.name] !== undefined)
			.map((entry) => ({ name: entry.name, description: entry.description ?? null, value: secrets[entry.name] }))
	};
}
