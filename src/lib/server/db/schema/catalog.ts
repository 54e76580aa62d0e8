// Catalog: categories, app templates (services) and their plans.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import {
	BACKUP_SCHEDULES,
	PLAN_TYPES,
	type CompanionEngine,
	type CompanionField,
	type Locale,
	type SafeSysctl
} from '../../../statuses';
import { createdAt, updatedAt, money } from './columns';

/**
 * A catalog entry's texts in other languages. Its own columns hold them in English, the
 * catalog's base language; `translations.id` holds the Indonesian ones. A text left out (or
 * empty) is shown in English (catalog/localize.ts).
 */
export type Translations<Texts> = Partial<Record<Exclude<Locale, 'en'>, Texts>>;
export type CategoryTexts = { name?: string; description?: string };
export type ServiceTexts = {
	description?: string;
	longDescription?: string;
	firstRunSteps?: string[];
	/** The description of an environment variable, by its name. */
	environment?: Record<string, string>;
};
export type PlanTexts = { description?: string; features?: string[] };

export const serviceCategories = pgTable('service_categories', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull().unique(),
	slug: text().notNull().unique(),
	description: text(),
	icon: text(),
	sortOrder: integer().notNull().default(0),
	/** A hidden category and its services are left out of the catalog. */
	isVisible: boolean().notNull().default(true),
	translations: jsonb().$type<Translations<CategoryTexts>>().notNull().default({}),
	createdAt: createdAt(),
	updatedAt: updatedAt()
});

/**
 * One environment variable of a service template. Exactly one source applies:
 * a literal `value`, a `secret` generated once per instance, or a value `derived`
 * from the instance (its public URL, host name, ...).
 */
export type EnvTemplateEntry = {
	name: string;
	description?: string;
	value?: string;
	secret?: { length: number; encoding?: 'hex' | 'base64url' | 'alphanumeric' };
	derived?: 'PUBLIC_URL' | 'PUBLIC_HOST' | 'INSTANCE_NAME' | 'DATA_DIR';
	/** A value of the template's companion database (its password and URL go in the Secret). */
	companion?: CompanionField;
};

/** A namespaced kernel setting of the app's pod, from the safe set ($lib/statuses SAFE_SYSCTLS). */
export type PodSysctl = { name: SafeSysctl; value: string };

/** A database provisioned beside the app in its namespace (kube/companion.ts builds it). */
export type CompanionDatabase = { engine: CompanionEngine };

export const services = pgTable(
	'services',
	{
		id: uuid().primaryKey().defaultRandom(),
		name: text().notNull(),
		slug: text().notNull().unique(),
		description: text().notNull(),
		longDescription: text(),
		icon: text(),
		version: text().notNull(),
		dockerImage: text().notNull(),
		defaultPort: integer().notNull(),
		healthCheckPath: text().notNull().default('/'),
		/** Where the app keeps its data; the plan's volume is mounted here. */
		dataMountPath: text().notNull().default('/data'),
		/**
		 * Pod Security level the image can run under. Customer namespaces enforce
		 * "restricted"; a template that cannot ("baseline") runs in a namespace of its own.
		 */
		podSecurityLevel: text().notNull().default('restricted'),
		/** UID/GID the image runs as (used for securityContext and volume ownership). */
		runAsUser: integer(),
		/** The app runs with a read-only root filesystem (its writable paths get emptyDirs). */
		readOnlyRootFilesystem: boolean().notNull().default(false),
		/** Paths the app writes outside its data volume (temp files, caches): an emptyDir each. */
		writablePaths: text()
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/**
		 * Kernel settings of the app's pod, from the safe set Pod Security allows under
		 * "restricted" (e.g. net.ipv4.ip_unprivileged_port_start, so an image's web server binds
		 * port 80 as a non-root user).
		 */
		sysctls: jsonb().$type<PodSysctl[]>().notNull().default([]),
		categoryId: uuid()
			.notNull()
			.references(() => serviceCategories.id),
		envTemplate: jsonb().$type<EnvTemplateEntry[]>().notNull().default([]),
		/** The database the app needs beside it (null: none), with its own volume and credentials. */
		companionDatabase: jsonb().$type<CompanionDatabase | null>(),
		/** What to do after the app first starts (make the first account, ...), one step each, shown on the instance page. */
		firstRunSteps: text()
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		tags: text()
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		websiteUrl: text(),
		isActive: boolean().notNull().default(true),
		isPublic: boolean().notNull().default(true),
		isFeatured: boolean().notNull().default(false),
		sortOrder: integer().notNull().default(0),
		translations: jsonb().$type<Translations<ServiceTexts>>().notNull().default({}),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		index('services_category_idx').on(t.categoryId),
		check('services_default_port_range', sql`${t.defaultPort} BETWEEN 1 AND 65535`),
		check('services_pod_security_level', sql`${t.podSecurityLevel} IN ('restricted', 'baseline')`)
	]
);

/** Tiers in upgrade order: a subscription may only move to a later one. */
export const planTypeEnum = pgEnum('plan_type', PLAN_TYPES);

export const backupScheduleEnum = pgEnum('backup_schedule', BACKUP_SCHEDULES);

export const servicePlans = pgTable(
	'service_plans',
	{
		id: uuid().primaryKey().defaultRandom(),
		serviceId: uuid()
			.notNull()
			.references(() => services.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		planType: planTypeEnum().notNull(),
		description: text(),
		monthlyPrice: money().notNull(),
		cpuMilli: integer().notNull(),
		memoryMb: integer().notNull(),
		storageGb: integer().notNull(),
		bandwidthGb: integer().notNull().default(0),
		/** Slots the servers can hold for this plan. */
		totalQuota: integer().notNull(),
		/** Slots held by live subscriptions. */
		usedQuota: integer().notNull().default(0),
		/** Marketing lines; what MinisPod implements (domains, backups) is in the fields below instead. */
		features: jsonb().$type<string[]>().notNull().default([]),
		/** Custom domains an app on this plan may serve besides its own address. */
		customDomainsAllowed: integer().notNull().default(0),
		backupSchedule: backupScheduleEnum().notNull().default('NONE'),
		/** Scheduled backups kept (the oldest beyond this are deleted). */
		backupRetention: integer().notNull().default(0),
		isActive: boolean().notNull().default(true),
		isPopular: boolean().notNull().default(false),
		sortOrder: integer().notNull().default(0),
		translations: jsonb().$type<Translations<PlanTexts>>().notNull().default({}),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		uniqueIndex('service_plans_service_type_unique').on(t.serviceId, t.planType),
		// Target of the subscriptions' (service, plan) foreign key.
		unique('service_plans_service_id_unique').on(t.serviceId, t.id),
		check('service_plans_price_non_negative', sql`${t.monthlyPrice} >= 0`),
		check('service_plans_quota_bounds', sql`${t.usedQuota} >= 0 AND ${t.usedQuota} <= ${t.totalQuota}`),
		check('service_plans_custom_domains_non_negative', sql`${t.customDomainsAllowed} >= 0`),
		check('service_plans_backup_retention_non_negative', sql`${t.backupRetention} >= 0`),
		check('service_plans_resources_positive', sql`${t.cpuMilli} > 0 AND ${t.memoryMb} > 0 AND ${t.storageGb} > 0`)
	]
);

/**
 * What the seed has put in the catalog once, by key (`category:<slug>`, `service:<slug>`,
 * `plan:<service slug>:<tier>`). A later MinisPod adds the seeded entries it has not offered
 * yet and leaves alone the ones it has: an operator's edits stay, and an entry the operator
 * deleted is not brought back (seed/index.ts).
 */
export const catalogSeedEntries = pgTable('catalog_seed_entries', {
	key: text().primaryKey(),
	seededAt: createdAt()
});
