// Why a restore or a backup failed, as the backups panel reads it: a keyed reason in the viewer's
// language, a row from before keys with its stored English.
import { describe, expect, it } from 'vitest';
import type { Backup, Restore } from '../../../src/lib/server/db/schema';
import { toBackupView, toRestoreView } from '../../../src/lib/server/backups/views';
import { instanceReason, renderInstanceReason } from '../../../src/lib/server/instances/reasons';
import { clusterReason } from '../../../src/lib/server/provisioning/attempts';
import type { Locale } from '../../../src/lib/statuses';
import { inLocale } from '../../support/locale';

const at = new Date('2026-11-01T03:00:00Z');
const failed = (columns: Pick<Restore, 'error' | 'errorText'>) =>
	({
		id: 'r',
		instanceId: 'i',
		userId: 'u',
		backupId: 'b',
		status: 'FAILED',
		step: 'done',
		restoredSuffix: 'r1',
		previousSuffix: null,
		startAfter: true,
		restoredAt: null,
		keepOldUntil: null,
		decidedAt: at,
		createdAt: at,
		updatedAt: at,
		...columns
	}) as unknown as Restore;

const errorIn = (restore: Restore, locale: Locale) => inLocale(locale, async () => toRestoreView(restore).error);

describe('a failed restore’s reason in the viewer’s language', () => {
	it('shows a row written before reason keys with its stored text, in either language', async () => {
		const old = failed({ error: 'The backup is no longer available.', errorText: null });
		expect(await errorIn(old, 'id')).toBe('The backup is no longer available.');
		expect(await errorIn(old, 'en')).toBe('The backup is no longer available.');
	});

	it('writes a keyed reason in each language, with the volume as a parameter', async () => {
		const text = instanceReason('restore_snapshot_gone', { claim: 'app-data' });
		const row = failed({ error: renderInstanceReason(text, 'en'), errorText: text });
		expect(await errorIn(row, 'en')).toBe('The snapshot of volume app-data is no longer on the cluster.');
		expect(await errorIn(row, 'id')).toBe('Snapshot volume app-data sudah tidak ada di klaster.');
	});

	it('keeps the cluster’s own words as they are inside the translated sentence', async () => {
		const text = clusterReason({ reason: 'Forbidden', message: 'persistentvolumeclaims is forbidden: exceeded quota' });
		const row = failed({ error: renderInstanceReason(text, 'en'), errorText: text });
		expect(await errorIn(row, 'id')).toBe('Kubernetes menolak: persistentvolumeclaims is forbidden: exceeded quota');
	});
});

describe('the app’s reason after a restore', () => {
	it('says the restore failed and why, or that switching back failed, in both languages', () => {
		const cause = instanceReason('backup_gone', {});
		expect(renderInstanceReason(instanceReason('restore_failed', { cause }), 'en')).toBe(
			'Restore failed: The backup is no longer available. The app is back on its previous data.'
		);
		expect(renderInstanceReason(instanceReason('restore_failed', { cause }), 'id')).toBe(
			'Pemulihan gagal: Cadangan sudah tidak tersedia. Aplikasi kembali memakai data sebelumnya.'
		);
		const unreachable = instanceReason('cluster_unreachable', { detail: 'connect ECONNREFUSED' });
		expect(renderInstanceReason(instanceReason('switch_back_failed', { cause: unreachable }), 'id')).toBe(
			'Tidak dapat mengembalikan ke data sebelumnya: Kubernetes API tidak dapat dihubungi: connect ECONNREFUSED'
		);
		expect(renderInstanceReason(instanceReason('switch_back_failed', { cause: unreachable }), 'en')).toBe(
			'Could not switch back: Cannot reach the Kubernetes API: connect ECONNREFUSED'
		);
	});
});

describe('a failed backup’s reason in the viewer’s language', () => {
	const backup = (columns: Pick<Backup, 'error' | 'errorText'>) =>
		({
			id: 'b',
			instanceId: 'i',
			kind: 'MANUAL',
			status: 'FAILED',
			snapshots: [],
			createdAt: at,
			...columns
		}) as unknown as Backup;
	const errorOf = (row: Backup, locale: Locale) => inLocale(locale, async () => toBackupView(row).error);

	it('shows a row written before reason keys with its stored text', async () => {
		const old = backup({ error: 'The snapshots did not become ready in time.', errorText: null });
		expect(await errorOf(old, 'id')).toBe('The snapshots did not become ready in time.');
	});

	it('writes a keyed reason in each language, the snapshot controller’s words kept', async () => {
		const text = instanceReason('backup_snapshot_failed', { claim: 'app-data', detail: 'driver timeout' });
		const row = backup({ error: renderInstanceReason(text, 'en'), errorText: text });
		expect(await errorOf(row, 'en')).toBe('The snapshot of volume app-data failed: driver timeout');
		expect(await errorOf(row, 'id')).toBe('Snapshot volume app-data gagal: driver timeout');
	});
});
