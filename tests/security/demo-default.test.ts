// Item 12 of the hardening issue: MINISPOD_DEMO defaulted to true, so a production start
// created demo accounts and printed their passwords.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/server/config';

describe('demo accounts', () => {
	it('are made by default only on embedded defaults', () => {
		expect(parseConfig({}).demo).toBe(true);
		expect(parseConfig({ NODE_ENV: 'development' }).demo).toBe(true);
		expect(parseConfig({ DATABASE_URL: 'postgres://db.example:5432/minispod' }).demo).toBe(false);
		expect(parseConfig({ NODE_ENV: 'production' }).demo).toBe(false);
		expect(parseConfig({ DATABASE_URL: 'postgres://db.example:5432/minispod', MINISPOD_DEMO: 'true' }).demo).toBe(true);
		expect(parseConfig({ MINISPOD_DEMO: 'false' }).demo).toBe(false);
	});

	it('are never made in production, even when asked for', () => {
		expect(() => parseConfig({ NODE_ENV: 'production', MINISPOD_DEMO: 'true' })).toThrow(/MINISPOD_DEMO/);
	});
});
