// Authenticated encryption of small secrets at rest: AES-256-GCM with a random 96-bit nonce
// per value (NIST SP 800-38D, section 8.2.2), the key named by a short fingerprint so a value
// sealed under a previous key is recognised and re-sealed under the current one. The
// additional data binds a value to where it belongs, so a sealed value copied to another
// instance or variable does not open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type SecretKey = { id: string; key: Buffer };
/** The key values are sealed with, and earlier keys that still open old values. */
export type Keyring = { current: SecretKey; previous: SecretKey[] };

/** A 32-byte key given as 64 hex digits or as base64 (what `openssl rand -base64 32` prints). */
export function parseSecretKey(text: string): SecretKey {
	const trimmed = text.trim();
	const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
	if (key.length !== 32) throw new Error('a secret key must be 32 bytes: 64 hex digits or 44 base64 characters');
	return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

export function generateSecretKey() {
	return randomBytes(32).toString('base64');
}

export function isSealed(value: string) {
	return value.startsWith(PREFIX);
}

/** The id of the key a sealed value was sealed with. */
export function sealedKeyId(value: string) {
	return value.slice(PREFIX.length).split(':')[0];
}

export function seal(keyring: Keyring, plaintext: string, context: string) {
	const nonce = randomBytes(NONCE_BYTES);
	const cipher = createCipheriv('aes-256-gcm', keyring.current.key, nonce, { authTagLength: TAG_BYTES });
	cipher.setAAD(Buffer.from(context));
	const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
	const parts = [nonce, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
	return `${PREFIX}${keyring.current.id}:${parts.join(':')}`;
}

/** The plaintext of a sealed value; throws when no key opens it or it was altered. */
export function open(keyring: Keyring, sealed: string, context: string) {
	if (!isSealed(sealed)) throw new Error('not a sealed value');
	const [keyId, nonce, tag, body] = sealed.slice(PREFIX.length).split(':');
	const secretKey = [keyring.current, ...keyring.previous].find((candidate) => candidate.id === keyId);
	if (!secretKey || nonce === undefined || tag === undefined || body === undefined) {
		throw new Error('this value was sealed with a key MinisPod does not have (set MINISPOD_SECRET_KEY_PREVIOUS)');
	}
	const decipher = createDecipheriv('aes-256-gcm', secretKey.key, Buffer.from(nonce, 'base64url'), {
		authTagLength: TAG_BYTES
	});
	decipher.setAAD(Buffer.from(context));
	decipher.setAuthTag(Buffer.from(tag, 'base64url'));
	return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
