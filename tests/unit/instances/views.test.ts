// What customers see of an app's health and address in each state.
import { describe, expect, it } from 'vitest';
import type { ServiceInstance } from '../../../src/lib/server/db/schema';
import { toInstanceView } from '../../../src/lib/server/instances/views';
import { suspendedReason } from '../../../src/lib/server/provisioning/actions';
import {
	instanceReason,
	instanceReasonFor,
	renderInstanceReason,
	statusReason,
	type InstanceReason
} from '../../../src/lib/server/instances/reasons';
import { clusterReason, failureOf } from '../../../src/lib/server/provisioning/attempts';
import { ClusterError } from '../../../src/lib/server/kube/errors';
import type { InstanceStatus, Locale } from '../../../src/lib/statuses';
import { inLocale } from '../../support/locale';

const checkedAt = new Date('2026-11-01T03:00:00Z');
const instance = (status: InstanceStatus) =>
	({
		id: 'i',
		subscriptionId: 's',
		name: 'My app',
		subdomain: 'my-app',
		namespace: 'ns',
		podName: null,
		status,
		statusReason: null,
		statusReasonText: null,
		provisioningSteps: [],
		healthStatus: 'healthy',
		lastHealthCheck: checkedAt,
		sslEnabled: true,
		publicUrl: 'https://my-app.example.test',
		adminUrl: null,
		createdAt: checkedAt,
		updatedAt: checkedAt,
		lastStarted: null,
		lastStopped: null
	}) as unknown as ServiceInstance;

describe('toInstanceView', () => {
	it('shows no health for an app that is stopped or suspended (its last check was from before)', () => {
		for (const status of ['STOPPED', 'SUSPENDED', 'STOPPING'] as const) {
			expect(toInstanceView(instance(status)), status).toMatchObject({ healthStatus: null, lastHealthCheck: null });
		}
	});

	it('shows the health of a running app and of one in error', () => {
		expect(toInstanceView(instance('RUNNING'))).toMatchObject({ healthStatus: 'healthy', lastHealthCheck: checkedAt });
		expect(toInstanceView(instance('ERROR')).healthStatus).toBe('healthy');
	});
});

describe('a suspended app’s reason', () => {
	it('quotes the administrator’s reason, so the instance page shows it too', () => {
		expect(renderInstanceReason(suspendedReason('Abuse report under review'), 'en')).toBe(
			'Suspended by MinisPod staff: Abuse report under review'
		);
		expect(renderInstanceReason(suspendedReason('Laporan penyalahgunaan'), 'id')).toBe(
			'Ditangguhkan oleh staf MinisPod: Laporan penyalahgunaan'
		);
		expect(renderInstanceReason(suspendedReason(null), 'en')).toBe('Suspended: the subscription is on hold');
	});
});

describe('an app’s status reason in the viewer’s language', () => {
	const keyed = (reason: InstanceReason) => ({ ...instance('ERROR'), ...statusReason(reason) }) as ServiceInstance;
	const viewIn = (row: ServiceInstance, locale: Locale) => inLocale(locale, async () => toInstanceView(row).statusReason);

	it('shows a row written before reason texts with its stored text, in either language', async () => {
		const old = { ...instance('ERROR'), statusReason: 'Image pull failed: not found', statusReasonText: null } as ServiceInstance;
		expect(await viewIn(old, 'id')).toBe('Image pull failed: not found');
		expect(await viewIn(old, 'en')).toBe('Image pull failed: not found');
	});

	it('writes a keyed reason in the viewer’s language, the English kept beside it', async () => {
		const row = keyed(instanceReason('missing', {}));
		expect(row.statusReason).toMatch(/^The app is missing from the cluster/);
		expect(await viewIn(row, 'en')).toBe(row.statusReason);
		expect(await viewIn(row, 'id')).toMatch(/^Aplikasi hilang dari klaster/);
	});

	it('keeps the cluster’s own words inside the translated sentence', async () => {
		const refusal = 'pods "ghost-0" is forbidden: exceeded quota: minispod-quota, requested: memory=2Gi, limited: memory=1Gi';
		const failure = failureOf(new ClusterError(refusal, { status: 403, reason: 'QuotaExceeded' }));
		const row = keyed(instanceReason('action_failed', { action: 'start', cause: failure.text }));
		expect(await viewIn(row, 'id')).toBe(`Tidak dapat menjalankan aplikasi: Kubernetes menolak: ${refusal}`);
		expect(await viewIn(row, 'en')).toBe(`Could not start the app: Kubernetes refused: ${refusal}`);
		const upgrade = keyed(
			instanceReason('upgrade_failed', {
				cause: clusterReason({ reason: 'ImagePullFailed', message: '', detail: 'manifest unknown' })
			})
		);
		expect(await viewIn(upgrade, 'id')).toBe('Peningkatan gagal: Gagal mengunduh image: manifest unknown');
	});

	it('tells a restore’s steps and a backup it cannot use in the viewer’s language', () => {
		expect(renderInstanceReason(instanceReason('restore_volumes', {}), 'id')).toBe(
			'Memulihkan dari cadangan: membuat volume dari snapshot'
		);
		expect(renderInstanceReason(instanceReason('restoring', {}), 'en')).toBe('Restoring from a backup');
		expect(renderInstanceReason(instanceReason('backup_unavailable', { detail: 'gone' }), 'id')).toBe(
			'Cadangan tidak bisa dipulihkan: gone'
		);
	});

	it('says how long a rollout was given in the viewer’s words', async () => {
		const timeout = failureOf(new ClusterError('x', { reason: 'Timeout', detail: 'pod a is pending', limitMs: 300_000 }));
		expect(renderInstanceReason(timeout.text, 'id')).toBe('Aplikasi tidak siap dalam 5 menit (pod a is pending)');
		expect(renderInstanceReason(timeout.text, 'en')).toBe('The app did not become ready within 5 minutes (pod a is pending)');
		const short = failureOf(new ClusterError('x', { reason: 'Timeout', detail: 'd', limitMs: 2500 }));
		expect(renderInstanceReason(short.text, 'id')).toBe('Aplikasi tidak siap dalam 2,5 detik (d)');
	});

	it('shows the stored text for a key this version does not know', () => {
		const future = { key: 'from_the_future', params: {} } as unknown as InstanceReason;
		expect(instanceReasonFor(future, 'Stored words', 'id')).toBe('Stored words');
	});
});
