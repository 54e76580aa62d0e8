import { describe, expect, it } from 'vitest';
import { generateSessionToken, sessionIdFromToken } from '../../../src/lib/server/auth/sessions';
import { hashPassword, verifyPassword } from '../../../src/lib/server/auth/passwords';

describe('session tokens', () => {
	it('are random, long and URL-safe', () => {
		const tokens = new Set(Array.from({ length: 200 }, generateSessionToken));
		expect(tokens.size).toBe(200);
		for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('are stored only as their SHA-256', () => {
		const token = generateSessionToken();
		const id = sessionIdFromToken(token);
		expect(id).toMatch(/^[0-9a-f]{64}$/);
		expect(id).not.toContain(token);
		expect(sessionIdFromToken(token)).toBe(id);
		expect(sessionIdFromToken(generateSessionToken())).not.toBe(id);
	});

	it('keep the ids of sessions already stored: SHA-256 in lowercase hex', () => {
		// FIPS 180-2's example "abc" (https://csrc.nist.gov/projects/cryptographic-standards-and-guidelines/example-values).
		expect(sessionIdFromToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('passwords', () => {
	it('are hashed with argon2id and verified', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(hash, 'wrong horse battery')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
	});
});
