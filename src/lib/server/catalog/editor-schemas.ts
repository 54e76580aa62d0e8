// What the catalog editor accepts: categories, service templates (every field the
// manifests read) and plans, with their texts in Indonesian, each field checked with a
// sentence that names it.
import { z } from 'zod';
import type { EnvTemplateEntry, Translations } from '../db/schema';
import {
	BACKUP_SCHEDULES,
	COMPANION_ENGINES,
	COMPANION_FIELDS,
	PLAN_TYPES,
	SAFE_SYSCTLS,
	type BackupSchedule,
	type PlanType
} from '$lib/statuses';
import { promisesAField } from './plan-features';
import { idSchema, reasonSchema, rupiahSchema, wholeNumberSchema } from '../validation';
import { slugSchema } from './schemas';
import { m } from '$lib/paraglide/messages';
import { render, say, says, type Sentence } from '../sentences';

/** A required text: `enter` is its sentence when it is missing. */
const text = (enter: ReturnType<typeof says>, max: number) =>
	z.string(enter).trim().min(1, enter).max(max, says(m.srv2_max_chars, { max }));
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max, says(m.srv2_max_chars, { max }))
		.nullish()
		.transform((value) => value || null);

/**
 * Each line of a list at most `max` characters; a longer one is refused by its number
 * ("Step 3: …"), as the form shows the list in one field.
 */
const eachLineAtMost =
	(max: number, tooLong: (line: number) => Sentence) => (lines: string[], context: z.RefinementCtx<string[]>) =>
		lines.forEach((line, index) => {
			if (line.length > max) context.addIssue({ code: 'custom', path: [index], message: render(tooLong(index + 1)) });
		});

const SYSCTL_VALUE = /^[A-Za-z0-9 ,._-]{1,100}$/;
const SAFE_SYSCTL_NAMES = new Set<string>(SAFE_SYSCTLS);
/** A line as the refusal quotes it: what was typed, cut short if it runs on. */
const quoted = (entry: string) => (entry.length > 60 ? `${entry.slice(0, 59)}…` : entry);

/**
 * The pod's sysctls, which the editor takes one `name=value` a line: each refusal names its
 * line and what is on it ("Line 3: net.ipv4.foo is not allowed"), as the form shows the list
 * in one field. Only what passes is typed as the safe set.
 */
const sysctlLines = z
	.array(z.object({ name: z.string().trim(), value: z.string().trim() }))
	.max(SAFE_SYSCTLS.length, says(m.srv2_at_most_sysctls, { max: SAFE_SYSCTLS.length }))
	.superRefine((sysctls, context) => {
		const names = sysctls.map((sysctl) => sysctl.name);
		sysctls.forEach(({ name, value }, index) => {
			const line = index + 1;
			const refuse = (field: 'name' | 'value', sentence: Sentence) =>
				context.addIssue({ code: 'custom', path: [index, field], message: render(sentence) });
			if (!SAFE_SYSCTL_NAMES.has(name))
				refuse(
					'name',
					say(m.txt18_sysctl_not_allowed, { line, name: quoted(name || `=${value}`), list: SAFE_SYSCTLS.join(', ') })
				);
			else if (!SYSCTL_VALUE.test(value))
				refuse('value', say(m.txt18_sysctl_value, { line, entry: quoted(value ? `${name}=${value}` : name) }));
			else if (names.indexOf(name) !== index)
				refuse('name', say(m.txt18_sysctl_twice, { line, name, first: names.indexOf(name) + 1 }));
		});
	})
	.pipe(z.array(z.object({ name: z.enum(SAFE_SYSCTLS), value: z.string() })))
	.default([]);

// -- Texts in other languages ------------------------------------------------------------------

type Present<Texts> = { [Key in keyof Texts]?: Exclude<Texts[Key], null> };

/** The texts given, without the empty ones: an empty text or list is not stored, so the English one shows. */
function present<Texts extends Record<string, unknown>>(texts: Texts): Present<Texts> {
	const isEmpty = (value: unknown) =>
		value === null || value === undefined || value === '' || (typeof value === 'object' && Object.keys(value).length === 0);
	return Object.fromEntries(Object.entries(texts).filter(([, value]) => !isEmpty(value))) as Present<Texts>;
}

/**
 * An entry's texts in the languages besides English, the catalog's base language (only
 * Indonesian, `id`), each checked as its English field is. Stored without the empty ones (the
 * customer then reads the English text, catalog/localize.ts). Given on an update, they replace
 * the entry's translations as a whole; left out, they are kept.
 */
const translated = <Texts extends z.ZodType<Record<string, unknown>>>(texts: Texts) =>
	z.strictObject({ id: texts.optional() }).transform(({ id }): Translations<Present<z.output<Texts>>> => {
		const indonesian = id ? present(id) : {};
		return Object.keys(indonesian).length > 0 ? { id: indonesian } : {};
	});

// -- Categories ----------------------------------------------------------------------------

const categoryTexts = z.object({ name: optionalText(60), description: optionalText(300) });

export const categoryInput = z.object({
	name: text(says(m.srv2_enter_name), 60),
	slug: slugSchema,
	description: optionalText(300),
	icon: optionalText(60),
	translations: translated(categoryTexts).optional()
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
			.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, says(m.srv2_env_name_chars))
			.max(128, says(m.srv2_max_chars, { max: 128 })),
		description: optionalText(200),
		source: z.enum(ENV_SOURCES, says(m.srv2_env_source)),
		value: z.string().max(4_000, says(m.srv2_env_value_max)).optional(),
		derived: z.enum(DERIVED_VALUES, says(m.srv2_env_derived)).optional(),
		secretLength: z
			.number()
			.int()
			.min(8, says(m.srv2_min_chars, { min: 8 }))
			.max(256, says(m.srv2_max_chars, { max: 256 }))
			.optional(),
		secretEncoding: z.enum(SECRET_ENCODINGS).optional(),
		/** Which value of the companion database (source 'companion'). */
		companionField: z.enum(COMPANION_FIELDS, says(m.srv2_env_companion_field)).optional()
	})
	.superRefine((entry, context) => {
		if (entry.source === 'companion' && entry.companionField === undefined) {
			context.addIssue({ code: 'custom', path: ['companionField'], message: render(say(m.srv2_env_companion_field)) });
		}
		if (entry.source === 'minispod' && !entry.derived) {
			context.addIssue({ code: 'custom', path: ['derived'], message: render(say(m.srv2_env_derived)) });
		}
		if (entry.source === 'secret' && entry.secretLength === undefined) {
			context.addIssue({ code: 'custom', path: ['secretLength'], message: render(say(m.srv2_secret_length)) });
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
	.max(255, says(m.srv2_max_chars, { max: 255 }))
	.regex(
		/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
		says(m.srv2_image_reference)
	)
	.refine((image) => /@sha256:/.test(image) || /:[\w][\w.-]*$/.test(image.split('/').at(-1) ?? ''), says(m.srv2_image_pin))
	.refine((image) => !/:latest(@|$)/.test(image), says(m.srv2_image_not_latest));

const absolutePath = (refusal: ReturnType<typeof says>) =>
	z
		.string()
		.trim()
		.regex(/^\/[^\s]*$/, refusal)
		.max(255, says(m.srv2_max_chars, { max: 255 }));

const firstRunSteps = z
	.array(z.string().trim().min(1))
	.max(10, says(m.srv2_at_most_steps, { max: 10 }))
	.superRefine(eachLineAtMost(500, (line) => say(m.txt10d_step_max, { line, max: 500 })));

/** A service's customer-facing texts in another language; environment descriptions by variable name. */
const serviceTexts = z.object({
	description: optionalText(300),
	longDescription: optionalText(5_000),
	firstRunSteps: firstRunSteps.optional(),
	environment: z
		.record(z.string(), optionalText(200))
		.transform((descriptions) => present(descriptions) as Record<string, string>)
		.optional()
});

export const serviceFields = z
	.object({
		name: text(says(m.srv2_enter_name), 80),
		slug: slugSchema,
		categoryId: idSchema,
		description: text(says(m.srv2_enter_short_description), 300),
		longDescription: optionalText(5_000),
		icon: optionalText(300),
		/** A link for people to open: a web address (no `javascript:`, `data:` or other scheme), or none. */
		websiteUrl: z
			.httpUrl(says(m.txt11b_web_url))
			.max(300, says(m.srv2_max_chars, { max: 300 }))
			.nullish()
			.or(z.literal(''))
			.transform((value) => value || null),
		version: text(says(m.srv2_enter_pinned_version), 60),
		dockerImage: imageSchema,
		defaultPort: z
			.number(says(m.srv2_enter_port))
			.int(says(m.srv2_whole_number))
			.min(1, says(m.srv2_port_range))
			.max(65_535, says(m.srv2_port_range)),
		healthCheckPath: absolutePath(says(m.srv2_absolute_path)),
		dataMountPath: absolutePath(says(m.srv2_absolute_directory)),
		podSecurityLevel: z.enum(['restricted', 'baseline'], says(m.srv2_pod_security)),
		runAsUser: z
			.number(says(m.srv2_user_id_min))
			.int(says(m.srv2_whole_number))
			.min(1, says(m.srv2_user_id_min))
			.max(2_147_483_647, says(m.srv2_user_id_max))
			.nullable(),
		/** The container's root filesystem is read-only; the app writes only to its volume and `writablePaths`. */
		readOnlyRootFilesystem: z.boolean().default(false),
		/** Directories the app writes besides its volume (each an emptyDir), e.g. /tmp. */
		writablePaths: z
			.array(
				z
					.string()
					.trim()
					.regex(/^\/[A-Za-z0-9._/-]*$/, says(m.srv2_absolute_paths_like))
			)
			.max(10, says(m.srv2_at_most_writable_paths, { max: 10 }))
			.default([]),
		/** Kernel settings of the pod: only Kubernetes' safe sysctls, which Pod Security "restricted" allows. */
		sysctls: sysctlLines,
		envTemplate: z.array(envEntryInput).max(100, says(m.srv2_at_most_variables, { max: 100 })),
		/** What the customer does after the app first starts, one step each (shown on the instance page). */
		firstRunSteps: firstRunSteps.default([]),
		/** A database provisioned beside the app (kube/companion.ts), or none. */
		companionDatabase: z
			.object({ engine: z.enum(COMPANION_ENGINES, says(m.srv2_companion_engine)) })
			.nullable()
			.default(null),
		tags: z.array(z.string().trim().min(1).max(30, says(m.srv2_tag_max))).max(20, says(m.srv2_at_most_tags, { max: 20 })),
		isFeatured: z.boolean(),
		isPublic: z.boolean(),
		sortOrder: wholeNumberSchema(0, 100_000, says(m.txt12_sort_order_range, { min: 0, max: 100_000 })).default(0),
		translations: translated(serviceTexts).optional()
	})
	.superRefine((service, context) => {
		const names = service.envTemplate.map((entry) => entry.name);
		names.forEach((name, index) => {
			if (names.indexOf(name) !== index) {
				context.addIssue({
					code: 'custom',
					path: ['envTemplate', index, 'name'],
					message: render(say(m.srv2_env_twice, { name }))
				});
			}
		});
		service.envTemplate.forEach((entry, index) => {
			if (entry.source === 'companion' && !service.companionDatabase) {
				context.addIssue({
					code: 'custom',
					path: ['envTemplate', index, 'source'],
					message: render(say(m.srv2_companion_first))
				});
			}
		});
		for (const name of Object.keys(service.translations?.id?.environment ?? {})) {
			if (!names.includes(name)) {
				context.addIssue({
					code: 'custom',
					path: ['translations', 'id', 'environment', name],
					message: render(say(m.txt10b_env_description_unknown, { name }))
				});
			}
		}
	});

export type ServiceFields = z.output<typeof serviceFields>;

export const serviceCreateInput = serviceFields;
export const serviceUpdateInput = z.object({ id: idSchema, service: serviceFields });
export const serviceIdInput = z.object({ id: idSchema });
/** A preview of an unsaved template, for the plans of an existing service (or a sample plan). */
export const servicePreviewInput = z.object({ id: idSchema.optional(), service: serviceFields });

// -- Plans --------------------------------------------------------------------------------

const featureLines = z
	.array(
		z
			.string()
			.trim()
			.min(1)
			.refine((line) => !promisesAField(line), says(m.srv2_feature_not_field))
	)
	.max(20, says(m.srv2_at_most_features, { max: 20 }))
	.superRefine(eachLineAtMost(100, (line) => say(m.txt10d_feature_max, { line, max: 100 })));

const planTexts = z.object({ description: optionalText(300), features: featureLines.optional() });

export const planFields = z.object({
	name: text(says(m.srv2_enter_name), 60),
	description: optionalText(300),
	monthlyPrice: rupiahSchema.min(0, says(m.srv2_price_negative)),
	cpuMilli: wholeNumberSchema(10, 64_000, says(m.txt12_cpu_range, { min: 10, max: 64_000 })),
	memoryMb: wholeNumberSchema(32, 262_144, says(m.txt12_memory_range, { min: 32, max: 262_144 })),
	storageGb: wholeNumberSchema(1, 10_000, says(m.txt12_storage_range, { min: 1, max: 10_000 })),
	bandwidthGb: wholeNumberSchema(0, 1_000_000, says(m.txt12_bandwidth_range, { min: 0, max: 1_000_000 })),
	// The same sentence as the slots page's (subscriptions/schemas.ts).
	totalQuota: wholeNumberSchema(0, 100_000, says(m.txt11a_slots_range, { max: 100_000 })),
	features: featureLines,
	/** Left out: the database default (none) on a new plan, unchanged on an update. */
	customDomainsAllowed: wholeNumberSchema(0, 100, says(m.txt12_domains_range, { min: 0, max: 100 })).optional(),
	backupSchedule: z.enum(BACKUP_SCHEDULES, says(m.srv2_backup_schedule)).optional(),
	backupRetention: wholeNumberSchema(0, 1000, says(m.txt12_backups_kept_range, { min: 0, max: 1000 })).optional(),
	isPopular: z.boolean(),
	isActive: z.boolean(),
	sortOrder: wholeNumberSchema(0, 100_000, says(m.txt12_sort_order_range, { min: 0, max: 100_000 })),
	translations: translated(planTexts).optional()
});

/** What a plan offers that its price and backups must agree with. */
export type PlanOffer = {
	planType: PlanType;
	monthlyPrice: number;
	/** Left out on a new plan: the database default, no backups. */
	backupSchedule?: BackupSchedule;
	backupRetention?: number;
};

/**
 * The fields of a plan whose values contradict what it offers, each with its sentence: a free
 * tier that costs money, or backups that keep no copy (customers would read "Free" beside a
 * price, or "Daily backups" with nothing kept). Checked on a new plan and on the stored plan
 * with an update's changes (admin/catalog-plans.ts), as an update may change either side.
 */
export function planOfferProblems(plan: PlanOffer): { field: 'monthlyPrice' | 'backupRetention'; sentence: Sentence }[] {
	const problems: { field: 'monthlyPrice' | 'backupRetention'; sentence: Sentence }[] = [];
	if (plan.planType === 'FREE' && plan.monthlyPrice !== 0) {
		problems.push({ field: 'monthlyPrice', sentence: say(m.txt11b_free_plan_price) });
	}
	if ((plan.backupSchedule ?? 'NONE') !== 'NONE' && (plan.backupRetention ?? 0) < 1) {
		problems.push({ field: 'backupRetention', sentence: say(m.txt11b_backup_retention_min) });
	}
	return problems;
}

export const planCreateInput = planFields
	.extend({
		serviceId: idSchema,
		planType: z.enum(PLAN_TYPES, says(m.srv2_choose_tier)),
		sortOrder: planFields.shape.sortOrder.default(0)
	})
	.superRefine((plan, context) => {
		for (const { field, sentence } of planOfferProblems(plan)) {
			context.addIssue({ code: 'custom', path: [field], message: render(sentence) });
		}
	});
export const planUpdateInput = z.object({
	id: idSchema,
	plan: planFields.partial(),
	/** Told to subscribers when the price changes; kept in the audit log. */
	reason: reasonSchema.optional()
});

export type PlanFields = z.output<typeof planFields>;
