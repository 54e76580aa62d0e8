import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/lib/server/config';
import { describeZodError } from '../../src/lib/server/trpc/init';
import { registerInput } from '../../src/lib/server/auth/schemas';
import { safeRedirectTarget } from '../../src/lib/redirect';

describe('configuration', () => {
	it('runs on embedded defaults with nothing set', () => {
		const config = parseConfig({});
		expect(config.databaseUrl).toBeUndefined();
		expect(config.port).toBe(3000);
		expect(config.role).toBe('all');
		expect(config.origin).toBe('http://localhost:3000');
		expect(config.wallet.minTopUp).toBe(10_000);
		expect(config.midtrans.serverKey).toBeUndefined();
	});

	it('names the variable that is wrong', () => {
		expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
		expect(() => parseConfig({ MINISPOD_ROLE: 'cook' })).toThrow(/MINISPOD_ROLE/);
		expect(() => parseConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
	});

	it('bootstraps an administrator only with both e-mail and password', () => {
		expect(parseConfig({ ADMIN_EMAIL: 'ops@example.com' }).admin).toBeUndefined();
		expect(parseConfig({ ADMIN_EMAIL: 'ops@example.com', ADMIN_PASSWORD: 'longenough' }).admin).toEqual({
			email: 'ops@example.com',
			password: 'longenough'
		});
	});
});

describe('validation messages', () => {
	it('name the field at fault', () => {
		const result = registerInput.safeParse({ name: 'A', email: 'nope', password: 'longenough' });
		expect(result.success).toBe(false);
		if (!result.success) expect(describeZodError(result.error)).toBe('email: Enter a valid email address');
	});
});

describe('redirect after login', () => {
	it('follows only same-site paths', () => {
		expect(safeRedirectTarget('/catalog/n8n')).toBe('/catalog/n8n');
		expect(safeRedirectTarget('https://evil.example')).toBe('/catalog');
		expect(safeRedirectTarget('//evil.example')).toBe('/catalog');
		expect(safeRedirectTarget(null)).toBe('/catalog');
	});
});
