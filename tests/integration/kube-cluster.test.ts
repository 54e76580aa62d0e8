// Cluster, the module provisioning will use, against the emulator over HTTP through
// client-node: idempotent apply, rollouts and their human failure reasons, scaling,
// restarts, retries, logs and cleanup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, type V1ConfigMap, type V1Deployment } from '@kubernetes/client-node';
import { Cluster } from '../../src/lib/server/kube/cluster';
import { ClusterError, toClusterError } from '../../src/lib/server/kube/errors';
import { planResources } from '../../src/lib/server/kube/instance-objects';
import { buildManifests } from '../../src/lib/server/kube/manifests';
import { kubeconfigFor } from '../../standins/kube-emulator';
import { appManifests, eventually, startTestCluster, testSettings, type TestCluster } from '../support/kube';

let kube: TestCluster;
let cluster: Cluster;

beforeAll(async () => {
	kube = await startTestCluster();
	cluster = kube.cluster;
});
afterAll(() => kube?.close());

const fast = { pollMs: 25, timeoutMs: 15_000, failureGraceMs: 150 };

async function provision(slug = 'vaultwarden', overrides: Parameters<typeof appManifests>[1] = {}) {
	const app = appManifests(slug, overrides);
	for (const object of app.manifests.objects) await cluster.apply(object);
	return app;
}

async function rejection(promise: Promise<unknown>): Promise<ClusterError> {
	const error = await promise.then(
		() => undefined,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(ClusterError);
	return error as ClusterError;
}

describe('apply', () => {
	it('creates every object once; applying again changes nothing', async () => {
		const { manifests } = appManifests('n8n');
		const first = [];
		for (const object of manifests.objects) first.push((await cluster.apply(object)).action);
		expect(first).toEqual(Array(10).fill('created'));
		const counts = kube.emulator.stats().objects;

		const second = [];
		for (const object of manifests.objects) second.push((await cluster.apply(object)).action);
		expect(second).toEqual(Array(10).fill('unchanged'));
		const after = kube.emulator.stats().objects;
		// (Secrets are left out: cert-manager adds the Ingress's TLS Secret meanwhile.)
		for (const kind of ['Namespace', 'ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'Service', 'Ingress', 'NetworkPolicy']) {
			expect(after[kind], kind).toBe(counts[kind]);
		}
	});

	it('brings existing objects to the new desired state (an upgrade)', async () => {
		const app = await provision('ghost');
		const { namespace, deployment } = app.manifests.names;
		await cluster.waitForRollout(namespace, deployment, fast);
		const bigger = { ...app.plan, cpuMilli: 1000, memoryMb: 1024, storageGb: 8 };
		const upgraded = buildManifests({ ...app, plan: bigger, settings: testSettings, namespaceApps: [] });
		const actions = Object.fromEntries(
			await Promise.all(upgraded.objects.map(async (object) => [object.kind, (await cluster.apply(object)).action] as const))
		);
		expect(actions).toMatchObject({
			Deployment: 'updated',
			PersistentVolumeClaim: 'updated',
			ResourceQuota: 'updated',
			LimitRange: 'updated',
			Secret: 'unchanged',
			Service: 'unchanged',
			Ingress: 'unchanged'
		});
		const deploymentNow = await cluster.getDeployment(namespace, deployment);
		expect(deploymentNow?.spec?.template.spec?.containers[0].resources?.limits).toMatchObject({ cpu: '1000m', memory: '1024Mi' });
		const claim = await cluster.read<typeof upgraded.persistentVolumeClaim>(
			'PersistentVolumeClaim',
			namespace,
			app.manifests.names.persistentVolumeClaim
		);
		expect(claim?.spec?.resources?.requests).toEqual({ storage: '8Gi' });
		expect(claim?.spec?.volumeName).toBeTruthy();
		const rollout = await cluster.waitForRollout(namespace, deployment, fast);
		expect(rollout.pods).toHaveLength(1);
	});

	it('reads first and replaces what exists: never a create that is expected to fail', async () => {
		const core = kube.kubeConfig.makeApiClient(CoreV1Api);
		await cluster.ensureNamespace('apply-existing');
		await core.createNamespacedConfigMap({
			namespace: 'apply-existing',
			body: { metadata: { name: 'settings', labels: { owner: 'someone' } }, data: { old: 'x' } }
		});
		const desired: V1ConfigMap = {
			apiVersion: 'v1',
			kind: 'ConfigMap',
			metadata: { name: 'settings', namespace: 'apply-existing' },
			data: { fresh: 'y' }
		};
		const result = await cluster.apply(desired);
		expect(result.action).toBe('updated');
		expect(result.object.data).toEqual({ fresh: 'y' });
		// Labels someone else put there stay.
		expect(result.object.metadata?.labels).toEqual({ owner: 'someone' });
		const posts = kube.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/apply-existing/configmaps'));
		expect(posts.map((r) => r.status)).toEqual([201]);
	});

	it('keeps an existing claim under an exactly sized quota, where creating it again is refused (kubernetes#106842)', async () => {
		const app = await provision('memos');
		const { namespace, persistentVolumeClaim } = app.manifests.names;
		const claimsQuota = { ...app.manifests.resourceQuota, spec: { hard: { 'requests.storage': `${app.plan.storageGb}Gi` } } };
		await cluster.apply(claimsQuota);
		// What the old create-then-replace did first: the API server charges the quota before
		// it notices the claim exists, so the answer is 403 exceeded quota, not 409.
		const core = kube.kubeConfig.makeApiClient(CoreV1Api);
		const refusal = await rejection(
			core.createNamespacedPersistentVolumeClaim({ namespace, body: app.manifests.persistentVolumeClaim }).catch((error) => {
				throw toClusterError(error);
			})
		);
		expect(refusal).toMatchObject({ status: 403, reason: 'QuotaExceeded' });
		expect(refusal.message).toBe(
			`persistentvolumeclaims "${persistentVolumeClaim}" is forbidden: exceeded quota: minispod-quota, requested: requests.storage=${app.plan.storageGb}Gi, used: requests.storage=${app.plan.storageGb}Gi, limited: requests.storage=${app.plan.storageGb}Gi`
		);
		expect((await cluster.apply(app.manifests.persistentVolumeClaim)).action).toBe('unchanged');
	});

	it('re-reads and retries when someone writes in between (409 Conflict)', async () => {
		await cluster.ensureNamespace('apply-conflict');
		const object: V1ConfigMap = {
			apiVersion: 'v1',
			kind: 'ConfigMap',
			metadata: { name: 'raced', namespace: 'apply-conflict' },
			data: { a: '1' }
		};
		await cluster.apply(object);
		// Our replace is held at the server until another writer has got in first.
		const replace = kube.emulator.faults.hold({ method: 'PUT', path: '/apply-conflict/configmaps/raced' });
		const applying = cluster.apply({ ...object, data: { a: 'ours' } });
		await replace.reached;
		await kube.kubeConfig.makeApiClient(CoreV1Api).patchNamespacedConfigMap({
			namespace: 'apply-conflict',
			name: 'raced',
			body: [{ op: 'add', path: '/data/b', value: 'theirs' }]
		});
		replace.release();
		const result = await applying;
		expect(result.object.data).toEqual({ a: 'ours' });
		const puts = kube.emulator.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/configmaps/raced'));
		expect(puts.map((r) => r.status)).toEqual([409, 200]);
	});

	it('keeps a restart stamp when re-applying, so applying does not restart the app', async () => {
		const app = await provision('memos');
		const { namespace, deployment } = app.manifests.names;
		await cluster.restartDeployment(namespace, deployment);
		const { pods } = await cluster.waitForRollout(namespace, deployment, fast);
		expect((await cluster.apply(app.manifests.deployment)).action).toBe('unchanged');
		// Whatever the apply set off in the controller has run before the pods are compared.
		await kube.emulator.settled();
		expect(
			(await cluster.deploymentPods((await cluster.getDeployment(namespace, deployment))!)).map((p) => p.metadata?.name)
		).toEqual(pods);
	});

	it('refuses kinds it does not manage', async () => {
		const error = await rejection(
			cluster.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'default' } })
		);
		expect(error.reason).toBe('BadRequest');
	});
});

describe('rollouts', () => {
	it('resolve when the pod is ready, reporting progress on the way', async () => {
		const app = await provision('gitea');
		const messages: string[] = [];
		const result = await cluster.waitForRollout(app.manifests.names.namespace, app.manifests.names.deployment, {
			...fast,
			onProgress: (progress) => messages.push(progress.message)
		});
		expect(result).toMatchObject({ done: true, desired: 1, ready: 1 });
		expect(result.pods).toHaveLength(1);
		expect(result.pods[0]).toMatch(new RegExp(`^${app.manifests.names.deployment}-[a-z0-9]{10}-[a-z0-9]{5}$`));
		expect(messages.at(-1)).toBe('Ready');
		const [pod] = await cluster.listPods(app.manifests.names.namespace, { 'minispod.io/instance-id': app.instance.id });
		expect(pod.metadata?.name).toBe(result.pods[0]);
	});

	it('fail with the image pull reason read from the cluster', async () => {
		const fault = kube.emulator.faults.failImagePull({ image: 'louislam/uptime-kuma' });
		try {
			const app = await provision('uptime-kuma');
			const error = await rejection(cluster.waitForRollout(app.manifests.names.namespace, app.manifests.names.deployment, fast));
			expect(error.reason).toBe('ImagePullFailed');
			expect(error.message).toMatch(/^Image pull failed: /);
			expect(error.message).toContain('louislam/uptime-kuma:2.0.2@sha256:');
			expect(error.status).toBe(0);
		} finally {
			fault.remove();
		}
	});

	it('fail with the crash loop and its exit code', async () => {
		const fault = kube.emulator.faults.crashLoop({ image: 'neosmemo/memos', exitCode: 1 });
		try {
			const app = await provision('memos');
			const error = await rejection(
				cluster.waitForRollout(app.manifests.names.namespace, app.manifests.names.deployment, { ...fast, crashRestartLimit: 2 })
			);
			expect(error.reason).toBe('CrashLoop');
			expect(error.message).toBe('The app keeps crashing (exit code 1)');
		} finally {
			fault.remove();
		}
	});

	it('time out with what they were waiting for', async () => {
		kube.emulator.configure({ podReadyDelayMs: 60_000 });
		try {
			const app = await provision('vaultwarden');
			const started = Date.now();
			const error = await rejection(
				cluster.waitForRollout(app.manifests.names.namespace, app.manifests.names.deployment, { ...fast, timeoutMs: 400 })
			);
			expect(Date.now() - started).toBeLessThan(3_000);
			expect(error.reason).toBe('Timeout');
			expect(error.message).toMatch(
				/^The app did not become ready within 400 ms \(pod vaultwarden-\S+ is waiting: ContainerCreating\)$/
			);
		} finally {
			kube.emulator.configure({ podReadyDelayMs: 100 });
		}
	});

	it('stop waiting when aborted', async () => {
		kube.emulator.configure({ podReadyDelayMs: 60_000 });
		try {
			const app = await provision('vaultwarden');
			const controller = new AbortController();
			setTimeout(() => controller.abort(new Error('customer left')), 100);
			await expect(
				cluster.waitForRollout(app.manifests.names.namespace, app.manifests.names.deployment, {
					...fast,
					signal: controller.signal
				})
			).rejects.toThrow('customer left');
		} finally {
			kube.emulator.configure({ podReadyDelayMs: 100 });
		}
	});
});

describe('control', () => {
	it('scales to zero (no pods, data kept) and back to one (a new pod)', async () => {
		const app = await provision('vaultwarden');
		const { namespace, deployment, persistentVolumeClaim } = app.manifests.names;
		const first = await cluster.waitForRollout(namespace, deployment, fast);

		await cluster.scaleDeployment(namespace, deployment, 0);
		const stopped = await cluster.waitForRollout(namespace, deployment, fast);
		expect(stopped).toMatchObject({ done: true, desired: 0, pods: [] });
		// The pod is gone once its grace period is over.
		await eventually(
			async () => (await cluster.listPods(namespace, { 'minispod.io/instance-id': app.instance.id })).length === 0
		);
		expect(await cluster.read('PersistentVolumeClaim', namespace, persistentVolumeClaim)).toBeDefined();

		await cluster.scaleDeployment(namespace, deployment, 1);
		const started = await cluster.waitForRollout(namespace, deployment, fast);
		expect(started.pods).toHaveLength(1);
		expect(started.pods[0]).not.toBe(first.pods[0]);
	});

	it('restarts with a new pod', async () => {
		const app = await provision('vaultwarden');
		const { namespace, deployment } = app.manifests.names;
		const before = await cluster.waitForRollout(namespace, deployment, fast);
		const restarted = await cluster.restartDeployment(namespace, deployment, new Date('2030-01-02T03:04:05Z'));
		expect(restarted.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(
			'2030-01-02T03:04:05.000Z'
		);
		const after = await cluster.waitForRollout(namespace, deployment, fast);
		expect(after.pods).toHaveLength(1);
		expect(after.pods[0]).not.toBe(before.pods[0]);
		expect(await cluster.listPods(namespace, { 'minispod.io/instance-id': app.instance.id })).toHaveLength(1);
	});

	it('patches the container resources, rolling a new pod with the new limits', async () => {
		const app = await provision('vaultwarden');
		const { namespace, deployment } = app.manifests.names;
		const before = await cluster.waitForRollout(namespace, deployment, fast);
		const resources = planResources({ cpuMilli: 800, memoryMb: 768 });
		// The namespace's limits must allow the new size first (its LimitRange caps a container).
		const roomier = buildManifests({
			...app,
			plan: { ...app.plan, cpuMilli: 800, memoryMb: 768 },
			settings: testSettings,
			namespaceApps: []
		});
		for (const object of [roomier.resourceQuota, roomier.limitRange]) await cluster.apply(object);
		const patched = await cluster.patchDeploymentResources(namespace, deployment, resources);
		expect(patched.spec?.template.spec?.containers[0].resources).toEqual(resources);
		expect(patched.spec?.template.spec?.containers[0].image).toBe(app.service.dockerImage);
		const after = await cluster.waitForRollout(namespace, deployment, fast);
		expect(after.pods[0]).not.toBe(before.pods[0]);
		const [pod] = await cluster.deploymentPods((await cluster.getDeployment(namespace, deployment))!);
		expect(pod.spec?.containers[0].resources?.limits).toEqual(resources.limits);
	});

	it('deletes idempotently, and a namespace takes its objects along once they are gone', async () => {
		const app = await provision('n8n');
		const { namespace, service, deployment } = app.manifests.names;
		await cluster.waitForRollout(namespace, deployment, fast);
		expect(await cluster.delete('Service', namespace, service)).toBe('deleted');
		expect(await cluster.delete('Service', namespace, service)).toBe('absent');
		expect(await cluster.read('Service', namespace, service)).toBeUndefined();

		expect(await cluster.delete('Namespace', undefined, namespace)).toBe('deleted');
		expect(await cluster.namespaceState(namespace)).toBe('terminating');
		// A second delete while it terminates is answered 409 by the API server: it is going.
		expect(await cluster.delete('Namespace', undefined, namespace)).toBe('going');
		await eventually(async () => (await cluster.namespaceState(namespace)) === 'absent');
		for (const kind of [
			'Deployment',
			'Pod',
			'Secret',
			'ConfigMap',
			'PersistentVolumeClaim',
			'Ingress',
			'NetworkPolicy',
			'ResourceQuota'
		]) {
			expect(kube.emulator.list(kind, namespace), kind).toEqual([]);
		}
		expect(await cluster.getDeployment(namespace, deployment)).toBeUndefined();
		expect(await cluster.delete('Namespace', undefined, namespace)).toBe('absent');
	});

	it('waits for a namespace that is going rather than writing into it', async () => {
		const app = await provision('vaultwarden');
		const { namespace } = app.manifests.names;
		await cluster.delete('Namespace', undefined, namespace);
		const refused = await rejection(cluster.apply(app.manifests.namespace));
		expect(refused).toMatchObject({ reason: 'NamespaceTerminating', retryable: true });
		const core = kube.kubeConfig.makeApiClient(CoreV1Api);
		const created = await rejection(
			core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'late' } } }).catch((error) => {
				throw toClusterError(error);
			})
		);
		expect(created).toMatchObject({ status: 403, reason: 'NamespaceTerminating' });
		expect(created.message).toBe(
			`configmaps "late" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`
		);
		await eventually(async () => (await cluster.namespaceState(namespace)) === 'absent');
		expect((await cluster.apply(app.manifests.namespace)).action).toBe('created');
	});
});

describe('retries', () => {
	it('retry transient 503s and succeed', async () => {
		await cluster.ensureNamespace('retries');
		const fault = kube.emulator.faults.apiError({ method: 'POST', path: '/retries/configmaps', status: 503, times: 2 });
		const result = await cluster.apply({
			apiVersion: 'v1',
			kind: 'ConfigMap',
			metadata: { name: 'flaky', namespace: 'retries' },
			data: { ok: 'yes' }
		});
		expect(result.action).toBe('created');
		expect(fault.remaining).toBe(0);
		const posts = kube.emulator.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/retries/configmaps'));
		expect(posts.map((r) => r.status)).toEqual([503, 503, 201]);
	});

	it('honour 429 and give up after the attempts, with the status', async () => {
		kube.emulator.faults.apiError({
			method: 'GET',
			path: '/retries/configmaps/throttled',
			status: 429,
			retryAfterSeconds: 0,
			times: 1
		});
		expect(await cluster.read('ConfigMap', 'retries', 'throttled')).toBeUndefined();

		const fault = kube.emulator.faults.apiError({
			method: 'GET',
			path: '/retries/configmaps/down',
			status: 500,
			times: 50,
			message: 'etcdserver: request timed out'
		});
		const error = await rejection(cluster.read('ConfigMap', 'retries', 'down'));
		expect(error).toMatchObject({
			status: 500,
			reason: 'InternalError',
			retryable: true,
			message: 'etcdserver: request timed out'
		});
		expect(fault.hits).toBe(5);
		fault.remove();
	});

	it('do not retry what will not change (422)', async () => {
		const before = kube.emulator.requests.length;
		const bad: V1Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Bad_Name', namespace: 'retries' } };
		const error = await rejection(cluster.apply(bad));
		expect(error).toMatchObject({ status: 422, reason: 'Invalid', retryable: false });
		// The read that found nothing, then the one create.
		expect(kube.emulator.requests.length - before).toBe(2);
	});

	it('report an unreachable API server as a network error', async () => {
		const stopped = await startTestCluster();
		await stopped.close();
		const unreachable = Cluster.fromKubeconfigString(kubeconfigFor(stopped.emulator.url, stopped.emulator.token), {
			retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 }
		});
		const error = await rejection(unreachable.getDeployment('default', 'x'));
		expect(error).toMatchObject({ reason: 'NetworkError', retryable: true, status: 0 });
		expect(error.message).toMatch(/^Cannot reach the Kubernetes API/);
	});
});

describe('logs', () => {
	it('stream the log, follow new lines, and close the HTTP stream when aborted', async () => {
		const app = await provision('vaultwarden');
		const { namespace, deployment } = app.manifests.names;
		const [podName] = (await cluster.waitForRollout(namespace, deployment, fast)).pods;

		const all: string[] = [];
		for await (const line of cluster.streamLogs(namespace, podName)) all.push(line);
		expect(all[0]).toBe(`Container started from image ${app.service.dockerImage}`);
		expect(all.some((line) => line.includes('Rocket has launched'))).toBe(true);

		const controller = new AbortController();
		const followed: string[] = [];
		for await (const line of cluster.streamLogs(namespace, podName, { tailLines: 1, follow: true, signal: controller.signal })) {
			followed.push(line);
			expect(kube.emulator.stats().openLogStreams).toBe(1);
			if (followed.length === 4) controller.abort();
		}
		expect(followed).toHaveLength(4);
		expect(followed.slice(1).every((line) => line.includes('GET /alive 200'))).toBe(true);
		await eventually(() => kube.emulator.stats().openLogStreams === 0);
	});

	it('close the stream when the consumer stops reading', async () => {
		const app = await provision('vaultwarden');
		const { namespace, deployment } = app.manifests.names;
		const [podName] = (await cluster.waitForRollout(namespace, deployment, fast)).pods;
		for await (const line of cluster.streamLogs(namespace, podName, { follow: true })) {
			if (line.includes('GET /alive')) break;
		}
		await eventually(() => kube.emulator.stats().openLogStreams === 0);
	});

	it('end when the pod goes away (a restart), and say why a log is not there', async () => {
		const app = await provision('vaultwarden');
		const { namespace, deployment } = app.manifests.names;
		const [podName] = (await cluster.waitForRollout(namespace, deployment, fast)).pods;
		const lines: string[] = [];
		const reading = (async () => {
			for await (const line of cluster.streamLogs(namespace, podName, { follow: true })) lines.push(line);
		})();
		await eventually(() => kube.emulator.stats().openLogStreams === 1);
		await cluster.restartDeployment(namespace, deployment);
		await reading;
		expect(lines.length).toBeGreaterThan(0);
		expect(kube.emulator.stats().openLogStreams).toBe(0);

		const missing = await rejection(
			(async () => {
				for await (const line of cluster.streamLogs(namespace, podName)) expect(line).toBeUndefined();
			})()
		);
		expect(missing).toMatchObject({ status: 404, reason: 'NotFound', message: `pods "${podName}" not found` });
	});

	it('explain a container that has not started', async () => {
		kube.emulator.configure({ podReadyDelayMs: 60_000 });
		try {
			const app = await provision('vaultwarden');
			const { namespace } = app.manifests.names;
			const pod = await eventually(
				async () => (await cluster.listPods(namespace, { 'minispod.io/instance-id': app.instance.id }))[0]
			);
			const error = await rejection(
				(async () => {
					for await (const line of cluster.streamLogs(namespace, pod.metadata!.name!)) expect(line).toBeUndefined();
				})()
			);
			expect(error).toMatchObject({ status: 400, reason: 'BadRequest' });
			expect(error.message).toContain('is waiting to start: ContainerCreating');
		} finally {
			kube.emulator.configure({ podReadyDelayMs: 100 });
		}
	});
});

describe('client-node compatibility', () => {
	it('reads what Cluster wrote through the plain typed API', async () => {
		const app = await provision('n8n');
		const apps = kube.kubeConfig.makeApiClient(AppsV1Api);
		const deployment = await apps.readNamespacedDeployment({
			namespace: app.manifests.names.namespace,
			name: app.manifests.names.deployment
		});
		expect(deployment.spec?.strategy?.type).toBe('Recreate');
		expect(deployment.spec?.template.spec?.automountServiceAccountToken).toBe(false);
		const policy = kube.emulator.get('NetworkPolicy', app.manifests.names.namespace, 'minispod-isolation') as unknown as {
			spec: { ingress: { from: unknown[] }[] };
		};
		// The wire format, not client-node's `_from`.
		expect(policy.spec.ingress[0].from).toEqual([
			{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }
		]);
	});
});
