import { describe, expect, it } from 'vitest';
import { addressKey, checksFor, tooManyAttempts } from '../../src/lib/server/rate-limit';

describe('the rate-limit key of a client address', () => {
	it('is an IPv4 address as it is, also when mapped into IPv6', () => {
		expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
		expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
	});

	it('is the /64 network of an IPv6 address, however it is written', () => {
		expect(addressKey('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
		expect(addressKey('2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
		expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
		expect(addressKey('::1')).toBe('0:0:0:0::/64');
	});

	it('is null for an unknown or exempt client', () => {
		expect(addressKey(null)).toBeNull();
		expect(addressKey('127.0.0.1', ['127.0.0.1'])).toBeNull();
		expect(addressKey('::ffff:127.0.0.1', ['127.0.0.1'])).toBeNull();
	});
});

describe('the limits of an action', () => {
	it('are keyed by address or account as each limit says', () => {
		expect(checksFor('topUp', { address: '203.0.113.7', account: 'u1' })).toEqual([
			{ limit: 'top-up:account', key: 'u1' },
			{ limit: 'top-up:address', key: '203.0.113.7' }
		]);
	});

	it('refuse with the wait in words and seconds', () => {
		expect(tooManyAttempts(45_000).userMessage).toBe('Too many attempts. Try again in 45 seconds.');
		expect(tooManyAttempts(900_000)).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', details: { retryAfterSeconds: 900 } });
		expect(tooManyAttempts(900_000).userMessage).toBe('Too many attempts. Try again in 15 minutes.');
	});
});
