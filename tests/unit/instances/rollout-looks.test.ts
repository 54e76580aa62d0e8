import { describe, expect, it } from 'vitest';
import { nextLookAfterMs } from '../../../src/lib/server/provisioning/rollout-check';
import { LOOK_AGAIN_MS } from '../../../src/lib/server/provisioning/objects';

describe('looks at a rollout', () => {
	it('come soon at first (a pod that starts at once is ready within a moment), then every LOOK_AGAIN_MS', () => {
		expect([1, 2, 3, 4, 10].map(nextLookAfterMs)).toEqual([250, 500, LOOK_AGAIN_MS, LOOK_AGAIN_MS, LOOK_AGAIN_MS]);
	});
});
