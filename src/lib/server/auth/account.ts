// The account's own life: registration that tells nobody which addresses have accounts,
// e-mail verification, password reset by e-mail, and changing name or address. Every link
// is an account token (account-tokens.ts); every mail goes through the outbox in the
// transaction that causes it.
import { and, eq, ne, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';
import type { Locale } from '$lib/statuses';
import type { Db, DbOrTx } from '../db/client';
import { sessions, users } from '../db/schema';
import { AppError, badRequest, invalidState } from '../errors';
import { queueMail } from '../mail/outbox';
import {
	issueAccountToken,
	peekAccountToken,
	pendingAccountToken,
	useAccountToken,
	withdrawAccountTokens
} from './account-tokens';
import { hashPassword, requireStrongPassword } from './passwords';
import { publicUser, checkCurrentPassword, type LoginContext, type Registration } from './service';
import { mailAccountNotice, mailLocale } from './account-mails';
import { loginLockLifted } from './throttle';
import { sessionsChangedHere } from './session-cache';

const normalizeEmail = (email: string) => email.trim().toLowerCase();

async function mailVerificationLink(
	db: DbOrTx,
	user: { id: string; name: string; email: string; locale: Locale | null },
	now: Date
) {
	const token = await issueAccountToken(db, { userId: user.id, purpose: 'EMAIL_VERIFICATION', email: user.email }, now);
	await queueMail(db, {
		to: user.email,
		locale: mailLocale(user),
		kind: 'verify-email',
		data: { name: user.name, link: `/verify-email?token=${token}` },
		essential: true
	});
}

/**
 * Registers an account, or, when the address already has one, mails its owner instead: the
 * answer (nothing) and the work (a hash, a mail) are the same either way, so registration
 * does not tell which addresses have accounts. Nobody is logged in.
 */
/** `locale`: the language the visitor registered in, the account's until it chooses another. */
export async function register(db: Db, input: Registration, locale: Locale | null = null, now = new Date()): Promise<void> {
	const email = normalizeEmail(input.email);
	const name = input.name.trim();
	await requireStrongPassword(input.password, { name, email });
	const passwordHash = await hashPassword(input.password);
	await db.transaction(async (tx) => {
		const [user] = await tx
			.insert(users)
			.values({ name, email, passwordHash, role: 'USER', locale })
			.onConflictDoNothing({ target: users.email })
			.returning();
		if (user) return mailVerificationLink(tx, user, now);
		const [owner] = await tx
			.select({ name: users.name, email: users.email, locale: users.locale })
			.from(users)
			.where(eq(users.email, email));
		await mailAccountNotice(tx, owner, 'register-existing');
	});
}

/** Mails a new verification link to an account that is not verified yet. */
export async function resendVerification(db: Db, userId: string, now = new Date()) {
	await db.transaction(async (tx) => {
		const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
		if (user.emailVerifiedAt) throw invalidState(say(m.srv_already_verified));
		await mailVerificationLink(tx, user, now);
	});
	return { sent: true as const };
}

/** A top-up needs a verified address. */
export async function requireVerifiedEmail(db: DbOrTx, userId: string) {
	const [user] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
	if (!user?.verifiedAt) {
		throw new AppError('EMAIL_NOT_VERIFIED', say(m.srv_verify_before_topup));
	}
}

/**
 * Opens a verification or e-mail change link: verifies the address, or makes the new
 * address the account's (and tells the old one).
 */
export async function confirmEmail(db: Db, token: string, now = new Date()) {
	return db.transaction(async (tx) => {
		const used = await useAccountToken(tx, token, ['EMAIL_VERIFICATION', 'EMAIL_CHANGE'], now);
		const [user] = await tx.select().from(users).where(eq(users.id, used.userId)).for('update');
		sessionsChangedHere(user.id);
		if (used.purpose === 'EMAIL_VERIFICATION') {
			// A link for an address the account no longer has verifies nothing.
			if (used.email !== user.email) throw invalidState(say(m.srv_link_old_address));
			await tx
				.update(users)
				.set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now})` })
				.where(eq(users.id, user.id));
			return { email: user.email, changed: false };
		}
		const [taken] = await tx
			.select({ id: users.id })
			.from(users)
			.where(and(eq(users.email, used.email), ne(users.id, user.id)));
		if (taken) throw badRequest('email', say(m.srv_address_taken_now));
		await tx.update(users).set({ email: used.email, emailVerifiedAt: now }).where(eq(users.id, user.id));
		await queueMail(tx, {
			to: user.email,
			locale: mailLocale(user),
			kind: 'email-changed',
			data: { name: user.name, newEmail: used.email },
			essential: true
		});
		return { email: used.email, changed: true };
	});
}

/**
 * Mails a reset link when the address has an active account; answers the same either way,
 * so the answer does not tell which addresses have accounts.
 */
export async function requestPasswordReset(db: Db, email: string, now = new Date()) {
	await db.transaction(async (tx) => {
		const [user] = await tx
			.select()
			.from(users)
			.where(eq(users.email, normalizeEmail(email)));
		if (!user || !user.isActive) return;
		const token = await issueAccountToken(tx, { userId: user.id, purpose: 'PASSWORD_RESET', email: user.email }, now);
		await queueMail(tx, {
			to: user.email,
			locale: mailLocale(user),
			kind: 'password-reset',
			data: { name: user.name, link: `/reset-password?token=${token}` },
			essential: true
		});
	});
	return { sent: true as const };
}

/**
 * Whether a reset link still works (unused, unexpired, not replaced by a newer one), without
 * using it, so its page can say a dead link is dead before a password is typed. It tells
 * nothing of the account: only what holding the link already proves.
 */
export async function passwordResetLinkUsable(db: DbOrTx, token: string, now = new Date()) {
	try {
		await peekAccountToken(db, token, ['PASSWORD_RESET'], now);
		return { usable: true };
	} catch (error) {
		if (error instanceof AppError && error.field === 'token') return { usable: false };
		throw error;
	}
}

/**
 * Sets a new password from a reset link (once, within the hour): every session of the
 * account but the caller's ends, the login lock on the account is lifted, and, since the
 * link reached the mailbox, the address counts as verified.
 */
export async function resetPassword(
	db: Db,
	input: { token: string; password: string },
	context: LoginContext & { sessionId?: string },
	now = new Date()
) {
	const { user } = await peekAccountToken(db, input.token, ['PASSWORD_RESET'], now);
	await requireStrongPassword(input.password, user);
	const passwordHash = await hashPassword(input.password);
	const endedSessions = await db.transaction(async (tx) => {
		const used = await useAccountToken(tx, input.token, ['PASSWORD_RESET'], now);
		sessionsChangedHere(used.userId);
		const verified = used.email === user.email ? { emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now})` } : {};
		await tx
			.update(users)
			.set({ passwordHash, ...verified })
			.where(eq(users.id, used.userId));
		await mailAccountNotice(tx, user, 'password-changed');
		const others = context.sessionId
			? and(eq(sessions.userId, used.userId), ne(sessions.id, context.sessionId))
			: eq(sessions.userId, used.userId);
		return (await tx.delete(sessions).where(others).returning({ id: sessions.id })).length;
	});
	await loginLockLifted(db, user.email, context.address);
	return { endedSessions };
}

export async function changeName(db: DbOrTx, userId: string, name: string) {
	sessionsChangedHere(userId);
	const [user] = await db.update(users).set({ name: name.trim() }).where(eq(users.id, userId)).returning();
	return publicUser(user);
}

/**
 * Starts moving the account to a new address, after checking the password (a borrowed
 * session must not take the account over): a link goes to the new address, and the
 * account keeps its address until the link is opened. When the address already has an
 * account, its owner is told instead and no link is sent: the answer and the pending change
 * are the same either way, so it does not tell which addresses have accounts (as
 * registration does not); such a change can never be confirmed.
 */
export async function requestEmailChange(
	db: Db,
	userId: string,
	input: { email: string; currentPassword: string },
	context: LoginContext,
	now = new Date()
) {
	const email = normalizeEmail(input.email);
	const user = await checkCurrentPassword(db, userId, input.currentPassword, context);
	if (email === user.email) throw badRequest('email', say(m.srv_already_your_address));
	await db.transaction(async (tx) => {
		const token = await issueAccountToken(tx, { userId, purpose: 'EMAIL_CHANGE', email }, now);
		const [owner] = await tx
			.select({ name: users.name, email: users.email, locale: users.locale })
			.from(users)
			.where(eq(users.email, email));
		if (owner) {
			await mailAccountNotice(tx, owner, 'email-change-existing');
			return;
		}
		await queueMail(tx, {
			to: email,
			locale: mailLocale(user),
			kind: 'email-change',
			data: { name: user.name, newEmail: email, link: `/verify-email?token=${token}` },
			essential: true
		});
	});
	return { pendingEmail: email };
}

/** The address the account is moving to, while its link is unused and unexpired; else null. */
export async function pendingEmailChange(db: DbOrTx, userId: string, now = new Date()) {
	return pendingAccountToken(db, userId, 'EMAIL_CHANGE', now);
}

/** Cancels a pending e-mail change: its link stops working and the address stays as it is. */
export async function cancelEmailChange(db: DbOrTx, userId: string) {
	return { cancelled: (await withdrawAccountTokens(db, userId, 'EMAIL_CHANGE')) > 0 };
}
