// The pure rules of backups: when a plan's schedule makes the next one due, which backups
// the retention lets go, how snapshots are named and how big a backup is.
import type { BackupSchedule } from '$lib/statuses';
import { parseQuantity } from '../kube/quantity';

const HOUR_MS = 3_600_000;

export { TERMINATION_BACKUP_DAYS } from '$lib/backups';

/** How long the volumes an app ran on before a restore are kept when its owner does not decide. */
export const KEEP_OLD_CLAIMS_HOURS = 24;

/** How long after a backup is asked for its snapshots are given to become ready before it fails. */
export const BACKUP_TIMEOUT_MS = 30 * 60_000;

/** How often a schedule backs an app up; undefined for none. */
export function scheduleInterval(schedule: BackupSchedule): number | undefined {
	if (schedule === 'HOURLY') return HOUR_MS;
	if (schedule === 'DAILY') return 24 * HOUR_MS;
	return undefined;
}

/**
 * Whether a scheduled backup is due at `now`: the schedule has an interval and the last
 * scheduled backup (if any) is at least that old. A minute of slack keeps a sweep that runs
 * a little early from skipping a whole interval.
 */
export function isBackupDue(schedule: BackupSchedule, lastScheduledAt: Date | undefined, now: Date): boolean {
	const interval = scheduleInterval(schedule);
	if (interval === undefined) return false;
	if (!lastScheduledAt) return true;
	return now.getTime() - lastScheduledAt.getTime() >= interval - 60_000;
}

/** The scheduled backups beyond the retention (newest `retention` kept), given newest first. */
export function beyondRetention<T extends { createdAt: Date }>(newestFirst: T[], retention: number): T[] {
	const sorted = [...newestFirst].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
	return sorted.slice(Math.max(retention, 1));
}

/** A VolumeSnapshot's name: the claim's, with the backup's id (a DNS subdomain well under 253). */
export function snapshotName(claim: string, backupId: string): string {
	return `${claim}-backup-${backupId.replace(/-/g, '').slice(0, 12)}`;
}

/** The backup's size in bytes, once every snapshot's restoreSize is known. */
export function backupSize(snapshots: { restoreSize?: string }[]): number | null {
	if (snapshots.length === 0 || snapshots.some((snapshot) => !snapshot.restoreSize)) return null;
	return snapshots.reduce((total, snapshot) => total + parseQuantity(snapshot.restoreSize!), 0);
}
