// Sentences for people written on the server (refusals, field checks): rendered in the
// language of the request they answer (paraglide's AsyncLocalStorage, which i18n.ts withLocale
// sets around every page, endpoint and tRPC call), and in English outside any request (a job,
// a script, a test's caller), the language of the log.
import { z } from 'zod';
import zodEnglish from 'zod/v4/locales/en.js';
import zodIndonesian from 'zod/v4/locales/id.js';
import { isLocale, serverAsyncLocalStorage } from '$lib/paraglide/runtime';
import type { Locale } from '$lib/statuses';

/** A sentence that can be written in either language. */
export type Sentence = (locale: Locale) => string;

/** The language of the request being served, or null outside one. */
export function requestLocale(): Locale | null {
	const locale = serverAsyncLocalStorage?.getStore()?.locale;
	return locale && isLocale(locale) ? locale : null;
}

/** The language server sentences are written in right now. */
export const sentenceLocale = (): Locale => requestLocale() ?? 'en';

type Message<P> = (inputs: P, options?: { locale?: Locale }) => string;

/** A paraglide message with its parameters, written when it is read. */
export function say<P extends object>(message: Message<P>, ...params: Record<string, never> extends P ? [P?] : [P]): Sentence {
	return (locale) => message((params[0] ?? {}) as P, { locale });
}

/** A message whose parameters are words of the language too (a status's label, "3 slots"). */
export function sayIn<P extends object>(message: Message<P>, params: (locale: Locale) => P): Sentence {
	return (locale) => message(params(locale), { locale });
}

/** The sentence in the current language. */
export const render = (sentence: Sentence): string => sentence(sentenceLocale());

/** A zod check's message in the current language: `z.string().min(5, says(m.srv_...))`. */
export const says = <P extends object>(message: Message<P>, ...params: Record<string, never> extends P ? [P?] : [P]) => {
	const sentence = say(message, ...params);
	return { error: () => sentence(sentenceLocale()) };
};

// zod's own messages ("Invalid input: expected string") in the request's language too; zod
// ships both (https://zod.dev/error-customization#internationalization).
const zodLocales: Record<Locale, ReturnType<typeof zodEnglish>> = { en: zodEnglish(), id: zodIndonesian() };
z.config({ localeError: (issue) => zodLocales[sentenceLocale()].localeError(issue) });
