// The dashboard's resource totals: the measured apps' use against their own plans' limits, so
// an app waiting for its first reading does not make the share look smaller than it is.
import { describe, expect, it } from 'vitest';
import { addUpUsage, type UsageView } from '../../../src/lib/server/instances/usage';

const measured = (cpuMilli: number, memoryMb: number, limits: { cpuMilli: number; memoryMb: number }): UsageView => ({
	state: 'measured',
	at: new Date('2026-11-27T10:00:00Z'),
	cpuMilli,
	memoryMb,
	limits
});

describe('the customer’s usage totals', () => {
	it('compare what the measured apps use with what their plans allow, leaving out apps not measured yet', () => {
		const totals = addUpUsage([
			measured(250, 300, { cpuMilli: 500, memoryMb: 512 }),
			{ state: 'unknown' },
			measured(43, 100, { cpuMilli: 250, memoryMb: 256 })
		]);
		expect(totals).toEqual({
			apps: 3,
			measuredApps: 2,
			unavailable: false,
			cpuMilli: 293,
			memoryMb: 400,
			limits: { cpuMilli: 750, memoryMb: 768 }
		});
	});

	it('have nothing to compare before any app is measured, and say when the cluster has no metrics', () => {
		expect(addUpUsage([{ state: 'unknown' }])).toMatchObject({ apps: 1, measuredApps: 0, limits: { cpuMilli: 0, memoryMb: 0 } });
		expect(addUpUsage([{ state: 'unavailable' }, { state: 'unknown' }]).unavailable).toBe(true);
	});
});
