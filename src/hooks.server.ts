import {
	error,
	isRedirect,
	redirect,
	type Handle,
	type HandleServerError,
	type RequestEvent,
	type ServerInit
} from '@sveltejs/kit';
import { parseConfig } from '$lib/server/config';
import { newRequestId, runWithContext } from '$lib/server/request-context';
import { getRuntime } from '$lib/server/runtime';
import { ADMIN_ONLY } from '$lib/server/auth/service';
import { observeRequests } from '$lib/server/http/observe';
import { crossSiteRefusal, securityHeaders, signedInUser, unexpectedError } from '$lib/server/http/request-setup';
import { publishDirectPath } from '$lib/server/http/trpc-direct';
import { withLocale } from '$lib/server/i18n';
import { bootGlobalRuntime } from './boot';
import { m } from '$lib/paraglide/messages';

// Boots MinisPod (database, migrations, seed, queues, stand-ins) before the first request.
// Then hands scripts/start.js the direct path for tRPC calls (http/trpc-direct.ts).
export const init: ServerInit = async () => {
	await bootGlobalRuntime(parseConfig());
	publishDirectPath();
};

/**
 * Every request gets an id: sent back as `x-request-id`, quoted in generic error messages and
 * on every log line the request causes (through the logger's mixin). Every response gets the
 * security headers (the Content-Security-Policy of pages is SvelteKit's, from kit.csp).
 */
/**
 * Metrics and event-stream tracking outermost (http/observe.ts), then the request's id and
 * headers. Composed by hand rather than with `sequence`, which needs SvelteKit's request
 * store and so cannot be called by tests that drive the hook directly.
 */
export const handle: Handle = ({ event, resolve }) =>
	observeRequests({ event, resolve: (inner) => withRequestId({ event: inner, resolve }) });

const withRequestId: Handle = ({ event, resolve }) => {
	const requestId = newRequestId();
	event.locals.requestId = requestId;
	return runWithContext({ requestId }, async () => {
		let response: Response;
		try {
			response = await handleRequest({ event, resolve });
		} catch (thrown) {
			// A redirect from the login check becomes a response here, so it gets the headers too.
			if (!isRedirect(thrown)) throw thrown;
			response = new Response(null, { status: thrown.status, headers: { location: thrown.location } });
		}
		return withHeaders(response, { 'x-request-id': requestId, ...securityHeaders(getRuntime().config.origin) });
	});
};

/** Sets headers, copying the response when its headers are immutable (fetched or redirect responses). */
function withHeaders(response: Response, headers: Record<string, string>): Response {
	let target = response;
	try {
		for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
	} catch {
		target = new Response(response.body, response);
		for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
	}
	return target;
}

/**
 * SvelteKit refuses cross-site form posts; JSON mutations (tRPC POSTs) get the same check: a
 * browser always sends Origin with a POST, and only this site's pages may send one. The
 * direct path (http/trpc-direct.ts) makes the same check for the POSTs it answers.
 */
function crossSiteMutation(event: RequestEvent): boolean {
	return (
		event.request.method === 'POST' &&
		event.url.pathname.startsWith('/api/trpc') &&
		event.request.headers.get('origin') !== event.url.origin
	);
}

/** An unexpected error in a page load or endpoint: logged, and answered with a generic sentence. */
export const handleError: HandleServerError = ({ error, event, status, message }) =>
	unexpectedError(error, event.url.pathname, status, event.locals.requestId, message);

const handleRequest: Handle = async ({ event, resolve }) => {
	const runtime = getRuntime();
	// A worker replica serves only its health checks; pages and the API are the web's.
	if (runtime.config.role === 'worker' && !/^\/healthz(\/|$)/.test(event.url.pathname)) {
		return new Response('This MinisPod process runs background jobs only.', { status: 404 });
	}
	if (crossSiteMutation(event)) {
		// Refused before the session is read, in the visitor's language (their cookie: the
		// server keeps it equal to a logged-in account's choice), else Indonesian.
		return withLocale(null)({
			event,
			resolve: () => {
				const refusal = crossSiteRefusal();
				return new Response(refusal.body, refusal);
			}
		});
	}
	const { user, session, balance, balanceVersion } = await signedInUser(runtime, event.cookies);
	event.locals.user = user;
	event.locals.session = session;
	event.locals.balance = balance;
	event.locals.balanceVersion = balanceVersion;
	return withLocale(event.locals.user?.locale ?? null)({
		event,
		// Inside the request's language, so a refusal reads in it.
		resolve: (event, options) => {
			guardArea(event);
			return resolve(event, options);
		}
	});
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
		error(401, m.srv_log_in_first());
	}
	if (admin && event.locals.user.role !== 'ADMINISTRATOR') {
		// An error thrown here is rendered with the bare src/error.html, without the site's
		// layout (no navigation, no "Log out"). A browser's page request is refused by the admin
		// layout's load instead, which SvelteKit renders inside the root layout; data requests
		// and endpoints are refused here, before any load runs.
		// https://svelte.dev/docs/kit/errors#Responses
		if (!event.isDataRequest && (event.request.headers.get('accept') ?? '').includes('text/html')) return;
		error(403, ADMIN_ONLY);
	}
}
