// What an account sees of itself: built here only, never the users row (its password hash
// and balances stay on the server).
import { z } from 'zod';
import { LOCALES, ROLES } from '$lib/statuses';
import type { Session } from '../db/schema';
import type { SessionUser } from './sessions';

export const accountViewSchema = z.object({
	id: z.string(),
	name: z.string(),
	email: z.string(),
	role: z.enum(ROLES),
	isActive: z.boolean(),
	/** A top-up needs a verified address. */
	emailVerified: z.boolean(),
	locale: z.enum(LOCALES).nullable()
});
export type AccountView = z.infer<typeof accountViewSchema>;

export function toAccountView(user: SessionUser): AccountView {
	return {
		id: user.id,
		name: user.name,
		email: user.email,
		role: user.role,
		isActive: user.isActive,
		emailVerified: user.emailVerifiedAt !== null,
		locale: user.locale
	};
}

export const sessionViewSchema = z.object({
	/** A short handle of the session (its stored id is a hash of the cookie's token). */
	id: z.string(),
	userAgent: z.string().nullable(),
	ipAddress: z.string().nullable(),
	createdAt: z.date(),
	expiresAt: z.date(),
	current: z.boolean()
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export function toSessionView(session: Session, currentSessionId: string): SessionView {
	return {
		id: session.id.slice(0, 12),
		userAgent: session.userAgent,
		ipAddress: session.ipAddress,
		createdAt: session.createdAt,
		expiresAt: session.expiresAt,
		current: session.id === currentSessionId
	};
}

/** What registration answers, the same whether or not the address had an account. */
export const registrationViewSchema = z.object({ checkEmail: z.literal(true) });
export const sentViewSchema = z.object({ sent: z.literal(true) });
export const emailConfirmationViewSchema = z.object({ email: z.string(), changed: z.boolean() });
export const emailChangeViewSchema = z.object({ pendingEmail: z.string() });
/** An e-mail change waiting for its link to be opened: the new address and until when the link works. */
export const pendingEmailChangeViewSchema = z.object({ email: z.string(), expiresAt: z.date() }).nullable();
