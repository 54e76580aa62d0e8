// Accounts: registration, login with throttling, sessions.
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { hashPassword, verifyPassword } from './passwords';
import { createSession, generateSessionToken, type SessionUser } from './sessions';
import { activeLock, clearFailures, recordFailure } from './throttle';

export type Registration = { name: string; email: string; password: string };
export type Credentials = { email: string; password: string };
type ClientInfo = { ipAddress?: string | null; userAgent?: string | null };

const publicUser = (user: typeof users.$inferSelect): SessionUser => ({
	id: user.id,
	name: user.name,
	email: user.email,
	role: user.role,
	isActive: user.isActive
});

export async function register(db: DbOrTx, input: Registration): Promise<SessionUser> {
	const email = input.email.trim().toLowerCase();
	const passwordHash = await hashPassword(input.password);
	const [user] = await db
		.insert(users)
		.values({ name: input.name.trim(), email, passwordHash, role: 'USER' })
		.onConflictDoNothing({ target: users.email })
		.returning();
	if (!user) {
		throw new AppError('CONFLICT', 'An account with this email already exists.', { field: 'email' });
	}
	return publicUser(user);
}

// Verifying against a real hash when the account does not exist keeps the response time
// from telling which e-mail addresses have accounts.
let dummyHash: Promise<string> | undefined;

export async function login(db: DbOrTx, input: Credentials): Promise<SessionUser> {
	const email = input.email.trim().toLowerCase();
	const throttleKey = `email:${email}`;
	const lockedUntil = await activeLock(db, [throttleKey]);
	if (lockedUntil) {
		const seconds = Math.ceil((lockedUntil.getTime() - Date.now()) / 1000);
		throw new AppError(
			'TOO_MANY_ATTEMPTS',
			`Too many failed attempts. Try again in ${seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}.`,
			{ details: { retryAfterSeconds: seconds } }
		);
	}

	const [user] = await db.select().from(users).where(eq(users.email, email));
	dummyHash ??= hashPassword('not-a-real-password');
	const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
	if (!user || !valid) {
		await recordFailure(db, throttleKey);
		throw new AppError('UNAUTHORIZED', 'Email or password is incorrect.');
	}
	if (!user.isActive) throw new AppError('FORBIDDEN', 'This account is disabled.');
	await clearFailures(db, throttleKey);
	return publicUser(user);
}

export async function startSession(db: DbOrTx, userId: string, days: number, client: ClientInfo = {}) {
	const token = generateSessionToken();
	const session = await createSession(db, token, userId, { days, ...client });
	return { token, session };
}

/** Shown to a customer who opens the admin panel (hooks.server.ts, routes/admin/+layout.server.ts). */
export const ADMIN_ONLY = 'The admin panel is for administrators only.';
