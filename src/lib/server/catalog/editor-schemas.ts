// What the catalog editor accepts: categories, service templates (every field the
// manifests read) and plans, each field checked with a sentence that names it.
import { z } from 'zod';
import type { EnvTemplateEntry } from '../db/schema';
import { BACKUP_SCHEDULES, COMPANION_ENGINES, COMPANION_FIELDS, PLAN_TYPES, SAFE_SYSCTLS } from '$lib/statuses';
import { promisesAField } from './plan-features';
import { idSchema, reasonSchema, rupiahSchema } from '../validation';
import { slugSchema } from './schemas';

const text = (label: string, max: number) =>
	z
		.string({ error: `Enter ${label}` })
		.trim()
		.min(1, `Enter ${label}`)
		.max(max, `Use at most ${max} characters`);
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, `Use at most ${max} characters`)
		.nullish()
		.transform((value) => value || null);

// -- Categories ----------------------------------------------------------------------------

export const categoryInput = z.object({
	name: text('a name', 60),
	slug: slugSchema,
	description: optionalText(300),
	icon: optionalText(60)
});
export const categoryUpdateInput = categoryInput.partial().extend({ id: idSchema, isVisible: z.boolean().optional() });
export const categoryOrderInput = z.object({ ids: z.array(idSchema).min(1).max(500) });

// -- Service templates ------------------------------------------------------------------------

export const ENV_SOURCES = ['preset', 'minispod', 'secret', 'companion'] as const;
export const DERIVED_VALUES = ['PUBLIC_URL', 'PUBLIC_HOST', 'INSTANCE_NAME', 'DATA_DIR'] as const;
export const SECRET_ENCODINGS = ['alphanumeric', 'hex', 'base64url'] as const;

/**
 * One environment variable and where its value comes from: preset in the template, set by
 * MinisPod from the instance, or a secret generated once per instance.
 */
export const envEntryInput = z
	.object({
		name: z
			.string()
			.trim()
			.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Use letters, digits and underscores, not starting with a digit')
			.max(128, 'Use at most 128 characters'),
		description: optionalText(200),
		source: z.enum(ENV_SOURCES, { error: 'Choose where the value comes from' }),
		value: z.string().max(4_000, 'Keep the value under 4000 characters').optional(),
		derived: z.enum(DERIVED_VALUES, { error: 'Choose what MinisPod sets' }).optional(),
		secretLength: z.number().int().min(8, 'Use at least 8 characters').max(256, 'Use at most 256 characters').optional(),
		secretEncoding: z.enum(SECRET_ENCODINGS).optional(),
		/** Which value of the companion database (source 'companion'). */
		companionField: z.enum(COMPANION_FIELDS, { error: 'Choose what of the database' }).optional()
	})
	.superRefine((entry, context) => {
		if (entry.source === 'companion' && entry.companionField === undefined) {
			context.addIssue({ code: 'custom', path: ['companionField'], message: 'Choose what of the database' });
		}
		if (entry.source === 'minispod' && !entry.derived) {
			context.addIssue({ code: 'custom', path: ['derived'], message: 'Choose what MinisPod sets' });
		}
		if (entry.source === 'secret' && entry.secretLength === undefined) {
			context.addIssue({ code: 'custom', path: ['secretLength'], message: 'Give the secret a length' });
		}
	});

export type EnvEntryInput = z.infer<typeof envEntryInput>;

/** The stored form: exactly one source per entry. */
export function toEnvTemplateEntry(entry: EnvEntryInput): EnvTemplateEntry {
	const base = { name: entry.name, ...(entry.description ? { description: entry.description } : {}) };
	switch (entry.source) {
		case 'preset':
			return { ...base, value: entry.value ?? '' };
		case 'minispod':
			return { ...base, derived: entry.derived! };
		case 'secret':
			return { ...base, secret: { length: entry.secretLength!, encoding: entry.secretEncoding ?? 'alphanumeric' } };
		case 'companion':
			return { ...base, companion: entry.companionField! };
	}
}

/** `repository[:tag][@digest]` with a tag or digest that pins a release (never `latest`). */
const imageSchema = z
	.string()
	.trim()
	.max(255, 'Use at most 255 characters')
	.regex(
		/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
		'Use an image reference like ghcr.io/owner/app:1.2.3'
	)
	.refine((image) => /@sha256:/.test(image) || /:[\w][\w.-]*$/.test(image.split('/').at(-1) ?? ''), 'Pin a tag or digest')
	.refine((image) => !/:latest(@|$)/.test(image), 'Pin a release tag, not latest');

const absolutePath = (label: string) =>
	z
		.string()
		.trim()
		.regex(/^\/[^\s]*$/, `Use an absolute ${label} starting with /`)
		.max(255, 'Use at most 255 characters');

export const serviceFields = z
	.object({
		name: text('a name', 80),
		slug: slugSchema,
		categoryId: idSchema,
		description: text('a short description', 300),
		longDescription: optionalText(5_000),
		icon: optionalText(300),
		websiteUrl: z
			.url('Use a full URL like https://example.org')
			.max(300)
			.nullish()
			.or(z.literal(''))
			.transform((value) => value || null),
		version: text('the pinned version', 60),
		dockerImage: imageSchema,
		defaultPort: z
			.number({ error: 'Enter a port' })
			.int('Use a whole number')
			.min(1, 'Use 1 to 65535')
			.max(65_535, 'Use 1 to 65535'),
		healthCheckPath: absolutePath('path'),
		dataMountPath: absolutePath('directory'),
		podSecurityLevel: z.enum(['restricted', 'baseline'], { error: 'Choose restricted or baseline' }),
		runAsUser: z
			.number()
			.int('Use a whole number')
			.min(1, 'Use a non-root user id (1 or more)')
			.max(2_147_483_647, 'That user id is too large')
			.nullable(),
		/** The container's root filesystem is read-only; the app writes only to its volume and `writablePaths`. */
		readOnlyRootFilesystem: z.boolean().default(false),
		/** Directories the app writes besides its volume (each an emptyDir), e.g. /tmp. */
		writablePaths: z
			.array(
				z
					.string()
					.trim()
					.regex(/^\/[A-Za-z0-9._/-]*$/, 'Use absolute paths like /tmp')
			)
			.max(10, 'At most 10 writable paths')
			.default([]),
		/** Kernel settings of the pod: only Kubernetes' safe sysctls, which Pod Security "restricted" allows. */
		sysctls: z
			.array(
				z.object({
					name: z.enum(SAFE_SYSCTLS, { error: `Use one of the safe sysctls: ${SAFE_SYSCTLS.join(', ')}` }),
					value: z
						.string()
						.trim()
						.regex(/^[A-Za-z0-9 ,._-]{1,100}$/, 'Use a value like 80 or "32768 60999"')
				})
			)
			.max(SAFE_SYSCTLS.length, `At most ${SAFE_SYSCTLS.length} sysctls`)
			.default([]),
		envTemplate: z.array(envEntryInput).max(100, 'At most 100 variables'),
		/** What the customer does after the app first starts, one step each (shown on the instance page). */
		firstRunSteps: z
			.array(z.string().trim().min(1).max(500, 'Keep each step under 500 characters'))
			.max(10, 'At most 10 steps')
			.default([]),
		/** A database provisioned beside the app (kube/companion.ts), or none. */
		companionDatabase: z
			.object({ engine: z.enum(COMPANION_ENGINES, { error: 'Choose PostgreSQL, MariaDB or Redis' }) })
			.nullable()
			.default(null),
		tags: z.array(z.string().trim().min(1).max(30, 'Keep tags under 30 characters')).max(20, 'At most 20 tags'),
		isFeatured: z.boolean(),
		isPublic: z.boolean(),
		sortOrder: z.number().int().min(0).max(100_000).default(0)
	})
	.superRefine((service, context) => {
		const sysctlNames = service.sysctls.map((sysctl) => sysctl.name);
		sysctlNames.forEach((name, index) => {
			if (sysctlNames.indexOf(name) !== index) {
				context.addIssue({ code: 'custom', path: ['sysctls', index, 'name'], message: `${name} is set twice` });
			}
		});
		const names = service.envTemplate.map((entry) => entry.name);
		names.forEach((name, index) => {
			if (names.indexOf(name) !== index) {
				context.addIssue({ code: 'custom', path: ['envTemplate', index, 'name'], message: `${name} is listed twice` });
			}
		});
		service.envTemplate.forEach((entry, index) => {
			if (entry.source === 'companion' && !service.companionDatabase) {
				context.addIssue({
					code: 'custom',
					path: ['envTemplate', index, 'source'],
					message: 'Choose a companion database first'
				});
			}
		});
	});

export type ServiceFields = z.output<typeof serviceFields>;

export const serviceCreateInput = serviceFields;
export const serviceUpdateInput = z.object({ id: idSchema, service: serviceFields });
export const serviceIdInput = z.object({ id: idSchema });
/** A preview of an unsaved template, for the plans of an existing service (or a sample plan). */
export const servicePreviewInput = z.object({ id: idSchema.optional(), service: serviceFields });

// -- Plans --------------------------------------------------------------------------------

export const planFields = z.object({
	name: text('a name', 60),
	description: optionalText(300),
	monthlyPrice: rupiahSchema.min(0, 'The price cannot be negative'),
	cpuMilli: z.number().int('Use whole millicores').min(10, 'At least 10 millicores').max(64_000, 'At most 64 cores'),
	memoryMb: z.number().int('Use whole MB').min(32, 'At least 32 MB').max(262_144, 'At most 256 GB'),
	storageGb: z.number().int('Use whole GB').min(1, 'At least 1 GB').max(10_000, 'At most 10 TB'),
	bandwidthGb: z.number().int('Use whole GB').min(0).max(1_000_000),
	totalQuota: z.number().int('Use a whole number').min(0, 'Use zero or more').max(100_000, 'At most 100000 slots'),
	features: z
		.array(
			z
				.string()
				.trim()
				.min(1)
				.max(100, 'Keep features under 100 characters')
				.refine((line) => !promisesAField(line), 'Custom domains and backups are set in their own fields, not as a feature')
		)
		.max(20, 'At most 20 features'),
	/** Left out: the database default (none) on a new plan, unchanged on an update. */
	customDomainsAllowed: z.number().int('Use a whole number').min(0, 'Use zero or more').max(100, 'At most 100').optional(),
	backupSchedule: z.enum(BACKUP_SCHEDULES, { error: 'Choose none, daily or hourly' }).optional(),
	backupRetention: z.number().int('Use a whole number').min(0, 'Use zero or more').max(1000, 'At most 1000').optional(),
	isPopular: z.boolean(),
	isActive: z.boolean(),
	sortOrder: z.number().int().min(0).max(100_000)
});

export const planCreateInput = planFields.extend({
	serviceId: idSchema,
	planType: z.enum(PLAN_TYPES, { error: 'Choose a tier' }),
	sortOrder: planFields.shape.sortOrder.default(0)
});
export const planUpdateInput = z.object({
	id: idSchema,
	plan: planFields.partial(),
	/** Told to subscribers when the price changes; kept in the audit log. */
	reason: reasonSchema.optional()
});

export type PlanFields = z.output<typeof planFields>;
