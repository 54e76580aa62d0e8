// Which language a request is served in: the account's choice once logged in, else the
// visitor's cookie, else Indonesian (paraglide's strategy list, scripts/i18n.js). The server
// keeps the cookie equal to the language it chose, so the browser (which reads the cookie)
// renders the same texts after hydration.
import type { Cookies, Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { cookieMaxAge, cookieName, defineCustomServerStrategy, isLocale } from '$lib/paraglide/runtime';
import type { Locale } from '$lib/statuses';

const accountLocales = new WeakMap<Request, Locale>();

// https://paraglidejs.com/strategy#write-your-own-strategy
defineCustomServerStrategy('custom-account', { getLocale: (request) => (request ? accountLocales.get(request) : undefined) });

/** The language cookie, readable by the page's script (paraglide's browser runtime reads it). */
export function setLocaleCookie(cookies: Cookies, locale: Locale) {
	cookies.set(cookieName, locale, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: false });
}

/**
 * Runs the rest of the request in its language (message functions called on the server read
 * it from paraglide's AsyncLocalStorage) and writes it into `<html lang>`.
 */
export const withLocale =
	(accountLocale: Locale | null): Handle =>
	({ event, resolve }) => {
		if (accountLocale) {
			accountLocales.set(event.request, accountLocale);
			if (event.cookies.get(cookieName) !== accountLocale) setLocaleCookie(event.cookies, accountLocale);
		}
		return paraglideMiddleware(event.request, ({ locale }) =>
			resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', isLocale(locale) ? locale : 'id') })
		);
	};
