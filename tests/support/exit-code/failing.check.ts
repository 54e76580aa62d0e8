import { expect, it } from 'vitest';

it('fails on purpose', () => {
	expect('the run').toBe('a failure that CI sees');
});
