// The Kubernetes emulator with a client-node configuration and a Cluster on top, plus the
// manifests of a catalog app, for tests that talk Kubernetes over HTTP.
import { templateSecrets } from '../../src/lib/server/kube/companion';
import { randomUUID } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { seedServices } from '../../src/lib/server/seed/catalog';
import { Cluster, type ClusterOptions } from '../../src/lib/server/kube/cluster';
import { startKubeEmulator, type KubeEmulator, type KubeEmulatorOptions } from '../../standins/kube-emulator';
import { ensureGeneratedSecrets } from '../../src/lib/server/kube/environment';
import type { KubeSettings } from '../../src/lib/server/kube/inputs';
import { buildManifests } from '../../src/lib/server/kube/manifests';
import { scaled } from './timeouts';

export const testSettings: KubeSettings = {
	baseDomain: 'apps.test.minispod.id',
	ingressClass: 'nginx',
	ingressNamespace: 'ingress-nginx',
	clusterIssuer: 'letsencrypt-staging',
	storageClass: undefined,
	clusterDns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }
};

export type TestCluster = { emulator: KubeEmulator; kubeConfig: KubeConfig; cluster: Cluster; close: () => Promise<void> };

export async function startTestCluster(options: KubeEmulatorOptions & { cluster?: ClusterOptions } = {}): Promise<TestCluster> {
	const emulator = await startKubeEmulator({
		podReadyDelayMs: 100,
		logIntervalMs: 50,
		// Pods and namespaces take a moment to go, as on a real cluster, only shorter.
		podTerminationMs: 100,
		namespaceTerminationMs: 200,
		certificateIssueMs: 50,
		metricsIntervalMs: 50,
		namespaces: [testSettings.ingressNamespace],
		...options
	});
	const kubeConfig = new KubeConfig();
	kubeConfig.loadFromString(emulator.kubeconfig());
	const cluster = new Cluster(kubeConfig, { retry: { baseDelayMs: 10, maxDelayMs: 50 }, ...options.cluster });
	return { emulator, kubeConfig, cluster, close: () => emulator.stop() };
}

/** Every manifest of one catalog app for a fresh user and instance. */
export function appManifests(slug = 'vaultwarden', overrides: { subdomain?: string; userId?: string; stopped?: boolean } = {}) {
	const service = seedServices.find((candidate) => candidate.slug === slug);
	if (!service) throw new Error(`No catalog app ${slug}`);
	const instance = {
		id: randomUUID(),
		userId: overrides.userId ?? randomUUID(),
		name: `Test ${service.name}`,
		subdomain: overrides.subdomain ?? `${slug}-${randomUUID().slice(0, 6)}`
	};
	const plan = { id: randomUUID(), ...service.plans[0] };
	const { secrets } = ensureGeneratedSecrets(templateSecrets(service), null);
	return {
		service,
		plan,
		instance,
		secrets,
		manifests: buildManifests({
			service,
			plan,
			instance,
			settings: testSettings,
			secrets,
			stopped: overrides.stopped,
			namespaceApps: []
		})
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value that is not undefined or false. */
export async function eventually<T>(
	check: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs = scaled(5_000)
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
		await sleep(20);
	}
}
