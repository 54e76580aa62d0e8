// Runs server code as a request in a given language would (the account's language set by
// the same hook pages and tRPC calls go through), so tests read sentences as the customer would.
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { withLocale } from '../../src/lib/server/i18n';
import type { Locale } from '../../src/lib/statuses';

export async function inLocale<T>(locale: Locale, work: () => Promise<T>): Promise<T> {
	const request = new Request('http://127.0.0.1/');
	const cookies = { get: () => undefined, set: () => undefined } as unknown as Cookies;
	const event = { request, cookies, url: new URL(request.url) } as unknown as RequestEvent;
	let result: T | undefined;
	await withLocale(locale)({
		event,
		resolve: async () => {
			result = await work();
			return new Response('');
		}
	});
	return result as T;
}
