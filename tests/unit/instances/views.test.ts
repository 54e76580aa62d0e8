// What customers see of an app's health and address in each state.
import { describe, expect, it } from 'vitest';
import type { ServiceInstance } from '../../../src/lib/server/db/schema';
import { toInstanceView } from '../../../src/lib/server/instances/views';
import { suspendedReason } from '../../../src/lib/server/provisioning/actions';
import type { InstanceStatus } from '../../../src/lib/statuses';

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
		expect(suspendedReason('Abuse report under review')).toBe('Suspended by MinisPod staff: Abuse report under review');
		expect(suspendedReason(null)).toBe('Suspended: the subscription is on hold');
	});
});
