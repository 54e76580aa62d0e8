// What procedures return about backups: built here only, never a raw row (snapshot and
// content names stay on the server).
import { z } from 'zod';
import { BACKUP_KINDS, BACKUP_SCHEDULES, BACKUP_STATUSES } from '$lib/statuses';
import type { Backup } from '../db/schema';

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

export const backupListSchema = z.object({
	/** False on a cluster without the snapshot API: nothing can be backed up there. */
	available: z.boolean(),
	schedule: z.enum(BACKUP_SCHEDULES),
	retention: z.number(),
	backups: z.array(backupViewSchema)
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
		error: backup.error,
		createdAt: backup.createdAt,
		readyAt: backup.readyAt,
		expiresAt: backup.expiresAt
	};
}
