// The resource metrics API (metrics.k8s.io/v1beta1) as metrics-server serves it: one
// PodMetrics per running pod, with each container's CPU (nanocores) and memory (working
// set, Ki) over the last scrape window. The numbers are plausible for the container's
// limits and change from one scrape to the next. A cluster without metrics-server has no
// such API: the emulator can be told so, and then answers 404 like an API server without
// the APIService registered.
// https://kubernetes.io/docs/tasks/debug/debug-cluster/resource-metrics-pipeline/
// https://github.com/kubernetes-sigs/metrics-server
import { createHash } from 'node:crypto';
import { ApiError } from './admission';
import type { Container, PodObject } from './kubelet';
import { resourceTypeForKind } from './resources';
import { matchesLabels, type LabelRequirement } from './selectors';
import type { ObjectStore } from './store';
import { parseQuantity } from '../../src/lib/server/kube/quantity';

export type MetricsOptions = {
	/** Whether metrics.k8s.io is served at all (false: 404, as without metrics-server). */
	metricsApi: boolean;
	/** metrics-server's scrape interval: the numbers change once per window. */
	metricsIntervalMs: number;
};

export const METRICS_GROUP = 'metrics.k8s.io';
const POD = resourceTypeForKind('Pod');

/** A number in [0, 1) from a seed, the same for the same seed. */
function unit(seed: string): number {
	return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

function containerUsage(pod: PodObject, container: Container, window: number) {
	const seed = `${pod.metadata.uid}/${container.name}`;
	const cpuLimit = parseQuantity(container.resources?.limits?.cpu ?? '500m');
	const memoryLimit = parseQuantity(container.resources?.limits?.memory ?? '256Mi');
	// A base load per container, a slow wave and some noise per scrape, within the limits.
	const wave = (Math.sin(window / 7 + unit(seed) * 6.28) + 1) / 2;
	const cpuShare = 0.04 + 0.25 * unit(`${seed}/cpu`) + 0.2 * wave + 0.08 * unit(`${seed}/${window}/cpu`);
	const memoryShare = 0.35 + 0.25 * unit(`${seed}/memory`) + 0.1 * wave + 0.04 * unit(`${seed}/${window}/memory`);
	return {
		cpu: `${Math.round(cpuLimit * Math.min(cpuShare, 0.95) * 1e9)}n`,
		memory: `${Math.round((memoryLimit * Math.min(memoryShare, 0.95)) / 1024)}Ki`
	};
}

export class PodMetricsApi {
	constructor(
		private readonly store: ObjectStore,
		private readonly options: MetricsOptions,
		private readonly isRunning: (pod: PodObject) => boolean
	) {}

	get enabled() {
		return this.options.metricsApi;
	}

	private podMetrics(pod: PodObject, now: number) {
		const window = Math.floor(now / this.options.metricsIntervalMs);
		return {
			metadata: {
				name: pod.metadata.name,
				namespace: pod.metadata.namespace,
				creationTimestamp: new Date(now).toISOString(),
				labels: pod.metadata.labels ?? {}
			},
			timestamp: new Date(window * this.options.metricsIntervalMs).toISOString(),
			window: `${(this.options.metricsIntervalMs / 1000).toFixed(3)}s`,
			containers: pod.spec.containers.map((container) => ({
				name: container.name,
				usage: containerUsage(pod, container, window)
			}))
		};
	}

	private measured(namespace?: string): PodObject[] {
		return (this.store.list(POD, namespace) as PodObject[]).filter((pod) => this.isRunning(pod));
	}

	/** GET .../pods (optionally in a namespace, with a label selector): a PodMetricsList. */
	list(namespace: string | undefined, labels: LabelRequirement[]) {
		const now = Date.now();
		return {
			kind: 'PodMetricsList',
			apiVersion: `${METRICS_GROUP}/v1beta1`,
			metadata: {},
			items: this.measured(namespace)
				.filter((pod) => matchesLabels(labels, pod.metadata.labels))
				.map((pod) => this.podMetrics(pod, now))
		};
	}

	/** GET .../namespaces/{namespace}/pods/{name}: one PodMetrics, or 404 for a pod not running. */
	get(namespace: string, name: string) {
		const pod = this.measured(namespace).find((candidate) => candidate.metadata.name === name);
		if (!pod) {
			throw new ApiError(404, 'NotFound', `podmetrics.${METRICS_GROUP} "${name}" not found`, {
				name,
				group: METRICS_GROUP,
				kind: 'pods'
			});
		}
		return { kind: 'PodMetrics', apiVersion: `${METRICS_GROUP}/v1beta1`, ...this.podMetrics(pod, Date.now()) };
	}
}

/** APIResourceList for metrics.k8s.io/v1beta1. */
export function metricsResourceList() {
	return {
		kind: 'APIResourceList',
		apiVersion: 'v1',
		groupVersion: `${METRICS_GROUP}/v1beta1`,
		resources: [
			{ name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
			{ name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] }
		]
	};
}
