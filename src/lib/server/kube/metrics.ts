// What the resource metrics API reports for a pod, as numbers MinisPod stores: CPU in
// millicores and memory in MiB, summed over the pod's containers.
// https://github.com/kubernetes/metrics/blob/master/pkg/apis/metrics/v1beta1/types.go
import { parseQuantity } from './quantity';

/** A PodMetrics item as metrics.k8s.io/v1beta1 serves it. */
export type PodMetricsItem = {
	metadata: { name: string; namespace?: string; labels?: Record<string, string> };
	timestamp: string;
	window: string;
	containers: { name: string; usage: { cpu?: string; memory?: string } }[];
};

export type PodUsage = {
	pod: string;
	labels: Record<string, string>;
	/** When the sample was taken (end of the scrape window). */
	at: Date;
	cpuMilli: number;
	memoryMb: number;
};

export function toPodUsage(item: PodMetricsItem): PodUsage {
	const sum = (pick: (usage: { cpu?: string; memory?: string }) => string | undefined) =>
		item.containers.reduce((total, container) => {
			const value = parseQuantity(pick(container.usage) ?? '0');
			return total + (Number.isFinite(value) ? value : 0);
		}, 0);
	return {
		pod: item.metadata.name,
		labels: item.metadata.labels ?? {},
		at: new Date(item.timestamp),
		cpuMilli: Math.round(sum((usage) => usage.cpu) * 1000),
		memoryMb: Math.round(sum((usage) => usage.memory) / 2 ** 20)
	};
}
