// Accounts: login with throttling, password changes, sessions (registration, verification
// and resets: account.ts).
import { and, eq, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { sessions, users } from '../db/schema';
import type { Locale } from '$lib/statuses';
import { AppError, badRequest, notFound } from '../errors';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';
import { hashPassword, requireStrongPassword, verifyPassword } from './passwords';
import { createSession, generateSessionToken, type SessionUser } from './sessions';
import { isKnownDevice, rememberDevice } from './devices';
import { sessionsChangedHere } from './session-cache';
import { beginLoginAttempt, loginSucceeded } from './throttle';
import { mailAccountNotice } from './account-mails';

export type Registration = { name: string; email: string; password: string };
export type Credentials = { email: string; password: string };
type ClientInfo = { ipAddress?: string | null; userAgent?: string | null };
/** Who is logging in: the rate-limit key of their address and the device cookie they sent. */
export type LoginContext = { address: string | null; deviceToken?: string };

export const publicUser = (user: typeof users.$inferSelect): SessionUser => ({
	id: user.id,
	name: user.name,
	email: user.email,
	role: user.role,
	isActive: user.isActive,
	emailVerifiedAt: user.emailVerifiedAt,
	locale: user.locale
});

// Verifying against a real hash when the account does not exist keeps the response time
// from telling which e-mail addresses have accounts.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password under the login throttle (throttle.ts). Returns the user and the device
 * cookie's token to set (the device is remembered for the account).
 */
export async function login(db: Db, input: Credentials, context: LoginContext) {
	const email = input.email.trim().toLowerCase();
	const [user] = await db.select().from(users).where(eq(users.email, email));
	const client = { address: context.address, knownDevice: await isKnownDevice(db, user?.id, context.deviceToken) };
	await beginLoginAttempt(db, email, client);

	dummyHash ??= hashPassword('not-a-real-password');
	const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
	if (!user || !valid) throw new AppError('UNAUTHORIZED', say(m.srv_login_incorrect));
	await loginSucceeded(db, email, client);
	if (!user.isActive) throw new AppError('FORBIDDEN', say(m.srv_account_disabled));
	const deviceToken = await rememberDevice(db, user.id, context.deviceToken);
	return { user: publicUser(user), deviceToken };
}

/**
 * Checks the signed-in account's password under the login throttle, so a borrowed session
 * cannot guess it; returns the account.
 */
export async function checkCurrentPassword(db: Db, userId: string, password: string, context: LoginContext) {
	const [user] = await db.select().from(users).where(eq(users.id, userId));
	const client = { address: context.address, knownDevice: await isKnownDevice(db, user.id, context.deviceToken) };
	await beginLoginAttempt(db, user.email, client);
	if (!(await verifyPassword(user.passwordHash, password))) {
		throw badRequest('currentPassword', say(m.srv_not_current_password));
	}
	await loginSucceeded(db, user.email, client);
	return user;
}

/**
 * Changes the password after checking the current one, refusing a guessable new one, and
 * ends every other session of the account.
 */
export async function changePassword(
	db: Db,
	current: { userId: string; sessionId: string },
	input: { currentPassword: string; newPassword: string },
	context: LoginContext
) {
	const user = await checkCurrentPassword(db, current.userId, input.currentPassword, context);
	await requireStrongPassword(input.newPassword, user, 'newPassword');
	const passwordHash = await hashPassword(input.newPassword);
	return db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
		await mailAccountNotice(tx, user, 'password-changed');
		return { endedSessions: await endOtherSessions(tx, current) };
	});
}

/** Ends every session of the account but the current one; returns how many. */
export async function endOtherSessions(db: DbOrTx, current: { userId: string; sessionId: string }): Promise<number> {
	sessionsChangedHere(current.userId);
	const ended = await db
		.delete(sessions)
		.where(and(eq(sessions.userId, current.userId), ne(sessions.id, current.sessionId)))
		.returning({ id: sessions.id });
	return ended.length;
}

export async function listSessions(db: DbOrTx, userId: string) {
	return db.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(sessions.createdAt);
}

export async function startSession(db: DbOrTx, userId: string, days: number, client: ClientInfo = {}) {
	const token = generateSessionToken();
	const session = await createSession(db, token, userId, { days, ...client });
	return { token, session };
}

/** Shown to a customer who opens the admin panel (hooks.server.ts, routes/admin/+layout.server.ts). */
export const ADMIN_ONLY = 'The admin panel is for administrators only.';

/** Remembers the account's language: its pages, mails and notifications use it from now on. */
export async function setAccountLocale(db: DbOrTx, userId: string, locale: Locale): Promise<SessionUser> {
	sessionsChangedHere(userId);
	const [user] = await db.update(users).set({ locale }).where(eq(users.id, userId)).returning();
	if (!user) throw notFound('account');
	return publicUser(user);
}
