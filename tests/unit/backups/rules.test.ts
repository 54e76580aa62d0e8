import { describe, expect, it } from 'vitest';
import { backupSize, beyondRetention, isBackupDue, snapshotName } from '../../../src/lib/server/backups/rules';

const at = (iso: string) => new Date(iso);

describe('backup rules', () => {
	it('makes a backup due by the plan schedule, none for NONE', () => {
		const now = at('2026-11-25T10:00:00Z');
		expect(isBackupDue('NONE', undefined, now)).toBe(false);
		expect(isBackupDue('HOURLY', undefined, now)).toBe(true);
		expect(isBackupDue('HOURLY', at('2026-11-25T09:30:00Z'), now)).toBe(false);
		// A sweep a few seconds early still counts the hour.
		expect(isBackupDue('HOURLY', at('2026-11-25T09:00:30Z'), now)).toBe(true);
		expect(isBackupDue('DAILY', at('2026-11-25T09:00:00Z'), now)).toBe(false);
		expect(isBackupDue('DAILY', at('2026-11-24T10:00:00Z'), now)).toBe(true);
	});

	it('lets go of the oldest beyond the retention, keeping at least the newest', () => {
		const rows = [1, 3, 2, 4].map((hour) => ({ id: hour, createdAt: at(`2026-11-25T0${hour}:00:00Z`) }));
		expect(beyondRetention(rows, 2).map((row) => row.id)).toEqual([2, 1]);
		expect(beyondRetention(rows, 0).map((row) => row.id)).toEqual([3, 2, 1]);
		expect(beyondRetention(rows, 10)).toEqual([]);
	});

	it('names snapshots after the claim and the backup, and sums sizes only when all are known', () => {
		expect(snapshotName('blog-data', '0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d')).toBe('blog-data-backup-0a1b2c3d4e5f');
		expect(backupSize([{ restoreSize: '1Gi' }, { restoreSize: '512Mi' }])).toBe(1.5 * 2 ** 30);
		expect(backupSize([{ restoreSize: '1Gi' }, {}])).toBeNull();
		expect(backupSize([])).toBeNull();
	});
});
