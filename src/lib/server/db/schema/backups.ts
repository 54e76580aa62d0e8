// Backups of an app: CSI VolumeSnapshots of every claim of the instance (its own volume and
// a companion database's, found by the instance label), taken together as one backup.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
// Relative, not $lib: drizzle-kit loads the schema without the app's aliases.
import { BACKUP_KINDS, BACKUP_STATUSES, RESTORE_STATUSES, type RestoreStep } from '../../../statuses';
import { createdAt, updatedAt } from './columns';
import { users } from './accounts';
import { serviceInstances } from './instances';
import type { InstanceReason } from '../../instances/reasons';

export const backupKindEnum = pgEnum('backup_kind', BACKUP_KINDS);
export const backupStatusEnum = pgEnum('backup_status', BACKUP_STATUSES);
export const restoreStatusEnum = pgEnum('restore_status', RESTORE_STATUSES);

/** One claim's snapshot in a backup, as last seen on the cluster. */
export type BackupSnapshot = {
	/** The PersistentVolumeClaim it is a snapshot of. */
	claim: string;
	/** The VolumeSnapshot's name (in the backup's namespace). */
	snapshot: string;
	/** The bound VolumeSnapshotContent (cluster-scoped), once the snapshot controller made it. */
	content?: string;
	/** status.restoreSize of the snapshot, a quantity such as "2Gi". */
	restoreSize?: string;
	readyToUse: boolean;
};

export const backups = pgTable(
	'backups',
	{
		id: uuid().primaryKey().defaultRandom(),
		instanceId: uuid()
			.notNull()
			.references(() => serviceInstances.id, { onDelete: 'cascade' }),
		/** Denormalised owner, so ownership checks need no join. */
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: backupKindEnum().notNull(),
		status: backupStatusEnum().notNull().default('PENDING'),
		/** The namespace the snapshots are in (the app's). */
		namespace: text().notNull(),
		snapshots: jsonb().$type<BackupSnapshot[]>().notNull().default([]),
		/** The sum of the snapshots' restoreSize in bytes, once every one is known. */
		sizeBytes: bigint({ mode: 'number' }),
		/** Every snapshot is readyToUse: the backup can be restored. */
		readyToUse: boolean().notNull().default(false),
		/** Why it failed, in English (rows from before error_text show it as it is). */
		error: text(),
		/** The same as a message key and its parameters, read in each viewer's language. */
		errorText: jsonb().$type<InstanceReason>(),
		readyAt: timestamp({ withTimezone: true }),
		/** When it is deleted whatever the retention (a termination's backup: 7 days). */
		expiresAt: timestamp({ withTimezone: true }),
		deletedAt: timestamp({ withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		index('backups_instance_idx').on(t.instanceId, t.createdAt),
		index('backups_expires_idx')
			.on(t.expiresAt)
			.where(sql`${t.status} <> 'DELETED'`),
		check('backups_size_non_negative', sql`${t.sizeBytes} IS NULL OR ${t.sizeBytes} >= 0`)
	]
);

/**
 * A restore of an app from one of its backups: new claims made from the backup's snapshots,
 * the app switched to them, the claims it ran on before kept until the owner keeps the
 * restored data or undoes it (or 24 hours pass). The job works through `step`, each step
 * idempotent, so a restore interrupted anywhere resumes where it was.
 */
export const restores = pgTable(
	'restores',
	{
		id: uuid().primaryKey().defaultRandom(),
		instanceId: uuid()
			.notNull()
			.references(() => serviceInstances.id, { onDelete: 'cascade' }),
		/** Denormalised owner, so ownership checks need no join. */
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		backupId: uuid()
			.notNull()
			.references(() => backups.id, { onDelete: 'cascade' }),
		/** Who asked for it: the owner, or an administrator. */
		requestedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		status: restoreStatusEnum().notNull().default('RESTORING'),
		step: text().$type<RestoreStep>().notNull().default('stop'),
		/** The volume suffix the app ran on before (null: its first claims). */
		previousSuffix: text(),
		/** The suffix of the claims made from the backup. */
		restoredSuffix: text().notNull(),
		/** Whether the app was running before and is started again afterwards. */
		startAfter: boolean().notNull(),
		/** Why it failed (and was switched back), when it did, in English (rows from before error_text show it as it is). */
		error: text(),
		/** The same reason as a message key and its parameters, read in each viewer's language. */
		errorText: jsonb().$type<InstanceReason>(),
		restoredAt: timestamp({ withTimezone: true }),
		/** When the old claims are deleted if the owner has not decided (the billing clock's time). */
		keepOldUntil: timestamp({ withTimezone: true }),
		decidedAt: timestamp({ withTimezone: true }),
		createdAt: createdAt(),
		updatedAt: updatedAt()
	},
	(t) => [
		index('restores_instance_idx').on(t.instanceId, t.createdAt),
		// One restore at a time per app: a new one only once the last is kept, undone or failed.
		uniqueIndex('restores_one_open_idx')
			.on(t.instanceId)
			.where(sql`${t.status} IN ('RESTORING', 'RESTORED', 'UNDOING')`)
	]
);
