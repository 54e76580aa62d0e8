// Which cluster MinisPod provisions into: the one KUBECONFIG names, else the one it runs in
// (in-cluster service account), else the emulator on a loopback port, so development and
// tests run the production code path through client-node.
import type { KubeEmulator } from '$standins/kube-emulator';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { Cluster } from './cluster';
import { notConfigured } from '../unconfigured';

export type ClusterConnection = {
	cluster: Cluster;
	/** Set when no cluster is configured and the emulator stands in. */
	emulator?: KubeEmulator;
	close(): Promise<void>;
};

export async function connectCluster(kube: Config['kube'], logger: Logger): Promise<ClusterConnection> {
	if (kube.kubeconfig) {
		logger.info({ kubeconfig: kube.kubeconfig }, 'using the Kubernetes cluster from KUBECONFIG');
		return { cluster: Cluster.fromKubeconfigFile(kube.kubeconfig, { logger }), close: async () => {} };
	}
	if (kube.inCluster) {
		logger.info('using the Kubernetes cluster MinisPod runs in');
		return { cluster: Cluster.inCluster({ logger }), close: async () => {} };
	}
	// The built app never contains the emulator: `import.meta.env.DEV` is false there, so the
	// bundler drops this import; `npm start` runs the stand-ins as a process of their own.
	if (!import.meta.env.DEV) throw new Error(notConfigured('Kubernetes cluster (KUBECONFIG, or running in a cluster)'));
	const { startKubeEmulator } = await import('$standins/kube-emulator');
	const emulator = await startKubeEmulator({
		podReadyDelayMs: kube.emulatorPodReadyMs,
		// The NetworkPolicies let the ingress controller's namespace in; it exists on a real cluster.
		namespaces: [kube.ingressNamespace]
	});
	logger.info({ url: emulator.url }, 'no cluster configured: started the Kubernetes emulator');
	return {
		cluster: Cluster.fromKubeconfigString(emulator.kubeconfig(), { logger }),
		emulator,
		close: () => emulator.stop()
	};
}
