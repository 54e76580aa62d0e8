import { z } from 'zod';
import { authedProcedure, publicProcedure, router, type Context } from '../trpc/init';
import { deleteSessionCookie, invalidateSession, setSessionCookie } from './sessions';
import { loginInput, registerInput } from './schemas';
import { login, register, startSession } from './service';
import { accountViewSchema, toAccountView } from './views';

const secureCookies = (ctx: Context) => ctx.runtime.config.origin.startsWith('https://');

async function openSession(ctx: Context, userId: string) {
	const { token, session } = await startSession(ctx.runtime.db, userId, ctx.runtime.config.sessionDays, {
		ipAddress: ctx.ipAddress,
		userAgent: ctx.userAgent
	});
	if (ctx.cookies) setSessionCookie(ctx.cookies, token, session.expiresAt, secureCookies(ctx));
	return { token, session };
}

export const authRouter = router({
	register: publicProcedure
		.input(registerInput)
		.output(accountViewSchema)
		.mutation(async ({ ctx, input }) => {
			const user = await register(ctx.runtime.db, input);
			await openSession(ctx, user.id);
			return toAccountView(user);
		}),

	login: publicProcedure
		.input(loginInput)
		.output(accountViewSchema)
		.mutation(async ({ ctx, input }) => {
			const user = await login(ctx.runtime.db, input);
			await openSession(ctx, user.id);
			return toAccountView(user);
		}),

	logout: authedProcedure.output(z.object({ ok: z.boolean() })).mutation(async ({ ctx }) => {
		await invalidateSession(ctx.runtime.db, ctx.session.id);
		if (ctx.cookies) deleteSessionCookie(ctx.cookies, secureCookies(ctx));
		return { ok: true };
	}),

	me: publicProcedure.output(accountViewSchema.nullable()).query(({ ctx }) => (ctx.user ? toAccountView(ctx.user) : null))
});
