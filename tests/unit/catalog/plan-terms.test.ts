import { describe, expect, it } from 'vitest';
import {
	planAsSold,
	priceForPeriod,
	resourcesChanged,
	soldTermsOf,
	termsChanged
} from '../../../src/lib/server/catalog/plan-terms';

const plan = {
	id: 'plan-pro',
	name: 'Pro',
	cpuMilli: 500,
	memoryMb: 1024,
	storageGb: 10,
	customDomainsAllowed: 3,
	backupSchedule: 'DAILY' as const,
	backupRetention: 7
};

describe('planAsSold', () => {
	it('gives a subscriber the resources they were sold while they stay on that plan', () => {
		const sold = soldTermsOf({ ...plan, memoryMb: 512 });
		expect(planAsSold(plan, { planId: plan.id, soldTerms: sold })).toEqual({ ...plan, memoryMb: 512 });
	});

	it('keeps the custom domains and backups a subscriber was sold', () => {
		const sold = soldTermsOf({ ...plan, customDomainsAllowed: 1, backupSchedule: 'HOURLY', backupRetention: 24 });
		expect(planAsSold(plan, { planId: plan.id, soldTerms: sold })).toEqual({
			...plan,
			customDomainsAllowed: 1,
			backupSchedule: 'HOURLY',
			backupRetention: 24
		});
	});

	it('gives a caller only the terms it read of the plan', () => {
		const resources = { id: plan.id, cpuMilli: 500, memoryMb: 1024, storageGb: 10 };
		const sold = soldTermsOf({ ...plan, memoryMb: 512 });
		expect(planAsSold(resources, { planId: plan.id, soldTerms: sold })).toEqual({ ...resources, memoryMb: 512 });
	});

	it('gives the plan’s current resources to a new subscriber and after a move to another plan', () => {
		expect(planAsSold(plan, { planId: plan.id, soldTerms: null })).toBe(plan);
		const soldOnBasic = soldTermsOf({ ...plan, id: 'plan-basic', cpuMilli: 100, customDomainsAllowed: 0 });
		expect(planAsSold(plan, { planId: plan.id, soldTerms: soldOnBasic })).toBe(plan);
	});
});

describe('resourcesChanged', () => {
	it('notices a change of CPU, memory or storage and nothing else', () => {
		expect(resourcesChanged(plan, { memoryMb: 2048 })).toBe(true);
		expect(resourcesChanged(plan, { cpuMilli: 500, storageGb: 10 })).toBe(false);
		expect(resourcesChanged(plan, {})).toBe(false);
	});
});

describe('termsChanged', () => {
	it('notices a change of resources, custom domains, backup schedule or retention, and nothing else', () => {
		expect(termsChanged(plan, { customDomainsAllowed: 0 })).toBe(true);
		expect(termsChanged(plan, { backupSchedule: 'NONE' })).toBe(true);
		expect(termsChanged(plan, { backupRetention: 3 })).toBe(true);
		expect(termsChanged(plan, { storageGb: 2 })).toBe(true);
		expect(termsChanged(plan, { customDomainsAllowed: 3, backupSchedule: 'DAILY' })).toBe(false);
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
