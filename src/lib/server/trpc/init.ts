// tRPC plumbing in three parts: the context each call gets, the initialisation (superjson
// and an error formatter exposing field errors and domain codes), and the procedure
// builders every router uses.
import { initTRPC, TRPCError } from '@trpc/server';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import type { Session } from '../db/schema';
import type { SessionUser } from '../auth/sessions';
import { AppError } from '../errors';
import { getRuntime, type Runtime } from '../runtime';
import { trpcCallDuration, trpcErrors } from '../metrics';

// 1. Context --------------------------------------------------------------------------

export type Context = {
	runtime: Runtime;
	user: SessionUser | null;
	session: Session | null;
	/** Present for requests from a browser; absent for background callers. */
	cookies?: Cookies;
	ipAddress?: string | null;
	userAgent?: string | null;
	/** Aborted when the client goes away (streams use it to stop). */
	signal?: AbortSignal;
};

export function createContext(event: RequestEvent, runtime: Runtime = getRuntime()): Context {
	let ipAddress: string | null = null;
	try {
		ipAddress = event.getClientAddress();
	} catch {
		ipAddress = null;
	}
	return {
		runtime,
		user: event.locals.user,
		session: event.locals.session,
		cookies: event.cookies,
		ipAddress,
		userAgent: event.request.headers.get('user-agent'),
		signal: event.request.signal
	};
}

// 2. Initialisation -------------------------------------------------------------------

/** "email: Invalid email address" for the first problem of a validation error. */
export function describeZodError(error: ZodError): string {
	const issue = error.issues[0];
	if (!issue) return 'Invalid input.';
	const field = issue.path.join('.');
	return field ? `${field}: ${issue.message}` : issue.message;
}

/** The input field a refused call is about (a failed check or a domain error naming it), if any. */
export function fieldOf(error: TRPCError): string | null {
	if (error.cause instanceof AppError) return error.cause.field ?? null;
	if (error.cause instanceof ZodError) return error.cause.issues[0]?.path.join('.') || null;
	return null;
}

const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side. Please try again.';

const t = initTRPC.context<Context>().create({
	transformer: superjson,
	errorFormatter({ shape, error }) {
		const zodError = error.cause instanceof ZodError ? error.cause : null;
		const appError = error.cause instanceof AppError ? error.cause : null;
		const fieldErrors = zodError
			? z.flattenError(zodError).fieldErrors
			: appError?.field
				? { [appError.field]: [appError.userMessage] }
				: null;
		return {
			...shape,
			// An unexpected error's own message (a SQL statement, a host name) never reaches a client.
			message: zodError
				? describeZodError(zodError)
				: appError || error.code !== 'INTERNAL_SERVER_ERROR'
					? shape.message
					: INTERNAL_ERROR_MESSAGE,
			data: {
				...shape.data,
				stack: undefined,
				fieldErrors,
				appCode: appError?.code ?? null,
				field: appError?.field ?? null,
				details: appError?.details ?? null
			}
		};
	}
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures -----------------------------------------------------------------------

/**
 * Domain errors thrown by services become tRPC errors with the mapped code, and input
 * validation errors get a sentence naming the field, for HTTP and server-side callers alike.
 */
const humanErrors = t.middleware(async ({ next }) => {
	const result = await next();
	if (result.ok) return result;
	const { cause } = result.error;
	if (cause instanceof AppError) throw cause.toTRPCError();
	if (cause instanceof ZodError && result.error.code === 'BAD_REQUEST') {
		throw new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(cause), cause });
	}
	return result;
});

/** Times every call and counts its failures by procedure, for the metrics. */
const observed = t.middleware(async ({ path, type, next }) => {
	const stop = trpcCallDuration.startTimer({ procedure: path, type });
	const result = await next();
	stop({ code: result.ok ? 'OK' : result.error.code });
	if (!result.ok) trpcErrors.inc({ procedure: path, code: result.error.code, app_code: appCodeOf(result.error) });
	return result;
});

const appCodeOf = (error: TRPCError) => (error.cause instanceof AppError ? error.cause.code : '');

export const publicProcedure = t.procedure.use(observed).use(humanErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.user || !ctx.session) {
		throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please log in first.' });
	}
	return next({ ctx: { ...ctx, user: ctx.user, session: ctx.session } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
	if (ctx.user.role !== 'ADMINISTRATOR') {
		throw new TRPCError({ code: 'FORBIDDEN', message: 'Administrators only.' });
	}
	return next({ ctx });
});
