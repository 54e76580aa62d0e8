// The emulator as client-node sees it: real HTTP on loopback, the typed APIs, Status
// objects, resourceVersion, patches, the controller's pods and logs, and fault injection.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
	ApiException,
	AppsV1Api,
	CoreV1Api,
	CustomObjectsApi,
	NetworkingV1Api,
	KubeConfig,
	KubernetesObjectApi,
	Log,
	PatchStrategy,
	VersionApi,
	setHeaderOptions,
	type V1Deployment,
	type V1Pod
} from '@kubernetes/client-node';
import { kubeconfigFor } from '../../standins/kube-emulator';
import { parseQuantity } from '../../src/lib/server/kube/quantity';
import { eventually, startTestCluster, type TestCluster } from '../support/kube';
import { scaled } from '../support/timeouts';

let kube: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;
const namespace = 'emulator-test';

beforeAll(async () => {
	kube = await startTestCluster();
	core = kube.kubeConfig.makeApiClient(CoreV1Api);
	apps = kube.kubeConfig.makeApiClient(AppsV1Api);
	await core.createNamespace({ body: { metadata: { name: namespace } } });
});
afterAll(() => kube?.close());

/** The API error client-node throws, with the Status body parsed. */
async function apiError(promise: Promise<unknown>) {
	const error = await promise.then(
		() => undefined,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(ApiException);
	const exception = error as ApiException<string | undefined>;
	const status = exception.body ? (JSON.parse(exception.body) as Record<string, unknown>) : {};
	return { code: exception.code, status, headers: exception.headers };
}

const POD_NAME = /^([a-z0-9-]+)-([bcdfghjklmnpqrstvwxz2456789]{10})-([bcdfghjklmnpqrstvwxz2456789]{5})$/;

function deployment(
	name: string,
	options: { image?: string; replicas?: number; strategy?: 'Recreate' | 'RollingUpdate' } = {}
): V1Deployment {
	const labels = { app: name };
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: { name, labels },
		spec: {
			replicas: options.replicas ?? 1,
			strategy: { type: options.strategy ?? 'Recreate' },
			selector: { matchLabels: labels },
			template: {
				metadata: { labels },
				spec: {
					containers: [
						{
							name: 'app',
							image: options.image ?? 'ghcr.io/example/web:1.2.3',
							ports: [{ name: 'http', containerPort: 8080 }],
							readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
							env: [{ name: 'MODE', value: 'prod' }]
						}
					]
				}
			}
		}
	};
}

async function podsOf(name: string): Promise<V1Pod[]> {
	return (await core.listNamespacedPod({ namespace, labelSelector: `app=${name}` })).items;
}

const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function readyPod(name: string): Promise<V1Pod> {
	return eventually(async () => {
		const pods = await podsOf(name);
		return pods.length === 1 && isReady(pods[0]) ? pods[0] : undefined;
	});
}

describe('API surface', () => {
	it('serves version and discovery, so generic clients work too', async () => {
		const version = await kube.kubeConfig.makeApiClient(VersionApi).getCode();
		expect(version.gitVersion).toMatch(/^v1\.\d+/);
		await apps.createNamespacedDeployment({ namespace, body: deployment('generic') });
		const objects = KubernetesObjectApi.makeApiClient(kube.kubeConfig);
		const read = await objects.read<V1Deployment>({
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: { name: 'generic', namespace }
		});
		expect(read.spec?.template.spec?.containers[0].image).toBe('ghcr.io/example/web:1.2.3');
		await apps.deleteNamespacedDeployment({ namespace, name: 'generic' });
	});

	it('refuses requests without the right token', async () => {
		const stranger = new KubeConfig();
		stranger.loadFromString(kubeconfigFor(kube.emulator.url, 'wrong-token'));
		expect((await apiError(stranger.makeApiClient(CoreV1Api).listNamespace())).code).toBe(401);
		// client-node drops the body of a 401; the server sends a Status all the same.
		const response = await fetch(`${kube.emulator.url}/api/v1/namespaces`);
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
	});

	it('answers a missing object with a NotFound Status', async () => {
		const { code, status } = await apiError(core.readNamespacedConfigMap({ namespace, name: 'nope' }));
		expect(code).toBe(404);
		expect(status).toMatchObject({
			kind: 'Status',
			apiVersion: 'v1',
			status: 'Failure',
			reason: 'NotFound',
			message: 'configmaps "nope" not found',
			details: { name: 'nope', kind: 'configmaps' },
			code: 404
		});
		const missingDeployment = await apiError(apps.readNamespacedDeployment({ namespace, name: 'nope' }));
		expect(missingDeployment.status.message).toBe('deployments.apps "nope" not found');
	});

	it('answers a second create with AlreadyExists', async () => {
		const body = { metadata: { name: 'twice' }, data: { a: '1' } };
		await core.createNamespacedConfigMap({ namespace, body });
		const { code, status } = await apiError(core.createNamespacedConfigMap({ namespace, body }));
		expect(code).toBe(409);
		expect(status).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "twice" already exists' });
	});

	it('answers invalid objects with 422 Invalid naming the field', async () => {
		const badName = await apiError(core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'Not_Valid' } } }));
		expect(badName.code).toBe(422);
		expect(badName.status).toMatchObject({
			reason: 'Invalid',
			details: { causes: [expect.objectContaining({ field: 'metadata.name' })] }
		});

		const mismatched = deployment('mismatch');
		mismatched.spec!.template.metadata!.labels = { app: 'other' };
		const selector = await apiError(apps.createNamespacedDeployment({ namespace, body: mismatched }));
		expect(selector.code).toBe(422);
		expect(selector.status.message).toContain('`selector` does not match template `labels`');
	});

	it('will not create in a namespace that does not exist', async () => {
		const { code, status } = await apiError(
			core.createNamespacedConfigMap({ namespace: 'ghost-town', body: { metadata: { name: 'x' } } })
		);
		expect(code).toBe(404);
		expect(status.message).toBe('namespaces "ghost-town" not found');
	});
});

describe('resourceVersion', () => {
	it('sets uid and creation time, and moves the resourceVersion on every write', async () => {
		const created = await core.createNamespacedConfigMap({
			namespace,
			body: { metadata: { name: 'versions' }, data: { a: '1' } }
		});
		expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
		expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
		const first = Number(created.metadata?.resourceVersion);
		expect(first).toBeGreaterThan(0);

		const replaced = await core.replaceNamespacedConfigMap({
			namespace,
			name: 'versions',
			body: { ...created, data: { a: '2' } }
		});
		expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(first);
		expect(replaced.metadata?.uid).toBe(created.metadata?.uid);
		expect(replaced.data).toEqual({ a: '2' });
	});

	it('refuses an update from a stale copy with 409 Conflict', async () => {
		const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'stale' }, data: { a: '1' } } });
		await core.replaceNamespacedConfigMap({ namespace, name: 'stale', body: { ...created, data: { a: '2' } } });
		const { code, status } = await apiError(
			core.replaceNamespacedConfigMap({ namespace, name: 'stale', body: { ...created, data: { a: '3' } } })
		);
		expect(code).toBe(409);
		expect(status).toMatchObject({ reason: 'Conflict' });
		expect(status.message).toContain('the object has been modified');
		expect((await core.readNamespacedConfigMap({ namespace, name: 'stale' })).data).toEqual({ a: '2' });
	});

	it('leaves the resourceVersion alone when an update changes nothing', async () => {
		const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'same' }, data: { a: '1' } } });
		const again = await core.replaceNamespacedConfigMap({ namespace, name: 'same', body: created });
		expect(again.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
	});

	it('stores Secret stringData base64 encoded in data', async () => {
		const secret = await core.createNamespacedSecret({
			namespace,
			body: { metadata: { name: 'keys' }, stringData: { TOKEN: 's3cr3t' } }
		});
		expect(secret.type).toBe('Opaque');
		expect(secret.stringData).toBeUndefined();
		expect(secret.data).toEqual({ TOKEN: Buffer.from('s3cr3t').toString('base64') });
	});

	it('keeps a Service cluster IP and binds a claim', async () => {
		const service = await core.createNamespacedService({
			namespace,
			body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } }
		});
		expect(service.spec?.clusterIP).toMatch(/^10\.96\./);
		expect(service.spec?.type).toBe('ClusterIP');
		const changed = await apiError(
			core.replaceNamespacedService({
				namespace,
				name: 'web',
				body: { ...service, spec: { ...service.spec, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] } }
			})
		);
		expect(changed.code).toBe(422);

		const claim = await core.createNamespacedPersistentVolumeClaim({
			namespace,
			body: { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }
		});
		expect(claim.status?.phase).toBe('Bound');
		expect(claim.spec?.volumeName).toBeTruthy();
		const shrink = await apiError(
			core.replaceNamespacedPersistentVolumeClaim({
				namespace,
				name: 'data',
				body: { ...claim, spec: { ...claim.spec, resources: { requests: { storage: '500Mi' } } } }
			})
		);
		expect(shrink.code).toBe(422);
		const grown = await core.replaceNamespacedPersistentVolumeClaim({
			namespace,
			name: 'data',
			body: { ...claim, spec: { ...claim.spec, resources: { requests: { storage: '2Gi' } } } }
		});
		expect(grown.status?.capacity).toEqual({ storage: '2Gi' });
	});
});

describe('patches', () => {
	it('applies client-node’s default JSON patch', async () => {
		await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'json-patch' }, data: { a: '1', b: '2' } } });
		const patched = await core.patchNamespacedConfigMap({
			namespace,
			name: 'json-patch',
			body: [
				{ op: 'replace', path: '/data/a', value: 'one' },
				{ op: 'remove', path: '/data/b' },
				{ op: 'add', path: '/metadata/labels', value: { tier: 'web' } }
			]
		});
		expect(patched.data).toEqual({ a: 'one' });
		expect(patched.metadata?.labels).toEqual({ tier: 'web' });
	});

	it('applies a JSON merge patch', async () => {
		await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'merge-patch' }, data: { a: '1', b: '2' } } });
		const patched = await core.patchNamespacedConfigMap(
			{ namespace, name: 'merge-patch', body: { data: { a: 'one', b: null, c: '3' } } },
			setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
		);
		expect(patched.data).toEqual({ a: 'one', c: '3' });
	});

	it('merges containers by name in a strategic merge patch, and bumps the generation', async () => {
		const created = await apps.createNamespacedDeployment({ namespace, body: deployment('strategic', { replicas: 0 }) });
		expect(created.metadata?.generation).toBe(1);
		const patched = await apps.patchNamespacedDeployment(
			{
				namespace,
				name: 'strategic',
				body: {
					spec: {
						template: {
							spec: {
								containers: [{ name: 'app', resources: { limits: { cpu: '500m' } }, env: [{ name: 'EXTRA', value: 'yes' }] }]
							}
						}
					}
				}
			},
			setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)
		);
		const [container] = patched.spec!.template.spec!.containers;
		expect(container.image).toBe('ghcr.io/example/web:1.2.3');
		expect(container.resources?.limits).toEqual({ cpu: '500m' });
		expect(container.env).toEqual([
			{ name: 'MODE', value: 'prod' },
			{ name: 'EXTRA', value: 'yes' }
		]);
		expect(patched.metadata?.generation).toBe(2);
	});
});

describe('the controller', () => {
	it('names pods like a ReplicaSet and takes them Pending -> Running -> Ready', async () => {
		kube.emulator.configure({ podReadyDelayMs: 900 });
		try {
			await apps.createNamespacedDeployment({ namespace, body: deployment('lifecycle') });
			const seen = new Set<string>();
			const pod = await eventually(async () => {
				const [current] = await podsOf('lifecycle');
				if (!current) return undefined;
				seen.add(isReady(current) ? 'Ready' : (current.status?.phase ?? ''));
				return isReady(current) ? current : undefined;
			});
			expect([...seen]).toEqual(['Pending', 'Running', 'Ready']);
			const [, base, hash] = POD_NAME.exec(pod.metadata!.name!)!;
			expect(base).toBe('lifecycle');
			expect(pod.metadata?.labels?.['pod-template-hash']).toBe(hash);
			expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
				kind: 'ReplicaSet',
				name: `lifecycle-${hash}`,
				controller: true
			});
			expect(pod.status?.containerStatuses?.[0]).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0 });
			expect(pod.status?.podIP).toMatch(/^10\.244\./);
		} finally {
			kube.emulator.configure({ podReadyDelayMs: 100 });
		}
	});

	it('keeps Deployment status as rollout status reads it', async () => {
		const status = await eventually(async () => {
			const current = await apps.readNamespacedDeployment({ namespace, name: 'lifecycle' });
			return current.status?.readyReplicas === 1 ? current : undefined;
		});
		expect(status.status).toMatchObject({
			observedGeneration: status.metadata?.generation,
			replicas: 1,
			updatedReplicas: 1,
			readyReplicas: 1,
			availableReplicas: 1
		});
		const conditions = Object.fromEntries((status.status?.conditions ?? []).map((c) => [c.type, c]));
		expect(conditions.Available).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
		expect(conditions.Progressing).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
	});

	it('scales through the scale subresource: zero removes the pods, one brings a new one', async () => {
		await apps.createNamespacedDeployment({ namespace, body: deployment('scaling') });
		const first = await readyPod('scaling');
		const scale = await apps.readNamespacedDeploymentScale({ namespace, name: 'scaling' });
		expect(scale.spec?.replicas).toBe(1);
		expect(scale.status?.selector).toBe('app=scaling');

		await apps.replaceNamespacedDeploymentScale({ namespace, name: 'scaling', body: { ...scale, spec: { replicas: 0 } } });
		await eventually(async () => (await podsOf('scaling')).length === 0);
		const stopped = await eventually(async () => {
			const current = await apps.readNamespacedDeployment({ namespace, name: 'scaling' });
			return current.status?.replicas === undefined && current.spec?.replicas === 0 ? current : undefined;
		});
		expect(stopped.status?.readyReplicas).toBeUndefined();

		await apps.patchNamespacedDeploymentScale(
			{ namespace, name: 'scaling', body: { spec: { replicas: 1 } } },
			setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
		);
		const second = await readyPod('scaling');
		expect(second.metadata?.name).not.toBe(first.metadata?.name);
	});

	it('replaces the pod when the restart annotation changes', async () => {
		await apps.createNamespacedDeployment({ namespace, body: deployment('restarting') });
		const before = await readyPod('restarting');
		await apps.patchNamespacedDeployment(
			{
				namespace,
				name: 'restarting',
				body: {
					spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } }
				}
			},
			setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch)
		);
		const after = await eventually(async () => {
			const pods = await podsOf('restarting');
			return pods.length === 1 && pods[0].metadata?.name !== before.metadata?.name && isReady(pods[0]) ? pods[0] : undefined;
		});
		expect(POD_NAME.exec(after.metadata!.name!)![2]).not.toBe(POD_NAME.exec(before.metadata!.name!)![2]);
	});

	it('replaces a deleted pod, as a ReplicaSet does', async () => {
		await apps.createNamespacedDeployment({ namespace, body: deployment('self-healing') });
		const before = await readyPod('self-healing');
		await core.deleteNamespacedPod({ namespace, name: before.metadata!.name! });
		const after = await readyPod('self-healing');
		expect(after.metadata?.name).not.toBe(before.metadata?.name);
		expect(after.metadata?.labels?.['pod-template-hash']).toBe(before.metadata?.labels?.['pod-template-hash']);
	});

	it('tells when it has acted on every change so far', async () => {
		await apps.createNamespacedDeployment({ namespace, body: deployment('settling') });
		await kube.emulator.settled();
		const pods = kube.emulator.list('Pod', namespace).filter((pod) => pod.metadata.name.startsWith('settling-'));
		expect(pods).toHaveLength(1);
	});

	it('records events for the pods it runs', async () => {
		const pod = await readyPod('self-healing');
		const events = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod.metadata!.name}` });
		expect(events.items.map((event) => event.reason)).toEqual(
			expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started'])
		);
	});
});

describe('logs', () => {
	it('returns the start-up lines, the image first, with tailLines', async () => {
		await apps.createNamespacedDeployment({
			namespace,
			body: deployment('logging', { image: 'docker.n8n.io/n8nio/n8n:1.72.1' })
		});
		const pod = await readyPod('logging');
		const name = pod.metadata!.name!;
		const log = await core.readNamespacedPodLog({ namespace, name, container: 'app' });
		const lines = log.trim().split('\n');
		expect(lines[0]).toBe('Container started from image docker.n8n.io/n8nio/n8n:1.72.1');
		expect(lines).toContain('n8n ready on ::, port 8080');
		const tail = (await core.readNamespacedPodLog({ namespace, name, tailLines: 2 })).trim().split('\n');
		expect(tail).toHaveLength(2);
		const later = (await core.readNamespacedPodLog({ namespace, name })).trim().split('\n');
		const at = later.indexOf(tail[0]);
		expect(at).toBeGreaterThan(0);
		expect(later[at + 1]).toBe(tail[1]);
	});

	it('refuses an unknown container', async () => {
		const [pod] = await podsOf('logging');
		const { code, status } = await apiError(
			core.readNamespacedPodLog({ namespace, name: pod.metadata!.name!, container: 'sidecar' })
		);
		expect(code).toBe(400);
		expect(status.message).toBe(`container sidecar is not valid for pod ${pod.metadata!.name}`);
	});

	it('follows new lines through client-node’s Log until aborted, then closes the stream', async () => {
		const [pod] = await podsOf('logging');
		const output = new PassThrough();
		let text = '';
		output.on('data', (chunk: Buffer) => (text += chunk.toString()));
		const controller = await new Log(kube.kubeConfig).log(namespace, pod.metadata!.name!, 'app', output, {
			follow: true,
			tailLines: 1
		});
		await eventually(() => kube.emulator.stats().openLogStreams === 1);
		await eventually(() => text.split('\n').filter((line) => line.includes('GET /ready 200')).length >= 3);
		controller.abort();
		await eventually(() => kube.emulator.stats().openLogStreams === 0);
	});

	it('ends a follow stream when the pod is deleted', async () => {
		const [pod] = await podsOf('logging');
		const output = new PassThrough();
		const ended = new Promise<void>((resolve) => output.on('end', resolve));
		output.resume();
		await new Log(kube.kubeConfig).log(namespace, pod.metadata!.name!, 'app', output, { follow: true });
		await eventually(() => kube.emulator.stats().openLogStreams === 1);
		await core.deleteNamespacedPod({ namespace, name: pod.metadata!.name! });
		await ended;
		expect(kube.emulator.stats().openLogStreams).toBe(0);
	});
});

describe('fault injection', () => {
	it('fails image pulls: the pod stays Pending with ErrImagePull, then ImagePullBackOff', async () => {
		const fault = kube.emulator.faults.failImagePull({ image: 'missing-tag' });
		try {
			await apps.createNamespacedDeployment({
				namespace,
				body: deployment('no-image', { image: 'ghcr.io/example/web:missing-tag' })
			});
			const reasons = new Set<string>();
			const pod = await eventually(async () => {
				const [current] = await podsOf('no-image');
				const waiting = current?.status?.containerStatuses?.[0]?.state?.waiting;
				if (waiting?.reason) reasons.add(waiting.reason);
				return reasons.has('ImagePullBackOff') ? current : undefined;
			});
			expect(reasons.has('ErrImagePull')).toBe(true);
			expect(pod.status?.phase).toBe('Pending');
			expect(fault.hits).toBe(1);
			const log = await apiError(core.readNamespacedPodLog({ namespace, name: pod.metadata!.name! }));
			expect(log.status.message).toContain('is waiting to start');
		} finally {
			fault.remove();
		}
	});

	it('crash-loops: restarts climb, the last state records the exit code', async () => {
		const fault = kube.emulator.faults.crashLoop({ deployment: 'crashing', exitCode: 3, message: 'FATAL: config missing' });
		try {
			await apps.createNamespacedDeployment({ namespace, body: deployment('crashing') });
			const pod = await eventually(async () => {
				const [current] = await podsOf('crashing');
				const status = current?.status?.containerStatuses?.[0];
				return status && status.restartCount >= 2 && status.state?.waiting?.reason === 'CrashLoopBackOff' ? current : undefined;
			});
			const status = pod.status!.containerStatuses![0];
			expect(status.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
			expect(status.state?.waiting?.message).toContain('back-off');
			expect(isReady(pod)).toBe(false);
			const previous = await core.readNamespacedPodLog({ namespace, name: pod.metadata!.name!, previous: true });
			expect(previous).toContain('FATAL: config missing');
			expect(previous).toContain('Process exited with code 3');
		} finally {
			fault.remove();
		}
	});

	it('fails the next matching API requests with 503 and 429 (with Retry-After)', async () => {
		const unavailable = kube.emulator.faults.apiError({ method: 'GET', path: '/configmaps', status: 503, times: 2 });
		expect((await apiError(core.listNamespacedConfigMap({ namespace }))).code).toBe(503);
		const second = await apiError(core.listNamespacedConfigMap({ namespace }));
		expect(second.status).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
		await core.listNamespacedConfigMap({ namespace });
		expect(unavailable.remaining).toBe(0);

		kube.emulator.faults.apiError({ path: /\/secrets$/, status: 429, retryAfterSeconds: 2 });
		const throttled = await apiError(core.listNamespacedSecret({ namespace }));
		expect(throttled.code).toBe(429);
		expect(throttled.headers['retry-after']).toBe('2');
		expect(throttled.status.reason).toBe('TooManyRequests');
	});

	it('adds latency', async () => {
		kube.emulator.faults.latency({ path: '/api/v1/namespaces/emulator-test/configmaps/versions', ms: 300, times: 1 });
		const started = Date.now();
		await core.readNamespacedConfigMap({ namespace, name: 'versions' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		const quick = Date.now();
		await core.readNamespacedConfigMap({ namespace, name: 'versions' });
		expect(Date.now() - quick).toBeLessThan(290);
	});

	it('holds a request until the test releases it', async () => {
		const held = kube.emulator.faults.hold({ method: 'GET', path: '/configmaps/versions' });
		let answered = false;
		const reading = core.readNamespacedConfigMap({ namespace, name: 'versions' }).then((configMap) => {
			answered = true;
			return configMap;
		});
		await held.reached;
		// One hold stops one request: the next one is served meanwhile.
		await core.readNamespacedConfigMap({ namespace, name: 'versions' });
		expect(answered).toBe(false);
		held.release();
		expect((await reading).metadata?.name).toBe('versions');
	});

	it('takes faults and reports counters over HTTP too', async () => {
		const call = (method: string, path: string, body?: unknown) =>
			fetch(`${kube.emulator.url}${path}`, {
				method,
				headers: { Authorization: `Bearer ${kube.emulator.token}`, 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
		const created = await call('POST', '/_emulator/faults', {
			type: 'apiError',
			method: 'GET',
			path: '/limitranges',
			status: 500
		});
		expect(created.status).toBe(201);
		expect((await apiError(core.listNamespacedLimitRange({ namespace }))).code).toBe(500);
		expect((await call('POST', '/_emulator/faults', { type: 'nonsense' })).status).toBe(400);

		const stats = (await (await call('GET', '/_emulator/stats')).json()) as {
			objects: Record<string, number>;
			openLogStreams: number;
		};
		expect(stats.objects.Deployment).toBe(kube.emulator.list('Deployment').length);
		expect(stats.openLogStreams).toBe(0);
		expect((await fetch(`${kube.emulator.url}/_emulator/stats`)).status).toBe(401);
	});
});

describe('namespaces', () => {
	it('terminate before they go: new content refused meanwhile, a second delete answered 409', async () => {
		await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
		await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'c' } } });
		await apps.createNamespacedDeployment({ namespace: 'doomed', body: deployment('app') });
		await eventually(async () => (await core.listNamespacedPod({ namespace: 'doomed' })).items.length === 1);

		const deleted = await core.deleteNamespace({ name: 'doomed' });
		// client-node types the answer as a Status; the API server sends the Namespace.
		expect(deleted.kind).toBe('Namespace');
		expect((deleted.status as { phase?: string }).phase).toBe('Terminating');
		const terminating = await core.readNamespace({ name: 'doomed' });
		expect(terminating.metadata?.deletionTimestamp).toBeDefined();
		expect(terminating.status?.phase).toBe('Terminating');

		const again = await apiError(core.deleteNamespace({ name: 'doomed' }));
		expect(again.code).toBe(409);
		expect(again.status.message).toBe(
			'Operation cannot be fulfilled on namespaces "doomed": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.'
		);
		const refused = await apiError(core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'late' } } }));
		expect(refused.code).toBe(403);
		expect(refused.status).toMatchObject({
			reason: 'Forbidden',
			message: 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated',
			details: { causes: [{ reason: 'NamespaceTerminating', field: 'metadata.namespace' }] }
		});

		await eventually(() => kube.emulator.get('Namespace', undefined, 'doomed') === undefined);
		for (const kind of ['Pod', 'ConfigMap', 'Deployment', 'Event']) expect(kube.emulator.list(kind, 'doomed'), kind).toEqual([]);
		// Every reconcile the deletion queued has run, and none brought a pod back.
		await kube.emulator.settled();
		expect(kube.emulator.list('Pod', 'doomed')).toEqual([]);
		await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
	});

	it('are labelled with their name, as selectors expect', async () => {
		const read = await core.readNamespace({ name: namespace });
		expect(read.metadata?.labels?.['kubernetes.io/metadata.name']).toBe(namespace);
		expect(read.status?.phase).toBe('Active');
	});
});

describe('deletion', () => {
	it('gives a pod its grace period: Terminating, not ready, then gone and replaced', async () => {
		await apps.createNamespacedDeployment({ namespace, body: deployment('graceful') });
		const pod = await readyPod('graceful');
		const answer = await core.deleteNamespacedPod({ namespace, name: pod.metadata!.name! });
		expect(answer.metadata?.deletionTimestamp).toBeDefined();
		const terminating = kube.emulator.get('Pod', namespace, pod.metadata!.name!) as unknown as V1Pod;
		expect(terminating.metadata?.deletionTimestamp).toBeDefined();
		expect(isReady(terminating)).toBe(false);
		// The ReplicaSet does not count a terminating pod: its replacement is on its way already.
		await eventually(async () => (await podsOf('graceful')).some((p) => p.metadata?.name !== pod.metadata!.name && isReady(p)));
		await eventually(() => kube.emulator.get('Pod', namespace, pod.metadata!.name!) === undefined);
		await apps.deleteNamespacedDeployment({ namespace, name: 'graceful' });
	});

	it('keeps a claim its pod still uses until the pod is gone (pvc-protection)', async () => {
		await core.createNamespacedPersistentVolumeClaim({
			namespace,
			body: { metadata: { name: 'kept' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }
		});
		const claimed = deployment('claimer');
		claimed.spec!.template.spec!.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'kept' } }];
		await apps.createNamespacedDeployment({ namespace, body: claimed });
		await readyPod('claimer');
		const claim = await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'kept' });
		expect(claim.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);

		await core.deleteNamespacedPersistentVolumeClaim({ namespace, name: 'kept' });
		expect(
			(await core.readNamespacedPersistentVolumeClaim({ namespace, name: 'kept' })).metadata?.deletionTimestamp
		).toBeDefined();
		await apps.deleteNamespacedDeployment({ namespace, name: 'claimer' });
		await eventually(() => kube.emulator.get('PersistentVolumeClaim', namespace, 'kept') === undefined);
		expect(kube.emulator.list('Pod', namespace).filter((p) => p.metadata.labels?.app === 'claimer')).toEqual([]);
	});
});

describe('admission', () => {
	const quotaNamespace = 'admission-quota';

	beforeAll(async () => {
		await core.createNamespace({ body: { metadata: { name: quotaNamespace } } });
		await core.createNamespacedResourceQuota({
			namespace: quotaNamespace,
			body: {
				metadata: { name: 'tight' },
				spec: { hard: { 'requests.storage': '1Gi', 'limits.cpu': '500m', 'limits.memory': '256Mi', pods: '2' } }
			}
		});
		await core.createNamespacedLimitRange({
			namespace: quotaNamespace,
			body: {
				metadata: { name: 'limits' },
				spec: {
					limits: [
						{ type: 'Container', max: { cpu: '500m' }, _default: { cpu: '250m', memory: '128Mi' } },
						{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' } }
					]
				}
			}
		});
	});

	const claim = (name: string, storage: string) => ({
		metadata: { name },
		spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } }
	});

	it('charges the quota before storage finds an existing object (kubernetes#106842)', async () => {
		await core.createNamespacedPersistentVolumeClaim({ namespace: quotaNamespace, body: claim('data', '1Gi') });
		const twin = await apiError(
			core.createNamespacedPersistentVolumeClaim({ namespace: quotaNamespace, body: claim('data', '1Gi') })
		);
		expect(twin.code).toBe(403);
		expect(twin.status.message).toBe(
			'persistentvolumeclaims "data" is forbidden: exceeded quota: tight, requested: requests.storage=1Gi, used: requests.storage=1Gi, limited: requests.storage=1Gi'
		);
		const quota = await core.readNamespacedResourceQuota({ namespace: quotaNamespace, name: 'tight' });
		expect(quota.status?.used).toMatchObject({ 'requests.storage': '1Gi', pods: '0' });
	});

	it('refuses claims above the LimitRange maximum', async () => {
		const big = await apiError(
			core.createNamespacedPersistentVolumeClaim({ namespace: quotaNamespace, body: claim('big', '4Gi') })
		);
		expect(big.code).toBe(403);
		expect(big.status.message).toBe(
			'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 4Gi'
		);
	});

	it('defaults container limits from the LimitRange, and a ReplicaSet refused by the quota shows on the Deployment', async () => {
		await apps.createNamespacedDeployment({ namespace: quotaNamespace, body: deployment('sized', { replicas: 3 }) });
		const failure = await eventually(async () => {
			const read = await apps.readNamespacedDeployment({ namespace: quotaNamespace, name: 'sized' });
			return read.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
		});
		expect(failure.reason).toBe('FailedCreate');
		expect(failure.message).toMatch(
			/^pods "sized-[a-z0-9]+-" is forbidden: exceeded quota: tight, requested: limits\.cpu=250m,limits\.memory=128Mi,pods=1, used: limits\.cpu=500m,limits\.memory=256Mi,pods=2, limited: limits\.cpu=500m,limits\.memory=256Mi,pods=2$/
		);
		const pods = kube.emulator.list('Pod', quotaNamespace) as unknown as V1Pod[];
		expect(pods).toHaveLength(2);
		expect(pods[0].spec?.containers[0].resources?.limits).toEqual({ cpu: '250m', memory: '128Mi' });
		// Fewer replicas fit: the condition goes.
		await apps.patchNamespacedDeploymentScale(
			{ namespace: quotaNamespace, name: 'sized', body: { spec: { replicas: 2 } } },
			setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
		);
		await eventually(async () => {
			const read = await apps.readNamespacedDeployment({ namespace: quotaNamespace, name: 'sized' });
			return !read.status?.conditions?.some((c) => c.type === 'ReplicaFailure');
		});
	});

	it('enforces the namespace Pod Security level on pods, with PodSecurity’s words', async () => {
		await core.createNamespace({
			body: { metadata: { name: 'psa-restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }
		});
		const rootPod = { metadata: { name: 'root' }, spec: { containers: [{ name: 'app', image: 'example/app:1' }] } };
		const refused = await apiError(core.createNamespacedPod({ namespace: 'psa-restricted', body: rootPod }));
		expect(refused.code).toBe(403);
		expect(refused.status.message).toBe(
			'pods "root" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")'
		);
		const compliant = {
			metadata: { name: 'compliant' },
			spec: {
				securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
				containers: [
					{
						name: 'app',
						image: 'example/app:1',
						securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }
					}
				]
			}
		};
		expect((await core.createNamespacedPod({ namespace: 'psa-restricted', body: compliant })).metadata?.name).toBe('compliant');
		// Only the safe sysctls are allowed (baseline's "Sysctls" rule, restricted included).
		const withSysctls = (name: string, sysctls: { name: string; value: string }[]) => ({
			metadata: { name },
			spec: { ...compliant.spec, securityContext: { ...compliant.spec.securityContext, sysctls } }
		});
		const safe = withSysctls('low-port', [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
		expect((await core.createNamespacedPod({ namespace: 'psa-restricted', body: safe })).metadata?.name).toBe('low-port');
		const unsafe = withSysctls('unsafe', [
			{ name: 'net.ipv4.tcp_syncookies', value: '1' },
			{ name: 'kernel.msgmax', value: '65536' },
			{ name: 'net.core.somaxconn', value: '1024' }
		]);
		const refusedSysctls = await apiError(core.createNamespacedPod({ namespace: 'psa-restricted', body: unsafe }));
		expect(refusedSysctls.code).toBe(403);
		expect(refusedSysctls.status.message).toBe(
			'pods "unsafe" is forbidden: violates PodSecurity "restricted:latest": forbidden sysctls (kernel.msgmax, net.core.somaxconn)'
		);
		// The same pod through a Deployment: the ReplicaSet is refused, the Deployment says why.
		await apps.createNamespacedDeployment({ namespace: 'psa-restricted', body: deployment('rooted') });
		const failure = await eventually(async () => {
			const read = await apps.readNamespacedDeployment({ namespace: 'psa-restricted', name: 'rooted' });
			return read.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
		});
		expect(failure.message).toMatch(/^pods "rooted-[a-z0-9]+-" is forbidden: violates PodSecurity "restricted:latest": /);
	});
});

describe('cert-manager', () => {
	it('issues the TLS Secret an annotated Ingress names, owned by nobody, so it outlives the Ingress', async () => {
		const networking = kube.kubeConfig.makeApiClient(NetworkingV1Api);
		await networking.createNamespacedIngress({
			namespace,
			body: {
				metadata: { name: 'site', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' } },
				spec: {
					tls: [{ hosts: ['site.example.id'], secretName: 'site-tls' }],
					rules: [{ host: 'site.example.id' }]
				}
			}
		});
		const secret = await eventually(() => kube.emulator.get('Secret', namespace, 'site-tls'));
		expect(secret).toMatchObject({
			type: 'kubernetes.io/tls',
			metadata: {
				annotations: { 'cert-manager.io/issuer-name': 'letsencrypt-prod', 'cert-manager.io/issuer-kind': 'ClusterIssuer' }
			}
		});
		expect(secret.metadata.ownerReferences).toBeUndefined();
		expect(Object.keys(secret.data as object).sort()).toEqual(['tls.crt', 'tls.key']);
		await networking.deleteNamespacedIngress({ namespace, name: 'site' });
		expect(kube.emulator.get('Secret', namespace, 'site-tls')).toBeDefined();
	});
});

describe('cert-manager with several TLS entries', () => {
	it('issues a Secret per TLS entry, and none for an entry taken off before its certificate came', async () => {
		const networking = kube.kubeConfig.makeApiClient(NetworkingV1Api);
		const entry = (host: string) => ({ hosts: [host], secretName: `${host.split('.')[0]}-tls` });
		const body = (hosts: string[]) => ({
			metadata: { name: 'shop', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' } },
			spec: { tls: hosts.map(entry), rules: hosts.map((host) => ({ host })) }
		});
		// The entry must be taken off before its certificate comes: a window that holds on a
		// busy machine, where two calls in a row can be seconds apart.
		const issueMs = scaled(3_000);
		kube.emulator.configure({ certificateIssueMs: issueMs });
		onTestFinished(() => kube.emulator.configure({ certificateIssueMs: 50 }));
		await networking.createNamespacedIngress({
			namespace,
			body: body(['shop.example.id', 'www.tokoku.co.id', 'old.tokoku.co.id'])
		});
		// Taken off at once, as MinisPod does when a domain is removed while its certificate is pending.
		await networking.replaceNamespacedIngress({ namespace, name: 'shop', body: body(['shop.example.id', 'www.tokoku.co.id']) });
		const www = await eventually(() => kube.emulator.get('Secret', namespace, 'www-tls'), issueMs + scaled(5_000));
		expect(www.metadata.annotations).toMatchObject({ 'cert-manager.io/common-name': 'www.tokoku.co.id' });
		await eventually(() => kube.emulator.get('Secret', namespace, 'shop-tls'));
		expect(kube.emulator.get('Secret', namespace, 'old-tls')).toBeUndefined();
		await networking.deleteNamespacedIngress({ namespace, name: 'shop' });
	});
});

describe('metrics.k8s.io', () => {
	const custom = () => kube.kubeConfig.makeApiClient(CustomObjectsApi);
	type PodMetricsList = { items: { metadata: { name: string }; containers: { usage: { cpu: string; memory: string } }[] }[] };

	it('serves PodMetrics of running pods within their limits, changing from one scrape to the next', async () => {
		const sized = deployment('measured');
		sized.spec!.template.spec!.containers[0].resources = { limits: { cpu: '500m', memory: '256Mi' } };
		await apps.createNamespacedDeployment({ namespace, body: sized });
		const pod = await readyPod('measured');
		const read = async () =>
			(await custom().listNamespacedCustomObject({
				group: 'metrics.k8s.io',
				version: 'v1beta1',
				namespace,
				plural: 'pods',
				labelSelector: 'app=measured'
			})) as PodMetricsList;
		const first = await read();
		expect(first.items.map((item) => item.metadata.name)).toEqual([pod.metadata!.name]);
		const usage = first.items[0].containers[0].usage;
		const cpu = parseQuantity(usage.cpu);
		const memory = parseQuantity(usage.memory);
		expect(cpu).toBeGreaterThan(0);
		expect(cpu).toBeLessThan(0.5);
		expect(memory).toBeGreaterThan(0);
		expect(memory).toBeLessThan(256 * 2 ** 20);
		await eventually(async () => (await read()).items[0].containers[0].usage.cpu !== usage.cpu);
		const one = (await custom().getNamespacedCustomObject({
			group: 'metrics.k8s.io',
			version: 'v1beta1',
			namespace,
			plural: 'pods',
			name: pod.metadata!.name!
		})) as { kind: string };
		expect(one.kind).toBe('PodMetrics');
	});

	it('can be absent, as on a cluster without metrics-server: 404', async () => {
		kube.emulator.configure({ metricsApi: false });
		try {
			const missing = await apiError(
				custom().listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', namespace, plural: 'pods' })
			);
			expect(missing.code).toBe(404);
			const groups = await fetch(`${kube.emulator.url}/apis`, { headers: { Authorization: `Bearer ${kube.emulator.token}` } });
			expect(((await groups.json()) as { groups: { name: string }[] }).groups.map((g) => g.name)).not.toContain('metrics.k8s.io');
		} finally {
			kube.emulator.configure({ metricsApi: true });
		}
	});
});
