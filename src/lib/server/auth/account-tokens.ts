// The links MinisPod mails to an account: a random token in the link, its SHA-256 in
// `account_tokens` (like session tokens, sessions.ts). Using one is a single conditional
// update, so a link works once even when opened twice at the same moment.
import { and, desc, eq, gt, inArray, isNull, lt } from 'drizzle-orm';
import type { AccountTokenPurpose } from '$lib/statuses';
import type { DbOrTx } from '../db/client';
import { accountTokens, users } from '../db/schema';
import { AppError } from '../errors';
import { generateSessionToken, sessionIdFromToken } from './sessions';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

const HOUR_MS = 3_600_000;

/** How long each kind of link works: a reset for an hour, as the issue asks. */
export const TOKEN_LIFETIME_MS: Record<AccountTokenPurpose, number> = {
	PASSWORD_RESET: HOUR_MS,
	EMAIL_VERIFICATION: 7 * 24 * HOUR_MS,
	EMAIL_CHANGE: 24 * HOUR_MS
};

export const invalidLink = () =>
	new AppError('BAD_REQUEST', say(m.srv2_link_invalid), {
		field: 'token'
	});

/** A new link for the account; it replaces unused links of the same purpose. Returns the raw token. */
export async function issueAccountToken(
	db: DbOrTx,
	token: { userId: string; purpose: AccountTokenPurpose; email: string },
	now = new Date()
): Promise<string> {
	await db
		.delete(accountTokens)
		.where(and(eq(accountTokens.userId, token.userId), eq(accountTokens.purpose, token.purpose), isNull(accountTokens.usedAt)));
	const raw = generateSessionToken();
	await db.insert(accountTokens).values({
		...token,
		tokenHash: sessionIdFromToken(raw),
		expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[token.purpose])
	});
	return raw;
}

const usable = (raw: string, purposes: AccountTokenPurpose[], now: Date) =>
	and(
		eq(accountTokens.tokenHash, sessionIdFromToken(raw)),
		inArray(accountTokens.purpose, purposes),
		isNull(accountTokens.usedAt),
		gt(accountTokens.expiresAt, now)
	);

/** The account an unused, unexpired link belongs to, without using it; throws for any other link. */
export async function peekAccountToken(db: DbOrTx, raw: string, purposes: AccountTokenPurpose[], now = new Date()) {
	const [row] = await db
		.select({ token: accountTokens, user: users })
		.from(accountTokens)
		.innerJoin(users, eq(accountTokens.userId, users.id))
		.where(usable(raw, purposes, now));
	if (!row) throw invalidLink();
	return row;
}

/** Uses a link: marks it used if it still was usable, else throws. */
export async function useAccountToken(db: DbOrTx, raw: string, purposes: AccountTokenPurpose[], now = new Date()) {
	const [token] = await db
		.update(accountTokens)
		.set({ usedAt: now })
		.where(usable(raw, purposes, now))
		.returning();
	if (!token) throw invalidLink();
	return token;
}

/**
 * The account's unused, unexpired link of a purpose, if any: the address it is for and until
 * when it works (never the token, of which only the hash is kept anyway).
 */
export async function pendingAccountToken(db: DbOrTx, userId: string, purpose: AccountTokenPurpose, now = new Date()) {
	const [token] = await db
		.select({ email: accountTokens.email, expiresAt: accountTokens.expiresAt })
		.from(accountTokens)
		.where(
			and(
				eq(accountTokens.userId, userId),
				eq(accountTokens.purpose, purpose),
				isNull(accountTokens.usedAt),
				gt(accountTokens.expiresAt, now)
			)
		)
		.orderBy(desc(accountTokens.expiresAt))
		.limit(1);
	return token ?? null;
}

/** Withdraws the account's unused links of a purpose, so none of them works any more; returns how many. */
export async function withdrawAccountTokens(db: DbOrTx, userId: string, purpose: AccountTokenPurpose): Promise<number> {
	const removed = await db
		.delete(accountTokens)
		.where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)))
		.returning({ tokenHash: accountTokens.tokenHash });
	return removed.length;
}

/** Deletes links that expired more than a day ago, used or not; returns how many. */
export async function deleteExpiredAccountTokens(db: DbOrTx, now = new Date()): Promise<number> {
	const removed = await db
		.delete(accountTokens)
		.where(lt(accountTokens.expiresAt, new Date(now.getTime() - 24 * HOUR_MS)))
		.returning({ tokenHash: accountTokens.tokenHash });
	return removed.length;
}
