import { describe, expect, it } from 'vitest';
import { planAsSold, priceForPeriod, resourcesChanged, soldResourcesOf } from '../../../src/lib/server/catalog/plan-terms';

const plan = { id: 'plan-pro', name: 'Pro', cpuMilli: 500, memoryMb: 1024, storageGb: 10 };

describe('planAsSold', () => {
	it('gives a subscriber the resources they were sold while they stay on that plan', () => {
		const sold = soldResourcesOf({ ...plan, memoryMb: 512 });
		expect(planAsSold(plan, { planId: plan.id, soldResources: sold })).toEqual({ ...plan, memoryMb: 512 });
	});

	it('gives the plan’s current resources to a new subscriber and after a move to another plan', () => {
		expect(planAsSold(plan, { planId: plan.id, soldResources: null })).toBe(plan);
		const soldOnBasic = { planId: 'plan-basic', cpuMilli: 100, memoryMb: 256, storageGb: 2 };
		expect(planAsSold(plan, { planId: plan.id, soldResources: soldOnBasic })).toBe(plan);
	});
});

describe('resourcesChanged', () => {
	it('notices a change of CPU, memory or storage and nothing else', () => {
		expect(resourcesChanged(plan, { memoryMb: 2048 })).toBe(true);
		expect(resourcesChanged(plan, { cpuMilli: 500, storageGb: 10 })).toBe(false);
		expect(resourcesChanged(plan, {})).toBe(false);
	});
});

describe('priceForPeriod (what renewal charges)', () => {
	const end = new Date('2026-05-01T00:00:00+07:00');
	const subscription = { monthlyPrice: 49_000, pendingMonthlyPrice: 59_000, pendingPriceFrom: end };

	it('keeps the price paid now for a period before the change', () => {
		expect(priceForPeriod(subscription, new Date('2026-04-30T00:00:00+07:00'))).toEqual({
			price: 49_000,
			adoptsPendingPrice: false
		});
	});

	it('charges the new price from the renewal at the end of the paid period on', () => {
		expect(priceForPeriod(subscription, end)).toEqual({ price: 59_000, adoptsPendingPrice: true });
		expect(priceForPeriod(subscription, new Date('2026-06-01T00:00:00+07:00'))).toEqual({
			price: 59_000,
			adoptsPendingPrice: true
		});
	});

	it('charges the monthly price when no change waits', () => {
		expect(priceForPeriod({ monthlyPrice: 49_000, pendingMonthlyPrice: null, pendingPriceFrom: null }, end).price).toBe(49_000);
	});
});
