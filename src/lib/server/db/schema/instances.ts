// Instances on the cluster: apps, their usage samples and their status history.
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import { INSTANCE_STATUSES } from '../../../statuses';
import { createdAt, updatedAt } from './columns';
import { users } from './accounts';
import { subscriptions } from './billing';
import { services } from './catalog';
import type { InstanceReason } from '../../instances/reasons';

export const instanceStatusEnum = pgEnum('instance_status', INSTANCE_STATUSES);

export type ProvisioningStep = {
	step: string;
	status: 'pending' | 'running' | 'done' | 'failed';
	at: string;
	/** What the step is doing or why it failed, in English (steps from before `text` have only this). */
	message?: string;
	/** The same as a message key and its parameters, read in each viewer's language. */
	text?: InstanceReason;
};

export const serviceInstances = pgTable(
	'service_instances',
	{
		id: uuid().primaryKey().defaultRandom(),
		subscriptionId: uuid()
			.notNull()
			.references(() => subscriptions.id, { onDelete: 'cascade' }),
		/** Denormalised owner, so ownership checks need no join. */
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		subdomain: text().notNull().unique(),
		namespace: text().notNull(),
		podName: text(),
		serviceName: text(),
		ingressName: text(),
		deploymentName: text(),
		status: instanceStatusEnum().notNull().default('PENDING'),
		/** Human reason for the current status (why it is in ERROR, ...), in English. */
		statusReason: text(),
		/** The same reason as a message key and parameters, read in each viewer's language (null on older rows). */
		statusReasonText: jsonb().$type<InstanceReason>(),
		/**
		 * Which generation of volume claims the app runs on: null for its first, else the suffix
		 * of the claims a restore made from a backup (kube/names.ts).
		 */
		volumeSuffix: text(),
		/**
		 * The termination backup (backups.id) an administrator restores this app from: its claims
		 * are made from that backup's snapshots when it is set up; cleared when the backup is
		 * released (the app runs on its copies). No foreign key: backups reference instances.
		 */
		restoredFromBackupId: uuid(),
		provisioningSteps: jsonb().$type<ProvisioningStep[]>().notNull().default([]),
		healthStatus: text(),
		lastHealthCheck: timestamp({ withTimezone: true }),
		/** Non-secret environment as last applied. */
		envVars: jsonb().$type<Record<string, string>>(),
		/** Secrets generated once for this instance and kept across retries and upgrades. */
		generatedSecrets: jsonb().$type<Record<string, string>>(),
		sslEnabled: boolean().notNull().default(false),
		publicUrl: text(),
		adminUrl: text(),
		/**
		 * Latest CPU and memory use from the cluster's metrics API. Checked (`usageAt`) without
		 * numbers: the cluster has no metrics API.
		 */
		cpuUsageMilli: integer(),
		memoryUsageMb: integer(),
		usageAt: timestamp({ withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt(),
		lastStarted: timestamp({ withTimezone: true }),
		lastStopped: timestamp({ withTimezone: true })
	},
	(t) => [
		index('service_instances_subscription_idx').on(t.subscriptionId),
		index('service_instances_user_idx').on(t.userId),
		index('service_instances_status_idx').on(t.status),
		// The operations view: every app, newest first.
		index('service_instances_created_idx').on(t.createdAt)
	]
);

/** One minute's CPU and memory use of an instance, kept for a day (the usage chart). */
export const instanceUsageSamples = pgTable(
	'instance_usage_samples',
	{
		instanceId: uuid()
			.notNull()
			.references(() => serviceInstances.id, { onDelete: 'cascade' }),
		/** The minute the sample belongs to. */
		sampledAt: timestamp({ withTimezone: true }).notNull(),
		cpuMilli: integer().notNull(),
		memoryMb: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.instanceId, t.sampledAt] }), index('instance_usage_samples_sampled_idx').on(t.sampledAt)]
);

/**
 * Every status an instance entered, with the one it left: the history the operations view
 * and analytics read (provisioning attempts and their time to RUNNING, control actions).
 */
export const instanceEvents = pgTable(
	'instance_events',
	{
		id: uuid().primaryKey().defaultRandom(),
		instanceId: uuid()
			.notNull()
			.references(() => serviceInstances.id, { onDelete: 'cascade' }),
		/** The instance's service (it never changes), so usage per service needs no joins. */
		serviceId: uuid()
			.notNull()
			.references(() => services.id),
		status: instanceStatusEnum().notNull(),
		previousStatus: instanceStatusEnum(),
		/** When the instance entered the status it left (how long it stayed there). */
		previousSince: timestamp({ withTimezone: true }),
		reason: text(),
		reasonText: jsonb().$type<InstanceReason>(),
		createdAt: createdAt()
	},
	(t) => [
		index('instance_events_instance_idx').on(t.instanceId, t.createdAt),
		index('instance_events_status_created_idx').on(t.status, t.createdAt)
	]
);
