// What a new app's set-up steps say, as the instance page reads them: a keyed step message in
// the viewer's language, a step written before keys with its stored English.
import { describe, expect, it } from 'vitest';
import { ApiException, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { ClusterError, toClusterError } from '../../../src/lib/server/kube/errors';
import type { ProvisioningStep, ServiceInstance } from '../../../src/lib/server/db/schema';
import { toInstanceView } from '../../../src/lib/server/instances/views';
import { instanceReason, renderInstanceReason, type InstanceReason } from '../../../src/lib/server/instances/reasons';
import { rolloutWait } from '../../../src/lib/server/provisioning/attempts';
import { rolloutState, rolloutTimeout } from '../../../src/lib/server/kube/rollout';
import { clusterReason, failureOf } from '../../../src/lib/server/provisioning/attempts';
import type { Locale } from '../../../src/lib/statuses';
import { inLocale } from '../../support/locale';

const at = '2026-11-01T03:00:00.000Z';
const withSteps = (steps: ProvisioningStep[]) =>
	({
		id: 'i',
		subscriptionId: 's',
		name: 'My app',
		subdomain: 'my-app',
		namespace: 'ns',
		status: 'PROVISIONING',
		statusReason: null,
		statusReasonText: null,
		provisioningSteps: steps,
		createdAt: new Date(at),
		updatedAt: new Date(at)
	}) as unknown as ServiceInstance;

/** A step as stepsWith writes it: the key, and its English beside it. */
const keyed = (step: string, status: ProvisioningStep['status'], text: InstanceReason): ProvisioningStep => ({
	step,
	status,
	at,
	message: renderInstanceReason(text, 'en')!,
	text
});

const messagesIn = (row: ServiceInstance, locale: Locale) =>
	inLocale(locale, async () => toInstanceView(row).provisioningSteps.map((step) => step.message));

describe('a set-up step’s message in the viewer’s language', () => {
	it('shows a step written before keys with its stored text, in either language', async () => {
		const old = withSteps([{ step: 'namespace', status: 'running', at, message: "Waiting for the previous app's clean-up" }]);
		expect(await messagesIn(old, 'id')).toEqual(["Waiting for the previous app's clean-up"]);
		expect(await messagesIn(old, 'en')).toEqual(["Waiting for the previous app's clean-up"]);
	});

	it('writes keyed steps in each language, a step without a message without one', async () => {
		const row = withSteps([
			keyed('namespace', 'running', instanceReason('step_waiting_for_cleanup', {})),
			keyed('volume', 'running', instanceReason('step_restoring_volumes', {})),
			{ step: 'secret', status: 'pending', at },
			keyed('rollout', 'running', instanceReason('rollout_becoming_ready', { ready: 0, desired: 1 }))
		]);
		expect(await messagesIn(row, 'en')).toEqual([
			"Waiting for the previous app's clean-up",
			'Restoring the data from the backup',
			undefined,
			'Waiting for the app to become ready (0 of 1 ready)'
		]);
		expect(await messagesIn(row, 'id')).toEqual([
			'Menunggu pembersihan aplikasi sebelumnya',
			'Memulihkan data dari cadangan',
			undefined,
			'Menunggu aplikasi siap (0 dari 1 siap)'
		]);
	});

	it('says why a failed step failed, the cluster’s own words kept', async () => {
		const refused = clusterReason({ reason: 'Forbidden', message: 'deployments.apps is forbidden' });
		const row = withSteps([keyed('rollout', 'failed', refused)]);
		expect(await messagesIn(row, 'id')).toEqual(['Kubernetes menolak: deployments.apps is forbidden']);
		expect(await messagesIn(row, 'en')).toEqual(['Kubernetes refused: deployments.apps is forbidden']);
	});
});

describe('what a rollout waits for', () => {
	const deployment = (replicas: number, generation: number, status: Record<string, number>) =>
		({ metadata: { generation }, spec: { replicas }, status }) as unknown as V1Deployment;

	it('is told from the Deployment’s status as `kubectl rollout status` reads it, in either language', () => {
		const said = (status: Record<string, number>, locale: Locale) =>
			renderInstanceReason(rolloutWait(rolloutState(deployment(2, 2, status))), locale);
		expect(said({ observedGeneration: 1 }, 'id')).toBe('Menunggu klaster menerima perubahan');
		expect(said({ observedGeneration: 2, updatedReplicas: 1 }, 'en')).toBe('Starting the app (1 of 2 pods created)');
		expect(said({ observedGeneration: 2, updatedReplicas: 1 }, 'id')).toBe('Menjalankan aplikasi (1 dari 2 pod dibuat)');
		expect(said({ observedGeneration: 2, replicas: 3, updatedReplicas: 2 }, 'id')).toBe('Menunggu versi sebelumnya berhenti');
		expect(said({ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }, 'id')).toBe(
			'Menunggu aplikasi siap (1 dari 2 siap)'
		);
	});
});

describe('a rollout that ran out of time', () => {
	const state = rolloutState({
		metadata: { generation: 1 },
		spec: { replicas: 1 },
		status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0 }
	} as V1Deployment);
	const pending = { metadata: { name: 'app-0' }, status: { phase: 'Pending' } } as V1Pod;
	const said = (error: Parameters<typeof failureOf>[0], locale: Locale) => renderInstanceReason(failureOf(error).text, locale);

	it('says what held it up in MinisPod’s words in the reader’s language', () => {
		const timeout = rolloutTimeout(300_000, { failingSince: {} }, [pending], state);
		expect(timeout.message).toBe('The app did not become ready within 5 minutes (pod app-0 is pending)');
		expect(said(timeout, 'id')).toBe('Aplikasi tidak siap dalam 5 menit (pod app-0 masih tertunda)');
		expect(said(timeout, 'en')).toBe('The app did not become ready within 5 minutes (pod app-0 is pending)');
		const waiting = rolloutTimeout(300_000, { failingSince: {} }, [], state);
		expect(said(waiting, 'id')).toBe('Aplikasi tidak siap dalam 5 menit (Menunggu aplikasi siap (0 dari 1 siap))');
	});

	it('names the last pod failure with the cluster’s own words kept', () => {
		const tracking = {
			failingSince: {},
			lastProblem: 'Image pull failed: manifest unknown',
			lastFailure: {
				kind: 'failure' as const,
				reason: 'ImagePullFailed',
				message: 'Image pull failed: manifest unknown',
				detail: 'manifest unknown'
			}
		};
		const timeout = rolloutTimeout(60_000, tracking, [pending], state);
		expect(said(timeout, 'id')).toBe('Aplikasi tidak siap dalam 1 menit (Gagal mengunduh image: manifest unknown)');
		expect(said(timeout, 'en')).toBe('The app did not become ready within 1 minute (Image pull failed: manifest unknown)');
	});

	it('keeps the English of a rollout tracked before its failures were kept as data', () => {
		const timeout = rolloutTimeout(60_000, { failingSince: {}, lastProblem: 'Image pull failed: x' }, [pending], state);
		expect(said(timeout, 'id')).toBe('Aplikasi tidak siap dalam 1 menit (Image pull failed: x)');
	});
});

describe('an API answer without words of its own', () => {
	it('is told by its HTTP status in the reader’s language; an answer with words keeps them', () => {
		// A 5xx is the cluster's trouble, not a refusal (provisioning/attempts.ts); the log keeps the status.
		const bare = failureOf(toClusterError(new ApiException(503, 'Unknown API Status Code!', undefined, {})));
		expect(bare.message).toBe('Kubernetes API returned HTTP 503');
		expect(renderInstanceReason(bare.text, 'id')).toBe('Klaster membalas dengan kesalahan (HTTP 503)');
		expect(renderInstanceReason(bare.text, 'en')).toBe('The cluster answered with an error (HTTP 503)');
		const said = failureOf(toClusterError(new ApiException(403, 'x', '{"reason":"Forbidden","message":"nope"}', {})));
		expect(renderInstanceReason(said.text, 'id')).toBe('Kubernetes menolak: nope');
	});
});

describe('an object the cluster is still deleting', () => {
	it('is named in a sentence of the reader’s language, not Kubernetes words made up by MinisPod', () => {
		const error = new ClusterError('Deployment app-x/web is still being deleted', {
			reason: 'Terminating',
			retryable: true,
			detail: 'Deployment app-x/web'
		});
		const failure = failureOf(error);
		expect(failure.message).toBe('Deployment app-x/web is still being deleted');
		expect(renderInstanceReason(failure.text, 'id')).toBe('Deployment app-x/web masih sedang dihapus');
		expect(renderInstanceReason(failure.text, 'en')).toBe('Deployment app-x/web is still being deleted');
	});
});
