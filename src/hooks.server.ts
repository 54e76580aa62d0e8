import { error, redirect, type Handle, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { parseConfig } from '$lib/server/config';
import { getRuntime } from '$lib/server/runtime';
import { SESSION_COOKIE, setSessionCookie, validateSessionToken } from '$lib/server/auth/sessions';
import { observeRequests } from '$lib/server/http/observe';
import { bootGlobalRuntime } from './boot';

// Boots MinisPod (database, migrations, seed, queues, stand-ins) before the first request.
export const init: ServerInit = async () => {
	await bootGlobalRuntime(parseConfig());
};

const app: Handle = async ({ event, resolve }) => {
	const runtime = getRuntime();
	// A worker replica serves only its health checks; pages and the API are the web's.
	if (runtime.config.role === 'worker' && !/^\/healthz(\/|$)/.test(event.url.pathname)) {
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

export const handle = sequence(observeRequests, app);

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
