import { describe, expect, it } from 'vitest';
import {
	ApiException,
	type V1Deployment,
	type V1PersistentVolumeClaim,
	type V1Pod,
	type V1Service
} from '@kubernetes/client-node';
import { ClusterError, DEFAULT_RETRY, backoffDelay, toClusterError } from '../../../src/lib/server/kube/errors';
import { podFailureReason, rolloutState } from '../../../src/lib/server/kube/rollout';
import { desiredForReplace } from '../../../src/lib/server/kube/wire';

describe('backoff', () => {
	const policy = { baseDelayMs: 100, maxDelayMs: 2_000 };

	it('doubles per retry, between half and all of the step', () => {
		expect(backoffDelay(0, policy, { random: () => 0 })).toBe(50);
		expect(backoffDelay(0, policy, { random: () => 1 })).toBe(100);
		expect(backoffDelay(1, policy, { random: () => 0 })).toBe(100);
		expect(backoffDelay(2, policy, { random: () => 0.5 })).toBe(300);
		expect(backoffDelay(3, policy, { random: () => 1 })).toBe(800);
	});

	it('is capped', () => {
		expect(backoffDelay(10, policy, { random: () => 1 })).toBe(2_000);
		expect(backoffDelay(30, policy, { random: () => 0 })).toBe(1_000);
	});

	it('waits at least as long as the server asks, within the cap', () => {
		expect(backoffDelay(0, policy, { random: () => 0, retryAfterMs: 700 })).toBe(700);
		expect(backoffDelay(0, policy, { random: () => 0, retryAfterMs: 60_000 })).toBe(2_000);
		expect(backoffDelay(4, policy, { random: () => 1, retryAfterMs: 10 })).toBe(1_600);
	});

	it('has a bounded default number of attempts', () => {
		expect(DEFAULT_RETRY.attempts).toBeGreaterThan(1);
		expect(DEFAULT_RETRY.attempts).toBeLessThanOrEqual(10);
	});
});

describe('API errors', () => {
	it('carry the Status reason and message, and whether a retry may help', () => {
		const notFound = toClusterError(
			new ApiException(
				404,
				'Unknown API Status Code!',
				JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'pods "x" not found', code: 404 }),
				{}
			)
		);
		expect(notFound).toBeInstanceOf(ClusterError);
		expect(notFound).toMatchObject({ status: 404, reason: 'NotFound', message: 'pods "x" not found', retryable: false });

		const busy = toClusterError(
			new ApiException(429, 'Unknown API Status Code!', '{"reason":"TooManyRequests","message":"slow down"}', {
				'retry-after': '3'
			})
		);
		expect(busy).toMatchObject({ status: 429, reason: 'TooManyRequests', retryable: true, retryAfterMs: 3_000 });

		const bare = toClusterError(new ApiException(503, 'Unknown API Status Code!', undefined, {}));
		expect(bare).toMatchObject({ status: 503, reason: 'ServiceUnavailable', retryable: true });
		expect(bare.message).toBe('Kubernetes API returned HTTP 503');
	});

	it('treat an unreachable server as retryable, other failures as final', () => {
		const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
		expect(toClusterError(refused)).toMatchObject({ reason: 'NetworkError', retryable: true, status: 0 });
		const fetchError = Object.assign(new Error('request to http://x failed'), { name: 'FetchError' });
		expect(toClusterError(fetchError).reason).toBe('NetworkError');
		expect(toClusterError(new TypeError('bad'))).toMatchObject({ reason: 'InternalError', retryable: false });
	});
});

function pod(status: V1Pod['status']): V1Pod {
	return { metadata: { name: 'blog-abcdefghij-xyzab' }, status };
}

describe('pod failure reasons', () => {
	it('are absent while a pod starts normally or runs', () => {
		expect(
			podFailureReason(
				pod({
					phase: 'Pending',
					containerStatuses: [
						{
							name: 'app',
							image: 'x',
							imageID: '',
							ready: false,
							restartCount: 0,
							state: { waiting: { reason: 'ContainerCreating' } }
						}
					]
				})
			)
		).toBeUndefined();
		expect(
			podFailureReason(
				pod({
					phase: 'Running',
					containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: true, restartCount: 0, state: { running: {} } }]
				})
			)
		).toBeUndefined();
		expect(podFailureReason({ metadata: { name: 'new' } })).toBeUndefined();
	});

	it('explain a failed image pull with the registry message', () => {
		const failure = podFailureReason(
			pod({
				phase: 'Pending',
				containerStatuses: [
					{
						name: 'app',
						image: 'ghost:9',
						imageID: '',
						ready: false,
						restartCount: 0,
						state: {
							waiting: {
								reason: 'ErrImagePull',
								message: 'failed to pull and unpack image "docker.io/library/ghost:9": not found'
							}
						}
					}
				]
			})
		);
		expect(failure).toEqual({
			reason: 'ImagePullFailed',
			message: 'Image pull failed: failed to pull and unpack image "docker.io/library/ghost:9": not found',
			detail: 'failed to pull and unpack image "docker.io/library/ghost:9": not found',
			restartCount: 0,
			permanent: false
		});
		const invalid = podFailureReason(
			pod({
				containerStatuses: [
					{
						name: 'app',
						image: '::',
						imageID: '',
						ready: false,
						restartCount: 0,
						state: { waiting: { reason: 'InvalidImageName' } }
					}
				]
			})
		);
		expect(invalid).toMatchObject({ reason: 'ImagePullFailed', message: 'Image pull failed: InvalidImageName', permanent: true });
	});

	it('explain a crash loop with the exit code, and running out of memory plainly', () => {
		const crashing = podFailureReason(
			pod({
				phase: 'Running',
				containerStatuses: [
					{
						name: 'app',
						image: 'x',
						imageID: '',
						ready: false,
						restartCount: 4,
						state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
						lastState: { terminated: { exitCode: 137, reason: 'Error' } }
					}
				]
			})
		);
		expect(crashing).toEqual({
			reason: 'CrashLoop',
			message: 'The app keeps crashing (exit code 137)',
			detail: '137',
			restartCount: 4,
			permanent: false
		});
		const oom = podFailureReason(
			pod({
				containerStatuses: [
					{
						name: 'app',
						image: 'x',
						imageID: '',
						ready: false,
						restartCount: 2,
						state: { waiting: { reason: 'CrashLoopBackOff' } },
						lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } }
					}
				]
			})
		);
		expect(oom?.message).toMatch(/running out of memory/);
		const justExited = podFailureReason(
			pod({
				containerStatuses: [
					{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }
				]
			})
		);
		expect(justExited?.message).toBe('The app keeps crashing (exit code 2)');
	});

	it('explain configuration, scheduling and evicted pods', () => {
		expect(
			podFailureReason(
				pod({
					containerStatuses: [
						{
							name: 'app',
							image: 'x',
							imageID: '',
							ready: false,
							restartCount: 0,
							state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "blog-secrets" not found' } }
						}
					]
				})
			)?.message
		).toBe(`The app's configuration could not be applied: secret "blog-secrets" not found`);
		expect(
			podFailureReason(
				pod({
					phase: 'Pending',
					conditions: [
						{
							type: 'PodScheduled',
							status: 'False',
							reason: 'Unschedulable',
							message: '0/3 nodes are available: 3 Insufficient memory.'
						}
					]
				})
			)
		).toMatchObject({
			reason: 'Unschedulable',
			message: 'The cluster has no room for the app right now: 0/3 nodes are available: 3 Insufficient memory.'
		});
		expect(
			podFailureReason(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: ephemeral-storage.' }))
		).toMatchObject({
			reason: 'PodFailed',
			permanent: false,
			message: "The app's pod failed: The node was low on resource: ephemeral-storage."
		});
	});
});

describe('rollout state', () => {
	const deployment = (replicas: number, generation: number, status: V1Deployment['status']): V1Deployment => ({
		metadata: { name: 'blog', generation },
		spec: { replicas, selector: {}, template: {} },
		status
	});

	it('waits for the change to be observed, the new pods, the old ones to go, and readiness', () => {
		expect(
			rolloutState(deployment(1, 2, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 })).done
		).toBe(false);
		expect(rolloutState(deployment(1, 2, { observedGeneration: 2 })).message).toMatch(/Starting the app/);
		expect(rolloutState(deployment(1, 2, { observedGeneration: 2, replicas: 2, updatedReplicas: 1 })).message).toMatch(
			/previous version/
		);
		expect(rolloutState(deployment(1, 2, { observedGeneration: 2, replicas: 1, updatedReplicas: 1 })).message).toMatch(
			/ready \(0 of 1/
		);
	});

	it('is done when every replica of the new version is available, or when stopped', () => {
		expect(
			rolloutState(
				deployment(1, 3, { observedGeneration: 3, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 })
			)
		).toEqual({
			done: true,
			desired: 1,
			ready: 1,
			updated: 1,
			available: 1,
			phase: 'done',
			message: 'Ready'
		});
		expect(rolloutState(deployment(0, 4, { observedGeneration: 4 }))).toMatchObject({ done: true, message: 'Stopped' });
		expect(rolloutState(deployment(0, 4, { observedGeneration: 4, replicas: 1 })).done).toBe(false);
	});
});

describe('replacing an existing object', () => {
	it('sends the current resourceVersion and keeps labels and annotations others added', () => {
		const next = desiredForReplace(
			{
				apiVersion: 'v1',
				kind: 'ConfigMap',
				metadata: { name: 'c', resourceVersion: '42', labels: { a: '1', mine: 'old' }, annotations: { note: 'x' } }
			},
			{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { mine: 'new' } } }
		);
		expect(next.metadata).toEqual({
			name: 'c',
			resourceVersion: '42',
			labels: { a: '1', mine: 'new' },
			annotations: { note: 'x' }
		});
	});

	it('keeps the cluster IP of a Service', () => {
		const existing: V1Service = {
			kind: 'Service',
			metadata: { name: 's' },
			spec: { clusterIP: '10.96.0.7', clusterIPs: ['10.96.0.7'], ports: [{ port: 80 }] }
		};
		const next = desiredForReplace(existing, { kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 8080 }] } });
		expect(next.spec).toEqual({ clusterIP: '10.96.0.7', clusterIPs: ['10.96.0.7'], ports: [{ port: 8080 }] });
	});

	it('keeps a bound claim as it is, only ever growing its size', () => {
		const existing: V1PersistentVolumeClaim = {
			kind: 'PersistentVolumeClaim',
			metadata: { name: 'd' },
			spec: {
				accessModes: ['ReadWriteOnce'],
				storageClassName: 'standard',
				volumeName: 'pvc-1',
				resources: { requests: { storage: '2Gi' } }
			}
		};
		const desired = (storage: string): V1PersistentVolumeClaim => ({
			kind: 'PersistentVolumeClaim',
			metadata: { name: 'd' },
			spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } }
		});
		expect(desiredForReplace(existing, desired('8Gi')).spec).toEqual({
			...existing.spec,
			resources: { requests: { storage: '8Gi' } }
		});
		expect(desiredForReplace(existing, desired('1Gi')).spec).toEqual(existing.spec);
		expect(desiredForReplace(existing, desired('2048Mi')).spec).toEqual(existing.spec);
	});

	it('keeps the restart stamp on a Deployment pod template', () => {
		const template = (annotations?: Record<string, string>) => ({
			metadata: { labels: { a: 'b' }, annotations },
			spec: { containers: [] }
		});
		const existing: V1Deployment = {
			kind: 'Deployment',
			metadata: { name: 'd' },
			spec: {
				selector: {},
				template: template({ 'kubectl.kubernetes.io/restartedAt': '2030-01-01T00:00:00Z', 'minispod.io/config-hash': 'old' })
			}
		};
		const next = desiredForReplace(existing, {
			kind: 'Deployment',
			metadata: { name: 'd' },
			spec: { selector: {}, template: template({ 'minispod.io/config-hash': 'new' }) }
		});
		expect(next.spec?.template.metadata?.annotations).toEqual({
			'minispod.io/config-hash': 'new',
			'kubectl.kubernetes.io/restartedAt': '2030-01-01T00:00:00Z'
		});
	});
});
