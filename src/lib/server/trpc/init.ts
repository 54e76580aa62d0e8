// tRPC plumbing in three parts: the context each call gets, the initialisation (superjson's
// format, answers written by ./transformer, and an error formatter exposing field errors
// and domain codes), and the procedure builders every router uses.
import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from '@trpc/server';
import type { RequestEvent } from '@sveltejs/kit';
import type { RequestCookies } from '../http/request-setup';
import { transformer } from './transformer';
import { ZodError } from 'zod';
import type { Session } from '../db/schema';
import type { SessionUser } from '../auth/sessions';
import { AppError, badRequest } from '../errors';
import { currentContext } from '../request-context';
import { getRuntime, type Runtime } from '../runtime';
import { findControlCharacter } from '../validation';
import { render, say, sentenceLocale } from '../sentences';
import { m } from '$lib/paraglide/messages';
import { addressKey, checksFor, consumeLimits, type LimitGroup } from '../rate-limit';
import { trpcCallDuration, trpcErrors } from '../metrics';

// 1. Context --------------------------------------------------------------------------

export type Context = {
	runtime: Runtime;
	user: SessionUser | null;
	session: Session | null;
	/** Present for requests from a browser; absent for background callers. */
	cookies?: RequestCookies;
	ipAddress?: string | null;
	userAgent?: string | null;
	/** Aborted when the client goes away (streams use it to stop). */
	signal?: AbortSignal;
	/** Quoted to the client in a generic error message and present on every log line. */
	requestId?: string;
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
		signal: event.request.signal,
		requestId: event.locals.requestId
	};
}

// 2. Initialisation -------------------------------------------------------------------

/** "email: Invalid email address" for the first problem of a validation error. */
export function describeZodError(error: ZodError): string {
	const issue = error.issues[0];
	if (!issue) return render(say(m.srv_invalid_input));
	const field = issue.path.join('.');
	return field ? `${field}: ${issue.message}` : issue.message;
}

/** The input field a refused call is about (a failed check or a domain error naming it), if any. */
export function fieldOf(error: TRPCError): string | null {
	if (error.cause instanceof AppError) return error.cause.field ?? null;
	if (error.cause instanceof ZodError) return error.cause.issues[0]?.path.join('.') || null;
	return null;
}

/**
 * What a page shows for a refused call it made on the server: the sentence without the field's
 * name (an API caller reads "to: …", a person reads it beside the field) and the field.
 */
export function refusalOf(error: TRPCError): { message: string; field: string | null } {
	const field = fieldOf(error);
	if (error.cause instanceof AppError) return { message: error.cause.userMessage, field };
	if (error.cause instanceof ZodError)
		return { message: error.cause.issues[0]?.message ?? render(say(m.srv_invalid_input)), field };
	return { message: error.message, field };
}

/**
 * Each failed check's sentence by the whole path of its field (`plan.features.2`, not `plan`),
 * so a form shows it beside the input it is about, a line of a list or a nested text included.
 */
export function fieldErrorsOf(error: ZodError): Record<string, string[]> {
	const fieldErrors: Record<string, string[]> = {};
	for (const issue of error.issues) {
		if (issue.path.length > 0) (fieldErrors[issue.path.join('.')] ??= []).push(issue.message);
	}
	return fieldErrors;
}

/** The generic sentence for an unexpected error, with the id support can find it by in the log. */
export function internalErrorMessage(requestId: string | undefined): string {
	const message = render(say(m.srv_internal));
	return requestId ? render(say(m.srv_internal_reference, { message, requestId })) : message;
}

const t = initTRPC.context<Context>().create({
	transformer,
	errorFormatter({ shape, error, ctx }) {
		const requestId = ctx?.requestId ?? currentContext()?.requestId ?? null;
		const zodError = error.cause instanceof ZodError ? error.cause : null;
		const appError = error.cause instanceof AppError ? error.cause : null;
		const fieldErrors = zodError
			? fieldErrorsOf(zodError)
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
					: internalErrorMessage(requestId ?? undefined),
			data: {
				...shape.data,
				stack: undefined,
				fieldErrors,
				appCode: appError?.code ?? null,
				field: appError?.field ?? null,
				details: appError?.details ?? null,
				requestId,
				// The language of `message`: the client shows it when it matches the page's, else
				// the code's own sentence (tRPC's own sentences are English).
				messageLocale: appError
					? appError.messageLocale
					: zodError || error.code === 'INTERNAL_SERVER_ERROR'
						? sentenceLocale()
						: 'en'
			}
		};
	}
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// 3. Procedures -----------------------------------------------------------------------

/**
 * What every call gets, in the one middleware each procedure has before its input and output
 * checks (each level of tRPC's middleware chain copies the call's options twice, and these
 * ran as three, then with the sign-in check as a fourth):
 * - control characters are refused in every text input, in this one place, naming the field:
 *   a NUL byte would otherwise reach PostgreSQL (which refuses it with an error carrying the
 *   statement), an escape sequence a terminal reading the log;
 * - domain errors thrown by services become tRPC errors with the mapped code, and input
 *   validation errors get a sentence naming the field (humanError), for HTTP and server-side
 *   callers alike;
 * - every call is timed and its failures counted by procedure, with the code the caller sees.
 * `rest` is the rest of the call: the procedure's own gate (signed in, administrator), then next().
 */
async function everyCall<R extends { ok: true } | { ok: false; error: TRPCError }>(
	{ path, type, getRawInput }: { path: string; type: string; getRawInput: () => Promise<unknown> },
	rest: () => Promise<R>
): Promise<R> {
	const stop = trpcCallDuration.startTimer({ procedure: path, type });
	let error: TRPCError;
	try {
		const field = findControlCharacter(await getRawInput());
		if (field) throw badRequest(field, say(m.srv_control_characters));
		const result = await rest();
		if (result.ok) {
			stop({ code: 'OK' });
			return result;
		}
		error = humanError(result.error);
	} catch (cause) {
		error = humanError(getTRPCErrorFromUnknown(cause));
	}
	stop({ code: error.code });
	trpcErrors.inc({ procedure: path, code: error.code, app_code: appCodeOf(error) });
	// Thrown, it ends the call as the failed result would (tRPC keeps a TRPCError as it is).
	throw error;
}

/** A domain error as its mapped tRPC error, a failed input check as a sentence naming the field. */
function humanError(error: TRPCError): TRPCError {
	const { cause } = error;
	if (cause instanceof AppError) return cause.toTRPCError();
	if (cause instanceof ZodError && error.code === 'BAD_REQUEST') {
		return new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(cause), cause });
	}
	return error;
}

const appCodeOf = (error: TRPCError) => (error.cause instanceof AppError ? error.cause.code : '');

export const publicProcedure = t.procedure.use((call) => everyCall(call, () => call.next()));

/** The rate-limit key of the caller's address (null for server-side callers and exempt clients). */
export const clientAddressKey = (ctx: Context) => addressKey(ctx.ipAddress, ctx.runtime.config.rateLimitExempt);

/**
 * Counts the call against an action's rate limits (rate-limit.ts), by the caller's address
 * and account; used up, the call is refused with TOO_MANY_ATTEMPTS before it does anything.
 */
export const rateLimited = (group: LimitGroup) =>
	t.middleware(async ({ ctx, next }) => {
		await consumeLimits(ctx.runtime.db, checksFor(group, { address: clientAddressKey(ctx), account: ctx.user?.id }));
		return next();
	});

/** The signed-in caller, else UNAUTHORIZED. */
function signedIn(ctx: Context) {
	if (!ctx.user || !ctx.session) {
		throw new AppError('UNAUTHORIZED', say(m.srv_log_in_first));
	}
	return { user: ctx.user, session: ctx.session };
}

export const authedProcedure = t.procedure.use((call) => everyCall(call, () => call.next({ ctx: signedIn(call.ctx) })));

export const adminProcedure = t.procedure.use((call) =>
	everyCall(call, () => {
		const caller = signedIn(call.ctx);
		if (caller.user.role !== 'ADMINISTRATOR') {
			throw new AppError('FORBIDDEN', say(m.srv_admins_only));
		}
		return call.next({ ctx: caller });
	})
);
