// The runtime without a configured cluster: the emulator stands in, the banner says so,
// the cluster works through client-node, and closing the runtime stops the emulator.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/server/config';
import { Cluster } from '../../src/lib/server/kube/cluster';
import { connectCluster } from '../../src/lib/server/kube/connect';
import { createLogger } from '../../src/lib/server/log';
import { appManifests } from '../support/kube';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

describe('the runtime without a cluster configured', () => {
	it('starts the Kubernetes emulator and shows it as a stand-in', () => {
		expect(runtime.emulator).toBeDefined();
		expect(runtime.standIns.cluster).toBe(true);
		expect(runtime.emulator!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(runtime.cluster.kubeConfig.getCurrentCluster()?.server).toBe(runtime.emulator!.url);
		expect(runtime.emulator!.get('Namespace', undefined, runtime.config.kube.ingressNamespace)).toBeDefined();
	});

	it('provisions an app through client-node with quick pods in tests', async () => {
		const { manifests } = appManifests('memos');
		for (const object of manifests.objects) await runtime.cluster.apply(object);
		const started = Date.now();
		const rollout = await runtime.cluster.waitForRollout(manifests.names.namespace, manifests.names.deployment, {
			pollMs: 25,
			timeoutMs: 10_000
		});
		expect(rollout.pods).toHaveLength(1);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('lets tests inject faults', async () => {
		const fault = runtime.emulator!.faults.failImagePull({ image: 'neosmemo' });
		try {
			const { manifests } = appManifests('memos');
			for (const object of manifests.objects) await runtime.cluster.apply(object);
			await expect(
				runtime.cluster.waitForRollout(manifests.names.namespace, manifests.names.deployment, { pollMs: 25, failureGraceMs: 100 })
			).rejects.toThrow(/^Image pull failed/);
		} finally {
			fault.remove();
		}
	});
});

describe('choosing the cluster', () => {
	const logger = createLogger({ level: 'silent', pretty: false });

	it('stops the emulator when the connection closes', async () => {
		const connection = await connectCluster(parseConfig({ MINISPOD_EMULATOR_POD_READY_MS: '50' }).kube, logger);
		expect(connection.emulator).toBeDefined();
		const { url, token } = connection.emulator!;
		const ok = await fetch(`${url}/version`, { headers: { Authorization: `Bearer ${token}` } });
		expect(ok.status).toBe(200);
		await connection.close();
		await expect(fetch(`${url}/version`, { headers: { Authorization: `Bearer ${token}` } })).rejects.toThrow();
	});

	it('uses KUBECONFIG when set, and starts no emulator', async () => {
		const connection = await connectCluster(parseConfig({ MINISPOD_EMULATOR_POD_READY_MS: '50' }).kube, logger);
		const file = path.join(runtime.dataDir, 'kubeconfig.json');
		writeFileSync(file, connection.emulator!.kubeconfig());
		try {
			const configured = await connectCluster(parseConfig({ KUBECONFIG: file }).kube, logger);
			expect(configured.emulator).toBeUndefined();
			expect(configured.cluster).toBeInstanceOf(Cluster);
			expect(configured.cluster.kubeConfig.getCurrentCluster()?.server).toBe(connection.emulator!.url);
			expect((await configured.cluster.ensureNamespace('from-kubeconfig')).action).toBe('created');
			expect(connection.emulator!.get('Namespace', undefined, 'from-kubeconfig')).toBeDefined();
			await configured.close();
		} finally {
			await connection.close();
		}
	});

	it('reads the in-cluster setting from KUBERNETES_SERVICE_HOST', () => {
		expect(parseConfig({}).kube.inCluster).toBe(false);
		expect(parseConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }).kube.inCluster).toBe(true);
		expect(parseConfig({}).kube.emulatorPodReadyMs).toBe(1500);
	});
});
