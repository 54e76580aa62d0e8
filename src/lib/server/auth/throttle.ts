// Login throttling, in rate limits that an attacker cannot turn against the account's owner.
// An attempt consumes its points before the password is checked (one atomic statement per
// limit), so parallel attempts cannot slip past a lock; a right password gives its points
// back. Limits (rate-limit.ts): failures per address+account pair, per address whatever the
// account, and per account from anywhere. The per-account lock stops a distributed guesser
// but would lock the owner out, so the right password from a device the account has logged
// in from before (a long-lived device cookie) passes it, and lifts it.
import type { Db } from '../db/client';
import { consumeLimits, refundLimit, resetLimit } from '../rate-limit';

export type LoginClient = {
	/** The rate-limit key of the client's address (null when unknown or exempt). */
	address: string | null;
	/** The account logs in from a browser it has used before. */
	knownDevice: boolean;
};

const pairKey = (email: string, client: LoginClient) => (client.address ? `${client.address}|${email}` : null);

/** Before the password is checked: counts the attempt against every limit it is under. */
export async function beginLoginAttempt(db: Db, email: string, client: LoginClient) {
	await consumeLimits(
		db,
		client.knownDevice
			? [{ limit: 'login:pair', key: pairKey(email, client) }]
			: [
					{ limit: 'login:address', key: client.address },
					{ limit: 'login:pair', key: pairKey(email, client) },
					{ limit: 'login:account', key: email }
				]
	);
}

/** The password was right: the attempt was no failure, and a known device lifts the account's lock. */
export async function loginSucceeded(db: Db, email: string, client: LoginClient) {
	await resetLimit(db, 'login:pair', pairKey(email, client));
	if (client.knownDevice) {
		await resetLimit(db, 'login:account', email);
		return;
	}
	await refundLimit(db, 'login:address', client.address);
	await refundLimit(db, 'login:account', email);
}

/**
 * A password reset from the e-mailed link proves the owner: it lifts the account's lock, and
 * the lock of the pair with the address the reset came from.
 */
export async function loginLockLifted(db: Db, email: string, address: string | null) {
	await resetLimit(db, 'login:account', email);
	await resetLimit(db, 'login:pair', pairKey(email, { address, knownDevice: false }));
}
