import { authedProcedure, publicProcedure, router, type Context } from '../trpc/init';
import { deleteSessionCookie, invalidateSession, setSessionCookie } from './sessions';
import { loginInput, registerInput } from './schemas';
import { login, register, startSession } from './service';

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
	register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
		const user = await register(ctx.runtime.db, input);
		await openSession(ctx, user.id);
		return user;
	}),

	login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
		const user = await login(ctx.runtime.db, input);
		await openSession(ctx, user.id);
		return user;
	}),

	logout: authedProcedure.mutation(async ({ ctx }) => {
		await invalidateSession(ctx.runtime.db, ctx.session.id);
		if (ctx.cookies) deleteSessionCookie(ctx.cookies, secureCookies(ctx));
		return { ok: true };
	}),

	me: publicProcedure.query(({ ctx }) => ctx.user)
});
