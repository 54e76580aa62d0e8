// What procedures return about backups: built here only, never a raw row (snapshot and
// content names stay on the server).
import { z } from 'zod';
import { BACKUP_KINDS, BACKUP_SCHEDULES, BACKUP_STATUSES, RESTORE_STATUSES, RESTORE_STEPS } from '$lib/statuses';
import type { Backup, Restore } from '../db/schema';
import { instanceReasonFor } from '../instances/reasons';
import { sentenceLocale } from '../sentences';

export const backupViewSchema = z.object({
	id: z.string(),
	instanceId: z.string(),
	kind: z.enum(BACKUP_KINDS),
	status: z.enum(BACKUP_STATUSES),
	/** Bytes, once every snapshot's restoreSize is known. */
	sizeBytes: z.number().nullable(),
	readyToUse: z.boolean(),
	/** How many volumes it holds (the app's, and its companion database's). */
	volumes: z.number(),
	error: z.string().nullable(),
	createdAt: z.date(),
	readyAt: z.date().nullable(),
	expiresAt: z.date().nullable()
});
export type BackupView = z.infer<typeof backupViewSchema>;

export const restoreViewSchema = z.object({
	id: z.string(),
	instanceId: z.string(),
	backupId: z.string(),
	status: z.enum(RESTORE_STATUSES),
	/** The step being worked on (RESTORING, UNDOING); 'done' after. */
	step: z.enum(RESTORE_STEPS),
	/** Why it failed (the app was switched back to its previous data). */
	error: z.string().nullable(),
	createdAt: z.date(),
	restoredAt: z.date().nullable(),
	/** Until when the previous data is kept while RESTORED. */
	keepOldUntil: z.date().nullable(),
	decidedAt: z.date().nullable()
});
export type RestoreView = z.infer<typeof restoreViewSchema>;

export function toRestoreView(restore: Restore): RestoreView {
	return {
		id: restore.id,
		instanceId: restore.instanceId,
		backupId: restore.backupId,
		status: restore.status,
		step: restore.step,
		// In the reader's language when the row has a key; rows from before keys read as written.
		error: instanceReasonFor(restore.errorText, restore.error, sentenceLocale()),
		createdAt: restore.createdAt,
		restoredAt: restore.restoredAt,
		keepOldUntil: restore.keepOldUntil,
		decidedAt: restore.decidedAt
	};
}

export const backupListSchema = z.object({
	/** False on a cluster without the snapshot API: nothing can be backed up there. */
	available: z.boolean(),
	/** The app is suspended: it cannot be backed up or restored until it is reactivated. */
	suspended: z.boolean(),
	schedule: z.enum(BACKUP_SCHEDULES),
	retention: z.number(),
	backups: z.array(backupViewSchema),
	/** The app's newest restore: its progress, or the choice to keep or undo it. */
	restore: restoreViewSchema.nullable()
});

export function toBackupView(backup: Backup): BackupView {
	return {
		id: backup.id,
		instanceId: backup.instanceId,
		kind: backup.kind,
		status: backup.status,
		sizeBytes: backup.sizeBytes,
		readyToUse: backup.readyToUse,
		volumes: backup.snapshots.length,
		error: instanceReasonFor(backup.errorText, backup.error, sentenceLocale()),
		createdAt: backup.createdAt,
		readyAt: backup.readyAt,
		expiresAt: backup.expiresAt
	};
}

/** A terminated app an administrator can restore now, from its termination backup. */
export const restorableTerminationSchema = z.object({
	backupId: z.string(),
	subscriptionId: z.string(),
	instanceId: z.string(),
	name: z.string(),
	userId: z.string(),
	customer: z.string(),
	service: z.string(),
	terminatedAt: z.date(),
	/** The backup is deleted then, and the app can no longer be restored. */
	expiresAt: z.date()
});
export type RestorableTermination = z.infer<typeof restorableTerminationSchema>;

export function toRestorableTermination(row: RestorableTermination): RestorableTermination {
	return {
		backupId: row.backupId,
		subscriptionId: row.subscriptionId,
		instanceId: row.instanceId,
		name: row.name,
		userId: row.userId,
		customer: row.customer,
		service: row.service,
		terminatedAt: row.terminatedAt,
		expiresAt: row.expiresAt
	};
}

export const restoreTerminatedResultSchema = z.object({
	subscriptionId: z.string(),
	instanceId: z.string(),
	backupId: z.string()
});
