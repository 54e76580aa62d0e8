// The Grafana dashboard charts every MinisPod metric, and only metrics that exist.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../src/lib/server/metrics';

const dashboard = JSON.parse(
	readFileSync(path.resolve(import.meta.dirname, '../../../deploy/grafana/minispod-dashboard.json'), 'utf8')
) as { panels: { type: string; targets?: { expr: string }[] }[] };

describe('the Grafana dashboard', () => {
	it('queries exactly the metrics MinisPod exports', () => {
		const queried = new Set(
			dashboard.panels
				.flatMap((panel) => panel.targets ?? [])
				.flatMap((target) => target.expr.match(/minispod_[a-z_]+/g) ?? [])
				.map((name) => name.replace(/_(bucket|count|sum)$/, ''))
		);
		const exported = registry
			.getMetricsAsArray()
			.map((metric) => metric.name)
			.filter((name) => name.startsWith('minispod_'));
		expect([...queried].sort()).toEqual(exported.sort());
	});
});
