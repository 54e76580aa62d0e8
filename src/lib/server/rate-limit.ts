// Rate limits, shared by every process through rate-limiter-flexible's PostgreSQL store
// (https://github.com/animir/node-rate-limiter-flexible/wiki/PostgreSQL): each limit counts
// points per key in the `rate_limits` table (created by a migration, so `tableCreated`) with
// one atomic upsert per attempt. Keys are a client address or an account; an address of a
// configured exempt client (MINISPOD_RATE_LIMIT_EXEMPT) is not counted.
import { isIPv4, isIPv6 } from 'node:net';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from './db/client';
import { AppError } from './errors';
import { m } from '$lib/paraglide/messages';
import { say } from './sentences';

type Limit = { points: number; seconds: number; blockSeconds?: number };

/** Every limit by name: `<action>:<what the key is>`. README's "Rate limits" lists them. */
export const LIMITS = {
	'register:address': { points: 10, seconds: 3600 },
	'password-reset:address': { points: 5, seconds: 3600 },
	'password-reset:account': { points: 3, seconds: 3600 },
	'verification-mail:account': { points: 5, seconds: 3600 },
	'top-up:account': { points: 10, seconds: 600 },
	'top-up:address': { points: 30, seconds: 600 },
	'proof-upload:account': { points: 10, seconds: 3600 },
	'proof-upload:address': { points: 30, seconds: 3600 },
	'webhook:address': { points: 300, seconds: 60 },
	// Revealing an app's secrets checks the password: a stolen session must not guess it freely.
	'secret-reveal:account': { points: 10, seconds: 900 },
	// Each manual backup is a snapshot on the storage: a few an hour is plenty.
	'backup:account': { points: 6, seconds: 3600 },
	/** Failed logins from one address, whatever the accounts. */
	'login:address': { points: 50, seconds: 3600, blockSeconds: 3600 },
	/** Failed logins from one address to one account. */
	'login:pair': { points: 5, seconds: 900, blockSeconds: 900 },
	/** Failed logins to one account from anywhere; the right password from a known device lifts it. */
	'login:account': { points: 20, seconds: 3600, blockSeconds: 3600 }
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** The limits an action consumes, each keyed by the client's address or the account. */
export const LIMIT_GROUPS = {
	register: ['register:address'],
	passwordReset: ['password-reset:address', 'password-reset:account'],
	verificationMail: ['verification-mail:account'],
	topUp: ['top-up:account', 'top-up:address'],
	proofUpload: ['proof-upload:account', 'proof-upload:address'],
	webhook: ['webhook:address'],
	secretReveal: ['secret-reveal:account'],
	backup: ['backup:account']
} as const satisfies Record<string, readonly LimitName[]>;

export type LimitGroup = keyof typeof LIMIT_GROUPS;

const limiters = new WeakMap<pg.Pool, Map<LimitName, RateLimiterPostgres>>();

function limiter(db: Db, name: LimitName): RateLimiterPostgres {
	let byName = limiters.get(db.$client);
	if (!byName) limiters.set(db.$client, (byName = new Map()));
	let found = byName.get(name);
	if (!found) {
		const limit: Limit = LIMITS[name];
		found = new RateLimiterPostgres({
			storeClient: db.$client,
			storeType: 'pool',
			tableName: 'rate_limits',
			tableCreated: true,
			// Expired rows are removed by the hourly auth-upkeep job, not a timer per process.
			clearExpiredByTimeout: false,
			keyPrefix: name,
			points: limit.points,
			duration: limit.seconds,
			blockDuration: limit.blockSeconds ?? 0
		});
		byName.set(name, found);
	}
	return found;
}

export function tooManyAttempts(retryAfterMs: number) {
	const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
	const wait =
		seconds < 90
			? say(m.srv2_too_many_attempts_seconds, { count: seconds })
			: say(m.srv2_too_many_attempts_minutes, { count: Math.ceil(seconds / 60) });
	return new AppError('TOO_MANY_ATTEMPTS', wait, {
		details: { retryAfterSeconds: seconds }
	});
}

export type LimitCheck = { limit: LimitName; key: string | null | undefined };

/**
 * Consumes one point of each limit (keys that are null are not counted), in order; the first
 * that is used up refuses with TOO_MANY_ATTEMPTS and the later ones are left untouched.
 * Consuming is one atomic statement, so parallel requests cannot slip past a limit.
 */
export async function consumeLimits(db: Db, checks: LimitCheck[]) {
	for (const { limit, key } of checks) {
		if (!key) continue;
		try {
			await limiter(db, limit).consume(key);
		} catch (outcome) {
			if (outcome instanceof RateLimiterRes) throw tooManyAttempts(outcome.msBeforeNext);
			throw outcome;
		}
	}
}

/** Gives back a point consumed for an attempt that turned out legitimate. */
export async function refundLimit(db: Db, limit: LimitName, key: string | null | undefined) {
	if (key) await limiter(db, limit).reward(key, 1);
}

/** Forgets a key's count and any block on it. */
export async function resetLimit(db: Db, limit: LimitName, key: string | null | undefined) {
	if (key) await limiter(db, limit).delete(key);
}

/** Deletes counters that expired more than an hour ago; returns how many. */
export async function deleteExpiredLimits(db: Db, now = Date.now()): Promise<number> {
	const result = await db.$client.query('DELETE FROM rate_limits WHERE expire < $1', [now - 3_600_000]);
	return result.rowCount ?? 0;
}

/**
 * The key for a client address: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64
 * network, since one subscriber gets a whole /64. Null when unknown (server-side callers)
 * or exempt.
 */
export function addressKey(address: string | null | undefined, exempt: readonly string[] = []): string | null {
	if (!address || exempt.includes(address)) return null;
	const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
	if (mapped) return exempt.includes(mapped) ? null : mapped;
	if (isIPv4(address)) return address;
	if (!isIPv6(address)) return address;
	const [head, tail = ''] = address.toLowerCase().split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
	return `${groups
		.slice(0, 4)
		.map((group) => group.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

/** The checks of an action for a client (address key) and an account. */
export function checksFor(group: LimitGroup, keys: { address?: string | null; account?: string | null }): LimitCheck[] {
	return LIMIT_GROUPS[group].map((limit) => ({
		limit,
		key: limit.endsWith(':address') ? keys.address : keys.account
	}));
}
