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
		expect(config.keepAliveTimeoutSeconds).toBe(65);
	});

	it('names the variable that is wrong', () => {
		expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
		expect(() => parseConfig({ MINISPOD_ROLE: 'cook' })).toThrow(/MINISPOD_ROLE/);
		expect(() => parseConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
		expect(() => parseConfig({ KEEP_ALIVE_TIMEOUT: '0' })).toThrow(/KEEP_ALIVE_TIMEOUT/);
	});

	it('reads the billing and mail settings, with their defaults', () => {
		expect(parseConfig({}).billing).toEqual({ graceDays: 7, renewalNoticeDays: 3, suspendedRetentionDays: 14, testClock: false });
		expect(parseConfig({}).mail).toEqual({ smtpUrl: undefined, from: 'MinisPod <no-reply@minispod.local>' });
		const set = parseConfig({
			MINISPOD_GRACE_DAYS: '10',
			MINISPOD_TEST_CLOCK: 'true',
			SMTP_URL: 'smtps://user:secret@mail.example.com:465',
			MAIL_FROM: 'Billing <billing@example.com>'
		});
		expect(set.billing).toMatchObject({ graceDays: 10, testClock: true });
		expect(set.mail).toEqual({ smtpUrl: 'smtps://user:secret@mail.example.com:465', from: 'Billing <billing@example.com>' });
		expect(() => parseConfig({ SMTP_URL: 'https://mail.example.com' })).toThrow(/SMTP_URL/);
		expect(set.supportEmail).toBeNull();
		expect(parseConfig({ MINISPOD_SUPPORT_EMAIL: ' help@host.example ' }).supportEmail).toBe('help@host.example');
		expect(() => parseConfig({ MINISPOD_SUPPORT_EMAIL: 'helpdesk' })).toThrow(/MINISPOD_SUPPORT_EMAIL/);
		expect(() => parseConfig({ MINISPOD_GRACE_DAYS: '0' })).toThrow(/MINISPOD_GRACE_DAYS/);
	});

	it('reads the manual transfer accounts, none in production unless given, a plain fake in a demo', () => {
		const given = parseConfig({
			NODE_ENV: 'production',
			MINISPOD_TRANSFER_ACCOUNTS: ' BCA | 123 456 7890 | PT MinisPod Indonesia ; Mandiri|137-00-1234567-8|PT MinisPod Indonesia; '
		});
		expect(given.wallet.transferAccounts).toEqual([
			{ bank: 'BCA', number: '123 456 7890', holder: 'PT MinisPod Indonesia' },
			{ bank: 'Mandiri', number: '137-00-1234567-8', holder: 'PT MinisPod Indonesia' }
		]);
		expect(parseConfig({ NODE_ENV: 'production' }).wallet.transferAccounts).toEqual([]);
		expect(parseConfig({ MINISPOD_DEMO: 'false' }).wallet.transferAccounts).toEqual([]);
		expect(parseConfig({}).wallet.transferAccounts).toEqual([
			{ bank: 'Bank Demo', number: '0000 0000 00', holder: 'MinisPod Demo' }
		]);
		expect(() => parseConfig({ MINISPOD_TRANSFER_ACCOUNTS: 'BCA 1234567890 PT MinisPod' })).toThrow(
			/MINISPOD_TRANSFER_ACCOUNTS: expected bank\|number\|holder/
		);
		expect(() => parseConfig({ MINISPOD_TRANSFER_ACCOUNTS: 'BCA|call us|PT MinisPod' })).toThrow(
			/MINISPOD_TRANSFER_ACCOUNTS: .*not digits/
		);
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
		if (!result.success) expect(describeZodError(result.error)).toBe('email: Enter a valid e-mail address');
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
