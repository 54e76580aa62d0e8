// Which language a request is served in: the account's choice once logged in, else the
// visitor's cookie, else Indonesian (paraglide's strategy list, scripts/i18n.js). The server
// keeps the cookie equal to the language it chose, so the browser (which reads the cookie)
// renders the same texts after hydration.
import type { Cookies, Handle } from '@sveltejs/kit';
import { AsyncLocalStorage } from 'node:async_hooks';
import {
	baseLocale,
	cookieMaxAge,
	cookieName,
	defineCustomServerStrategy,
	getServerAsyncLocalStorage,
	isLocale,
	overwriteServerAsyncLocalStorage
} from '$lib/paraglide/runtime';
import type { Locale } from '$lib/statuses';

const accountLocales = new WeakMap<Request, Locale>();

// https://paraglidejs.com/strategy#write-your-own-strategy
defineCustomServerStrategy('custom-account', { getLocale: (request) => (request ? accountLocales.get(request) : undefined) });

/** The language cookie, readable by the page's script (paraglide's browser runtime reads it). */
export function setLocaleCookie(cookies: Cookies, locale: Locale) {
	cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: false });
}

/** Paraglide's request store, created once as its middleware would create it. */
function localeStorage() {
	let storage = getServerAsyncLocalStorage();
	if (!storage) overwriteServerAsyncLocalStorage((storage = new AsyncLocalStorage()));
	return storage;
}

/**
 * Runs the rest of the request in its language (message functions called on the server read
 * it from paraglide's AsyncLocalStorage) and writes it into `<html lang>`. This is what
 * paraglideMiddleware does for MinisPod's strategies (account, cookie, Indonesian; no locale
 * in the URL, so never a redirect), without the copy of the request and the URL parsing it
 * makes for every request, API calls included: the same store, entered directly.
 * https://inlang.com/m/gerre34r/library-inlang-paraglideJs/server-side-rendering
 */
export const withLocale =
	(accountLocale: Locale | null): Handle =>
	({ event, resolve }) => {
		const cookie = event.cookies.get(cookieName);
		if (accountLocale) {
			accountLocales.set(event.request, accountLocale);
			if (cookie !== accountLocale) setLocaleCookie(event.cookies, accountLocale);
		}
		const locale = accountLocale ?? (cookie && isLocale(cookie) ? cookie : baseLocale);
		return inLocale(locale, event.url.origin, () =>
			resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) })
		);
	};

/** Runs `work` in a language, as a request in it runs (what messages and server sentences read). */
export const inLocale = <T>(locale: Locale, origin: string, work: () => T): T =>
	localeStorage().run({ locale, origin, messageCalls: new Set() }, work);
