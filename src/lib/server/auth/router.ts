import { z } from 'zod';
import { authedProcedure, clientAddressKey, publicProcedure, rateLimited, router, type Context } from '../trpc/init';
import { DEVICE_COOKIE, setDeviceCookie } from './devices';
import { deleteSessionCookie, invalidateSession, setSessionCookie } from './sessions';
import { consumeLimits, checksFor } from '../rate-limit';
import {
	changeEmailInput,
	changeNameInput,
	changePasswordInput,
	confirmEmailInput,
	loginInput,
	registerInput,
	requestPasswordResetInput,
	resetLinkInput,
	resetPasswordInput
} from './schemas';
import { changePassword, endOtherSessions, listSessions, login, setAccountLocale, startSession } from './service';
import {
	cancelEmailChange,
	changeName,
	confirmEmail,
	pendingEmailChange,
	register,
	requestEmailChange,
	passwordResetLinkUsable,
	requestPasswordReset,
	resendVerification,
	resetPassword
} from './account';
import {
	accountViewSchema,
	emailChangeViewSchema,
	emailConfirmationViewSchema,
	pendingEmailChangeViewSchema,
	registrationViewSchema,
	sentViewSchema,
	sessionViewSchema,
	toAccountView,
	toSessionView
} from './views';
import { LOCALES } from '$lib/statuses';
import { getLocale } from '$lib/paraglide/runtime';
import { setLocaleCookie } from '../i18n';

const secureCookies = (ctx: Context) => ctx.runtime.config.origin.startsWith('https://');

async function openSession(ctx: Context, userId: string) {
	const { token, session } = await startSession(ctx.runtime.db, userId, ctx.runtime.config.sessionDays, {
		ipAddress: ctx.ipAddress,
		userAgent: ctx.userAgent
	});
	if (ctx.cookies) setSessionCookie(ctx.cookies, token, session.expiresAt, secureCookies(ctx));
	return { token, session };
}

/** Who is logging in, for the throttle: their address and the device cookie they sent. */
const loginContext = (ctx: Context) => ({ address: clientAddressKey(ctx), deviceToken: ctx.cookies?.get(DEVICE_COOKIE) });

export const authRouter = router({
	/**
	 * Answers "check your e-mail" whether or not the address has an account (its owner is
	 * mailed instead) and logs nobody in; rate limited per client, as it hashes a password.
	 */
	register: publicProcedure
		.input(registerInput)
		.use(rateLimited('register'))
		.output(registrationViewSchema)
		.mutation(async ({ ctx, input }) => {
			await register(ctx.runtime.db, input, getLocale());
			return { checkEmail: true as const };
		}),

	/** Opens a verification or e-mail change link (anyone holding the link may). */
	confirmEmail: publicProcedure
		.input(confirmEmailInput)
		.output(emailConfirmationViewSchema)
		.mutation(({ ctx, input }) => confirmEmail(ctx.runtime.db, input.token)),

	resendVerification: authedProcedure
		.use(rateLimited('verificationMail'))
		.output(sentViewSchema)
		.mutation(({ ctx }) => resendVerification(ctx.runtime.db, ctx.user.id)),

	/** The same answer whether or not the address has an account; limited per client and per address. */
	requestPasswordReset: publicProcedure
		.input(requestPasswordResetInput)
		.output(sentViewSchema)
		.mutation(async ({ ctx, input }) => {
			const account = input.email.trim().toLowerCase();
			await consumeLimits(ctx.runtime.db, checksFor('passwordReset', { address: clientAddressKey(ctx), account }));
			return requestPasswordReset(ctx.runtime.db, account);
		}),

	/** Whether a reset link still works, without using it (its page, before a password is typed). */
	resetLinkUsable: publicProcedure
		.input(resetLinkInput)
		.output(z.object({ usable: z.boolean() }))
		.query(({ ctx, input }) => passwordResetLinkUsable(ctx.runtime.db, input.token)),

	/** A new password from a reset link: every other session of the account ends. */
	resetPassword: publicProcedure
		.input(resetPasswordInput)
		.output(z.object({ endedSessions: z.number() }))
		.mutation(({ ctx, input }) => resetPassword(ctx.runtime.db, input, { ...loginContext(ctx), sessionId: ctx.session?.id })),

	changeName: authedProcedure
		.input(changeNameInput)
		.output(accountViewSchema)
		.mutation(async ({ ctx, input }) => toAccountView(await changeName(ctx.runtime.db, ctx.user.id, input.name))),

	/** Mails a confirmation link to the new address; the address changes when it is opened. */
	requestEmailChange: authedProcedure
		.input(changeEmailInput)
		.output(emailChangeViewSchema)
		.mutation(({ ctx, input }) => requestEmailChange(ctx.runtime.db, ctx.user.id, input, loginContext(ctx))),

	/** The new address an e-mail change waits to be confirmed at, if any (never its link). */
	pendingEmailChange: authedProcedure
		.output(pendingEmailChangeViewSchema)
		.query(({ ctx }) => pendingEmailChange(ctx.runtime.db, ctx.user.id)),

	/** Cancels the pending e-mail change: its link stops working. */
	cancelEmailChange: authedProcedure
		.output(z.object({ cancelled: z.boolean() }))
		.mutation(({ ctx }) => cancelEmailChange(ctx.runtime.db, ctx.user.id)),

	login: publicProcedure
		.input(loginInput)
		.output(accountViewSchema)
		.mutation(async ({ ctx, input }) => {
			const { user, deviceToken } = await login(ctx.runtime.db, input, loginContext(ctx));
			if (ctx.cookies) setDeviceCookie(ctx.cookies, deviceToken, secureCookies(ctx));
			// The account's language wins over the one chosen before logging in.
			if (ctx.cookies && user.locale) setLocaleCookie(ctx.cookies, user.locale);
			await openSession(ctx, user.id);
			return toAccountView(user);
		}),

	logout: authedProcedure.output(z.object({ ok: z.boolean() })).mutation(async ({ ctx }) => {
		await invalidateSession(ctx.runtime.db, ctx.session);
		if (ctx.cookies) deleteSessionCookie(ctx.cookies, secureCookies(ctx));
		return { ok: true };
	}),

	/** The account's language, remembered for its next visits, mails and notifications. */
	setLocale: authedProcedure
		.input(z.object({ locale: z.enum(LOCALES) }))
		.output(accountViewSchema)
		.mutation(async ({ ctx, input }) => {
			const user = await setAccountLocale(ctx.runtime.db, ctx.user.id, input.locale);
			if (ctx.cookies) setLocaleCookie(ctx.cookies, input.locale);
			return toAccountView(user);
		}),

	me: publicProcedure.output(accountViewSchema.nullable()).query(({ ctx }) => (ctx.user ? toAccountView(ctx.user) : null)),

	/** A new password ends every other session of the account. */
	changePassword: authedProcedure
		.input(changePasswordInput)
		.output(z.object({ endedSessions: z.number() }))
		.mutation(({ ctx, input }) =>
			changePassword(ctx.runtime.db, { userId: ctx.user.id, sessionId: ctx.session.id }, input, loginContext(ctx))
		),

	/** The account's sessions (browser, address, since when), the caller's own marked. */
	sessions: authedProcedure
		.output(z.array(sessionViewSchema))
		.query(async ({ ctx }) =>
			(await listSessions(ctx.runtime.db, ctx.user.id)).map((session) => toSessionView(session, ctx.session.id))
		),

	/** Logs out everywhere else: every session but the caller's ends. */
	logoutOthers: authedProcedure.output(z.object({ endedSessions: z.number() })).mutation(async ({ ctx }) => ({
		endedSessions: await endOtherSessions(ctx.runtime.db, { userId: ctx.user.id, sessionId: ctx.session.id })
	}))
});
