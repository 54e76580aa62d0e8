import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { AppError, badRequest } from '../errors';
import { semaphore } from '../util/semaphore';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

// argon2id with the OWASP-recommended minimums (19 MiB, 2 iterations).
const options = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

/**
 * Hashing is CPU-bound: unbounded, a burst of logins takes every core and the whole server
 * answers slowly (/healthz went from 73 ms to 3.1 s under 200 parallel logins). At most one
 * hash per spare core runs at once; the rest wait in a bounded line.
 */
const hashing = semaphore(Math.max(1, availableParallelism() - 1), {
	maxWaiting: 200,
	onFull: () =>
		new AppError('TOO_MANY_ATTEMPTS', say(m.srv2_busy), {
			details: { retryAfterSeconds: 5 }
		})
});

export function hashPassword(password: string): Promise<string> {
	return hashing.run(() => hash(password, options));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	return hashing.run(async () => {
		try {
			return await verify(passwordHash, password);
		} catch {
			return false;
		}
	});
}

/** Hashes running and waiting (tests check the bound). */
export const hashingLoad = () => hashing.load();

/**
 * Refuses a guessable password as a field error; the owner's name and address count as
 * guessable. zxcvbn's dictionaries (7 MiB of heap) are loaded with the first password
 * checked, not at start (issue 16).
 */
export async function requireStrongPassword(password: string, owner: { name: string; email: string }, field = 'password') {
	const { passwordStrength } = await import('$lib/password-strength');
	if (!passwordStrength(password, [owner.name, owner.email]).acceptable) throw badRequest(field, say(m.srv_weak_password));
}
