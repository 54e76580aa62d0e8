import { describe, expect, it } from 'vitest';
import { FREE_ATTEMPTS, lockDurationMs } from '../../../src/lib/server/auth/throttle';

describe('login throttle', () => {
	it('allows the free attempts without a lock', () => {
		for (let failures = 0; failures < FREE_ATTEMPTS; failures++) expect(lockDurationMs(failures)).toBe(0);
	});

	it('locks after the free attempts and doubles each time', () => {
		expect(lockDurationMs(FREE_ATTEMPTS)).toBe(30_000);
		expect(lockDurationMs(FREE_ATTEMPTS + 1)).toBe(60_000);
		expect(lockDurationMs(FREE_ATTEMPTS + 2)).toBe(120_000);
	});

	it('never locks longer than fifteen minutes', () => {
		expect(lockDurationMs(FREE_ATTEMPTS + 30)).toBe(15 * 60_000);
	});
});
