import type { Handle, ServerInit } from '@sveltejs/kit';
import { parseConfig } from '$lib/server/config';
import { getRuntime, startGlobalRuntime } from '$lib/server/runtime';
import { SESSION_COOKIE, setSessionCookie, validateSessionToken } from '$lib/server/auth/sessions';

// Boots MinisPod (database, migrations, seed, queues, stand-ins) before the first request.
export const init: ServerInit = async () => {
	await startGlobalRuntime(parseConfig());
};

export const handle: Handle = async ({ event, resolve }) => {
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
	return resolve(event);
};
