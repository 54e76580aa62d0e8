import { error, redirect, type Handle, type HandleServerError, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { parseConfig } from '$lib/server/config';
import { log } from '$lib/server/log';
import { newRequestId, runWithContext } from '$lib/server/request-context';
import { getRuntime } from '$lib/server/runtime';
import { internalErrorMessage } from '$lib/server/trpc/init';
import { SESSION_COOKIE, setSessionCookie, validateSessionToken } from '$lib/server/auth/sessions';
import { bootGlobalRuntime } from './boot';

// Boots MinisPod (database, migrations, seed, queues, stand-ins) before the first request.
export const init: ServerInit = async () => {
	await bootGlobalRuntime(parseConfig());
};

/**
 * Every request gets an id: sent back as `x-request-id`, quoted in generic error messages and
 * on every log line the request causes (through the logger's mixin).
 */
export const handle: Handle = ({ event, resolve }) => {
	const requestId = newRequestId();
	event.locals.requestId = requestId;
	return runWithContext({ requestId }, async () =>
		withHeader(await handleRequest({ event, resolve }), 'x-request-id', requestId)
	);
};

/** Sets a header, copying the response when its headers are immutable (fetched or redirect responses). */
function withHeader(response: Response, name: string, value: string): Response {
	try {
		response.headers.set(name, value);
		return response;
	} catch {
		const copy = new Response(response.body, response);
		copy.headers.set(name, value);
		return copy;
	}
}

/**
 * An unexpected error in a page load or endpoint: logged with its path (never the query
 * string, which may carry tokens) and shown to the person as a generic sentence with the
 * request id.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) log.error({ err: error, path: event.url.pathname, status }, 'request failed');
	return { message: status >= 500 ? internalErrorMessage(requestId) : message, requestId };
};

const handleRequest: Handle = async ({ event, resolve }) => {
	const runtime = getRuntime();
	// A worker replica serves only its health check; pages and the API are the web's.
	if (runtime.config.role === 'worker' && event.url.pathname !== '/healthz') {
		return new Response('This MinisPod process runs background jobs only.', { status: 404 });
	}
	const token = event.cookies.get(SESSION_COOKIE);
	const validated = token ? await validateSessionToken(runtime.db, token, { days: runtime.config.sessionDays }) : null;
	event.locals.user = validated?.user ?? null;
	event.locals.session = validated?.session ?? null;
	if (token && !validated) event.cookies.delete(SESSION_COOKIE, { path: '/' });
	if (token && validated?.renewed) {
		setSessionCookie(event.cookies, token, validated.session.expiresAt, runtime.config.origin.startsWith('https://'));
	}
	guardArea(event);
	return resolve(event);
};

/**
 * The login check for the customer pages (the `(app)` group) and the admin panel, once for
 * every page, data request and endpoint under them, before any load runs. Browsers are sent
 * to the login page; other callers get 401.
 */
function guardArea(event: RequestEvent) {
	const route = event.route.id ?? '';
	const admin = route === '/admin' || route.startsWith('/admin/');
	if (!admin && !route.startsWith('/(app)/')) return;
	if (!event.locals.user) {
		const wantsPage = event.isDataRequest || (event.request.headers.get('accept') ?? '').includes('text/html');
		if (wantsPage) redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
		error(401, 'Please log in first.');
	}
	if (admin && event.locals.user.role !== 'ADMINISTRATOR') error(403, 'The admin panel is for administrators only.');
}
