// Where the key that seals generated secrets comes from: MINISPOD_SECRET_KEY (with
// MINISPOD_SECRET_KEY_PREVIOUS during a rotation), or, where config.js allows it (embedded
// defaults, development, tests), a key file made once in the data directory, readable by
// its owner only. Set once per process by the runtime, like the logger: the instance loaders
// that open secrets take only a database handle.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSecretKey, parseSecretKey, type Keyring } from './box';

export const KEY_FILE_NAME = 'secret.key';

export type KeySettings = { dataDir: string; secretKey: { current?: string; previous?: string } };

export function resolveKeyring(config: KeySettings): Keyring {
	const previous = config.secretKey.previous ? [parseSecretKey(config.secretKey.previous)] : [];
	if (config.secretKey.current) return { current: parseSecretKey(config.secretKey.current), previous };
	const file = path.join(config.dataDir, KEY_FILE_NAME);
	if (!existsSync(file)) {
		mkdirSync(config.dataDir, { recursive: true });
		// "wx": two processes starting on one data directory do not overwrite each other's key.
		try {
			writeFileSync(file, `${generateSecretKey()}\n`, { mode: 0o600, flag: 'wx' });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
	}
	// The mode given to writeFileSync is masked by the umask; make sure of 0600.
	chmodSync(file, 0o600);
	return { current: parseSecretKey(readFileSync(file, 'utf8')), previous };
}

let keyring: Keyring | undefined;

export function setKeyring(value: Keyring) {
	keyring = value;
}

export function currentKeyring(): Keyring {
	if (!keyring) throw new Error('the secret keyring is not set: start the runtime first');
	return keyring;
}
