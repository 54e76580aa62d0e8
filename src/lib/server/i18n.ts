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
import { pageResolveOptions } from './http/page-head';

const accountLocales = new WeakMap<Request, Locale>();

// https://paraglidejs.com/strategy#write-your-own-strategy
defineCustomServerStrategy('custom-account', { getLocale: (request) => (request ? accountLocales.get(request) : undefined) });

/** The language cookie, readable by the page's script (paraglide's browser runtime reads it). */
export function setLocaleCookie(cookies: Pick<Cookies, 'set'>, locale: Locale) {
	cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: false });
}

/** Paraglide's request store, created once as its middleware would create it. */
function localeStorage() {
	let storage = getServerAsyncLocalStorage();
	if (!storage) overwriteServerAsyncLocalStorage((storage = new AsyncLocalStorage()));
	return storage;
}

/**
 * The language a request is served in: the account's, else the visitor's cookie, else
 * Indonesian. The cookie is set to the account's choice when it differs.
 */
export function requestLocale(cookies: Pick<Cookies, 'get' | 'set'>, accountLocale: Locale | null, request?: Request): Locale {
	const cookie = cookies.get(cookieName);
	if (accountLocale) {
		if (request) accountLocales.set(request, accountLocale);
		if (cookie !== accountLocale) setLocaleCookie(cookies, accountLocale);
	}
	return accountLocale ?? (cookie && isLocale(cookie) ? cookie : baseLocale);
}

/**
 * Runs the rest of the request in its language (message functions called on the server read
 * it from paraglide's AsyncLocalStorage) and writes it into `<html lang>`, with the page's
 * other head options (http/page-head.ts). This is what paraglideMiddleware does for
 * MinisPod's strategies (account, cookie, Indonesian; no locale in the URL, so never a
 * redirect), without the copy of the request and the URL parsing it makes for every request,
 * API calls included: the same store, entered directly.
 * https://inlang.com/m/gerre34r/library-inlang-paraglideJs/server-side-rendering
 */
export const withLocale =
	(accountLocale: Locale | null): Handle =>
	({ event, resolve }) => {
		const locale = requestLocale(event.cookies, accountLocale, event.request);
		return inLocale(locale, event.url.origin, () => resolve(event, pageResolveOptions(locale)));
	};

/** Runs `work` in a language, as a request in it runs (what messages and server sentences read). */
export const inLocale = <T>(locale: Locale, origin: string, work: () => T): T =>
	localeStorage().run({ locale, origin, messageCalls: new Set() }, work);
