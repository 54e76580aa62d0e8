import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../src/lib/server/events';

describe('reconnecting the event listener', () => {
	it('waits longer after each failed attempt, up to a cap, with jitter', () => {
		for (let attempt = 0; attempt < 12; attempt++) {
			const base = Math.min(15_000, 250 * 2 ** attempt);
			const delay = reconnectDelay(attempt);
			expect(delay).toBeGreaterThanOrEqual(base / 2);
			expect(delay).toBeLessThanOrEqual(base);
		}
		expect(reconnectDelay(40)).toBeLessThanOrEqual(15_000);
	});
});
