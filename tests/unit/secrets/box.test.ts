import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecretKey, open, parseSecretKey, seal, sealedKeyId, type Keyring } from '../../../src/lib/server/secrets/box';
import { KEY_FILE_NAME, resolveKeyring } from '../../../src/lib/server/secrets/keyring';
import { openSecrets, sealSecrets } from '../../../src/lib/server/secrets/instance-secrets';
import { parseConfig } from '../../../src/lib/server/config';

const keyA = parseSecretKey(generateSecretKey());
const keyB = parseSecretKey(generateSecretKey());
const ring: Keyring = { current: keyA, previous: [] };

describe('sealing a secret (AES-256-GCM)', () => {
	it('opens what it sealed, and never shows the plaintext', () => {
		const sealed = seal(ring, 'admin-token-123', 'instance:1:ADMIN_TOKEN');
		expect(sealed).not.toContain('admin-token-123');
		expect(sealed).toMatch(/^enc:v1:/);
		expect(open(ring, sealed, 'instance:1:ADMIN_TOKEN')).toBe('admin-token-123');
		// A fresh nonce each time: the same value seals differently.
		expect(seal(ring, 'admin-token-123', 'instance:1:ADMIN_TOKEN')).not.toBe(sealed);
	});

	it('does not open with a wrong key', () => {
		const sealed = seal(ring, 'value', 'c');
		expect(() => open({ current: keyB, previous: [] }, sealed, 'c')).toThrow(/key MinisPod does not have/);
		// Even a value relabelled with the other key's id does not open (the tag fails).
		const relabelled = sealed.replace(keyA.id, keyB.id);
		expect(() => open({ current: keyB, previous: [] }, relabelled, 'c')).toThrow();
	});

	it('detects tampering with the ciphertext, the tag or the context', () => {
		const sealed = seal(ring, 'value', 'instance:1:X');
		const parts = sealed.split(':');
		const body = Buffer.from(parts[5], 'base64url');
		body[0] ^= 1;
		const tampered = [...parts.slice(0, 5), body.toString('base64url')].join(':');
		expect(() => open(ring, tampered, 'instance:1:X')).toThrow();
		const tag = Buffer.from(parts[4], 'base64url');
		tag[0] ^= 1;
		expect(() => open(ring, [...parts.slice(0, 4), tag.toString('base64url'), parts[5]].join(':'), 'instance:1:X')).toThrow();
		expect(() => open(ring, sealed, 'instance:2:X')).toThrow();
	});

	it('opens values sealed with the previous key during a rotation', () => {
		const old = seal({ current: keyB, previous: [] }, 'old', 'c');
		const rotated: Keyring = { current: keyA, previous: [keyB] };
		expect(open(rotated, old, 'c')).toBe('old');
		expect(sealedKeyId(seal(rotated, 'new', 'c'))).toBe(keyA.id);
	});

	it('accepts 32-byte keys in hex or base64 only', () => {
		expect(parseSecretKey('ab'.repeat(32)).key).toHaveLength(32);
		expect(() => parseSecretKey('too-short')).toThrow(/32 bytes/);
	});

	it('reads plain values of rows from before encryption, and seals per instance and name', () => {
		const sealed = sealSecrets('i1', { ADMIN_TOKEN: 'plain' }, ring);
		expect(sealed.ADMIN_TOKEN).not.toContain('plain');
		expect(openSecrets('i1', sealed, ring)).toEqual({ ADMIN_TOKEN: 'plain' });
		expect(openSecrets('i1', { LEGACY: 'still-plain' }, ring)).toEqual({ LEGACY: 'still-plain' });
		expect(() => openSecrets('i2', sealed, ring)).toThrow();
	});
});

describe('the secret key', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'minispod-key-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('is generated once in the data directory, readable by its owner only', () => {
		const first = resolveKeyring({ dataDir: dir, secretKey: {} });
		const file = path.join(dir, KEY_FILE_NAME);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(resolveKeyring({ dataDir: dir, secretKey: {} }).current.id).toBe(first.current.id);
		expect(parseSecretKey(readFileSync(file, 'utf8')).id).toBe(first.current.id);
	});

	it('comes from MINISPOD_SECRET_KEY when set, with the previous key for rotation', () => {
		const current = generateSecretKey();
		const previous = generateSecretKey();
		const config = parseConfig({ MINISPOD_SECRET_KEY: current, MINISPOD_SECRET_KEY_PREVIOUS: previous, MINISPOD_DATA_DIR: dir });
		const keyring = resolveKeyring(config);
		expect(keyring.current.id).toBe(parseSecretKey(current).id);
		expect(keyring.previous.map((key) => key.id)).toEqual([parseSecretKey(previous).id]);
	});

	it('is required in production with a database of its own', () => {
		expect(() => parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db.example/minispod' })).toThrow(
			/MINISPOD_SECRET_KEY: required/
		);
		expect(() =>
			parseConfig({
				NODE_ENV: 'production',
				DATABASE_URL: 'postgres://db.example/minispod',
				MINISPOD_SECRET_KEY: generateSecretKey()
			})
		).not.toThrow();
	});
});
