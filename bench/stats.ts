// Latency figures for the benchmarks' tables.

export function percentile(sorted: number[], p: number) {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summary(label: string, samples: number[]) {
	const sorted = [...samples].sort((a, b) => a - b);
	const ms = (value: number) => `${value.toFixed(1)} ms`;
	return {
		case: label,
		n: samples.length,
		p50: ms(percentile(sorted, 50)),
		p95: ms(percentile(sorted, 95)),
		p99: ms(percentile(sorted, 99)),
		max: ms(sorted.at(-1)!)
	};
}
