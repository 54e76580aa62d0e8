import { describe, expect, it } from 'vitest';
import { availableSlots, likePattern } from '../../../src/lib/server/catalog/service';
import { seedServices } from '../../../src/lib/server/seed/catalog';

describe('available slots', () => {
	it('is total minus used, never negative', () => {
		expect(availableSlots({ totalQuota: 10, usedQuota: 3 })).toBe(7);
		expect(availableSlots({ totalQuota: 10, usedQuota: 10 })).toBe(0);
		expect(availableSlots({ totalQuota: 5, usedQuota: 9 })).toBe(0);
	});
});

describe('search patterns', () => {
	it('takes LIKE wildcards in the search term literally', () => {
		expect(likePattern('blog')).toBe('%blog%');
		expect(likePattern('100%')).toBe('%100\\%%');
		expect(likePattern('a_b')).toBe('%a\\_b%');
	});
});

describe('seed catalog', () => {
	const tierOrder = ['FREE', 'BASIC', 'PRO', 'PREMIUM', 'ENTERPRISE'];

	it('has at least twenty real apps with pinned images', () => {
		expect(seedServices.length).toBeGreaterThanOrEqual(20);
		expect(new Set(seedServices.map((service) => service.slug)).size).toBe(seedServices.length);
		for (const service of seedServices) {
			const tag = service.dockerImage.split(':').at(-1);
			expect(tag, service.slug).toBeTruthy();
			expect(tag, service.slug).not.toBe('latest');
			expect(service.dockerImage, service.slug).toContain(service.version);
			expect(service.defaultPort).toBeGreaterThan(0);
			expect(service.healthCheckPath.startsWith('/')).toBe(true);
		}
	});

	it('gives each app three or four plans rising in tier, price and resources', () => {
		for (const service of seedServices) {
			expect(service.plans.length, service.slug).toBeGreaterThanOrEqual(3);
			expect(service.plans.length, service.slug).toBeLessThanOrEqual(4);
			for (let i = 1; i < service.plans.length; i++) {
				const [lower, higher] = [service.plans[i - 1], service.plans[i]];
				expect(tierOrder.indexOf(higher.planType)).toBeGreaterThan(tierOrder.indexOf(lower.planType));
				expect(higher.monthlyPrice).toBeGreaterThan(lower.monthlyPrice);
				expect(higher.cpuMilli).toBeGreaterThanOrEqual(lower.cpuMilli);
				expect(higher.memoryMb).toBeGreaterThanOrEqual(lower.memoryMb);
			}
			for (const plan of service.plans) {
				expect(Number.isInteger(plan.monthlyPrice)).toBe(true);
				expect(plan.totalQuota).toBeGreaterThan(0);
			}
		}
	});

	it('says for every environment variable where its value comes from', () => {
		for (const service of seedServices) {
			for (const entry of service.envTemplate) {
				const sources = [entry.value, entry.secret, entry.derived, entry.companion].map((source) => source !== undefined);
				expect(sources.filter(Boolean), `${service.slug} ${entry.name}`).toHaveLength(1);
			}
		}
		const secrets = seedServices.flatMap((s) => s.envTemplate.filter((e) => e.secret));
		expect(secrets.length).toBeGreaterThan(0);
		// Only a template with a companion database wires one in.
		for (const service of seedServices) {
			const wired = service.envTemplate.some((entry) => entry.companion);
			expect(wired, service.slug).toBe(service.companionDatabase !== null);
		}
	});
});
