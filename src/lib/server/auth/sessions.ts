// Sessions as in the Lucia guide: a random token lives only in the httpOnly cookie; the
// database keeps its SHA-256. Sessions expire and are renewed while in use.
import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { eq, lt, sql } from 'drizzle-orm';
import { prepared, type DbOrTx } from '../db/client';
import { sessions, users, type Session, type User } from '../db/schema';
import { sessionsChangedHere, type SessionCache } from './session-cache';

export const SESSION_COOKIE = 'minispod_session';
const DAY_MS = 24 * 60 * 60 * 1000;

export type SessionUser = Pick<User, 'id' | 'name' | 'email' | 'role' | 'isActive' | 'emailVerifiedAt' | 'locale'>;
/** `renewed` when the expiry moved forward, so the cookie must be set again. */
/**
 * `balance` is the user's credit as this lookup read it: the page header shows it. A session
 * served from a session cache has none (null).
 */
export type SessionValidation = {
	session: Session;
	user: SessionUser;
	balance: number | null;
	/** The balance's version as read with it (users.balanceVersion), null with it. */
	balanceVersion: number | null;
	renewed: boolean;
} | null;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/**
 * The stored id of a token: its SHA-256 in hex. Every signed-in request computes it, so with
 * node:crypto (OpenSSL), about 0.6 µs, rather than @oslojs/crypto's JavaScript, 3.4 µs (issue 16).
 */
export function sessionIdFromToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
	db: DbOrTx,
	token: string,
	userId: string,
	options: { days: number; userAgent?: string | null; ipAddress?: string | null }
): Promise<Session> {
	const [session] = await db
		.insert(sessions)
		.values({
			id: sessionIdFromToken(token),
			userId,
			expiresAt: new Date(Date.now() + options.days * DAY_MS),
			userAgent: options.userAgent?.slice(0, 300) ?? null,
			ipAddress: options.ipAddress ?? null
		})
		.returning();
	return session;
}

/**
 * The session and its user in one lookup, prepared: every signed-in request runs it. It reads
 * the credit balance too, so a page's header needs no round trip of its own (issue 16).
 */
const sessionLookup = (db: DbOrTx) =>
	db
		.select({
			session: sessions,
			user: {
				id: users.id,
				name: users.name,
				email: users.email,
				role: users.role,
				isActive: users.isActive,
				emailVerifiedAt: users.emailVerifiedAt,
				locale: users.locale
			},
			balance: users.creditBalance,
			balanceVersion: users.balanceVersion
		})
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, sql.placeholder('sessionId')))
		.prepare('session_lookup');

/**
 * The session of a token and its user, or null. With a cache (session-cache.ts), a copy held
 * there is served while its session is not due for renewal, and what is looked up is kept.
 */
export async function validateSessionToken(
	db: DbOrTx,
	token: string,
	options: { days: number; cache?: SessionCache }
): Promise<SessionValidation> {
	const sessionId = sessionIdFromToken(token);
	const { cache } = options;
	// Renew once less than half the lifetime is left.
	const renewWithinMs = (options.days * DAY_MS) / 2;
	const held = cache?.get(sessionId);
	if (held && held.user.isActive && held.session.expiresAt.getTime() - Date.now() >= renewWithinMs) {
		return { session: held.session, user: held.user, balance: null, balanceVersion: null, renewed: false };
	}
	const mark = cache?.mark();
	const [row] = await prepared(db, 'session_lookup', sessionLookup).execute({ sessionId });
	if (!row) return null;

	const { session, user, balance, balanceVersion } = row;
	if (Date.now() >= session.expiresAt.getTime() || !user.isActive) {
		await db.delete(sessions).where(eq(sessions.id, sessionId));
		return null;
	}
	const renewed = session.expiresAt.getTime() - Date.now() < renewWithinMs;
	if (renewed) {
		session.expiresAt = new Date(Date.now() + options.days * DAY_MS);
		await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, sessionId));
	} else if (cache && mark !== undefined) {
		cache.store(sessionId, { session, user }, mark);
	}
	return { session, user, balance, balanceVersion, renewed };
}

/** Ends a session (signing out). */
export async function invalidateSession(db: DbOrTx, session: Pick<Session, 'id' | 'userId'>) {
	sessionsChangedHere(session.userId);
	await db.delete(sessions).where(eq(sessions.id, session.id));
}

/** Removes every expired session; returns how many. */
export async function deleteExpiredSessions(db: DbOrTx, now = new Date()): Promise<number> {
	const removed = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
	return removed.length;
}

export function setSessionCookie(cookies: Pick<Cookies, 'set'>, token: string, expiresAt: Date, secure: boolean) {
	cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: expiresAt,
		path: '/'
	});
}

export function deleteSessionCookie(cookies: Pick<Cookies, 'set'>, secure: boolean) {
	cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure, maxAge: 0, path: '/' });
}
