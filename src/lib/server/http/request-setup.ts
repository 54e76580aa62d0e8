// What every request gets before its route runs, in one place for the two ways a request is
// served: SvelteKit's server hook (hooks.server.ts) and the direct path for tRPC queries
// (trpc-direct.ts): the signed-in user from the session cookie, the security headers, and
// what an unexpected error is logged as and answered with.
import type { Cookies } from '@sveltejs/kit';
import type { TRPCError } from '@trpc/server';
import type { Session } from '../db/schema';
import { SESSION_COOKIE, deleteSessionCookie, setSessionCookie, validateSessionToken, type SessionUser } from '../auth/sessions';
import { sessionCache } from '../auth/session-cache';
import type { Runtime } from '../runtime';
import { log } from '../log';
import { internalErrorMessage } from '../trpc/init';
import { m } from '$lib/paraglide/messages';

/** The part of SvelteKit's cookies a request's set-up reads and writes. */
export type RequestCookies = Pick<Cookies, 'get' | 'set'>;

/**
 * No framing (clickjacking), no content sniffing, no referrer to other sites (paths can name
 * a top-up), and HSTS when MinisPod is served over HTTPS (over plain HTTP it would lock a
 * browser out of an install without TLS).
 */
export function securityHeaders(origin: string): Record<string, string> {
	return {
		'x-frame-options': 'DENY',
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		...(origin.startsWith('https://') ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {})
	};
}

type SignedIn = { user: SessionUser | null; session: Session | null; balance: number | null; balanceVersion: number | null };

/**
 * The request's user and session from its session cookie, validated on every request (so a
 * logout or a blocked account takes effect on the very next one): an unknown, expired or
 * blocked session's cookie is removed, a renewed one is set again. `balance` is the user's
 * credit as the same lookup read it, with its version (`balanceVersion`). With `cached`, a session may come from the process's
 * session cache (auth/session-cache.ts), and then without a balance.
 */
export async function signedInUser(runtime: Runtime, cookies: RequestCookies, { cached = false } = {}): Promise<SignedIn> {
	const token = cookies.get(SESSION_COOKIE);
	if (!token) return { user: null, session: null, balance: null, balanceVersion: null };
	const secure = runtime.config.origin.startsWith('https://');
	const validated = await validateSessionToken(runtime.db, token, {
		days: runtime.config.sessionDays,
		cache: cached ? sessionCache(runtime) : undefined
	});
	if (!validated) {
		deleteSessionCookie(cookies, secure);
		return { user: null, session: null, balance: null, balanceVersion: null };
	}
	if (validated.renewed) setSessionCookie(cookies, token, validated.session.expiresAt, secure);
	return {
		user: validated.user,
		session: validated.session,
		balance: validated.balance,
		balanceVersion: validated.balanceVersion
	};
}

/**
 * What a cross-site POST to the API gets on both paths, before the session is read: 403 with
 * a sentence in the visitor's language (run it in that language). SvelteKit refuses cross-site
 * form posts itself; JSON posts are refused here, as a browser always sends Origin with a POST.
 */
export function crossSiteRefusal() {
	return {
		status: 403,
		headers: { 'content-type': 'application/json' } as Record<string, string>,
		body: JSON.stringify({ message: m.txt6_cross_site_post() })
	};
}

/** tRPC's onError on both paths: an unexpected failure is logged with its procedure. */
export function logTrpcFailure({ error, path }: { error: TRPCError; path?: string }) {
	if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path }, 'tRPC call failed');
}

/**
 * An unexpected error in a page load, an endpoint or a request's set-up: logged with its
 * path (never the query string, which may carry tokens) and shown to the person as a
 * generic sentence with the request id.
 */
export function unexpectedError(
	error: unknown,
	path: string,
	status: number,
	requestId: string | undefined,
	message = ''
): App.Error {
	if (status >= 500) log.error({ err: error, path, status }, 'request failed');
	return { message: status >= 500 ? internalErrorMessage(requestId) : message, requestId };
}
