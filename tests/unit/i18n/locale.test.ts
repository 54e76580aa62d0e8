// Which language a request is served in: the account's choice, else the cookie, else Indonesian.
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { m } from '../../../src/lib/paraglide/messages';
import { getLocale } from '../../../src/lib/paraglide/runtime';
import { withLocale } from '../../../src/lib/server/i18n';
import type { Locale } from '../../../src/lib/statuses';

function fakeEvent(cookie: string | null) {
	const jar = new Map<string, string>(cookie ? [['minispod_locale', cookie]] : []);
	const cookies = {
		get: (name: string) => jar.get(name),
		set: (name: string, value: string) => void jar.set(name, value)
	} as unknown as Cookies;
	const request = new Request('http://127.0.0.1/catalog', {
		headers: cookie ? { cookie: `minispod_locale=${cookie}` } : {}
	});
	return { event: { request, cookies, url: new URL(request.url) } as unknown as RequestEvent, jar };
}

async function serve(cookie: string | null, account: Locale | null) {
	const { event, jar } = fakeEvent(cookie);
	let seen: { locale: string; text: string } | null = null;
	await withLocale(account)({
		event,
		resolve: async () => {
			seen = { locale: getLocale(), text: m.nav_wallet() };
			return new Response('');
		}
	});
	return { seen: seen!, cookie: jar.get('minispod_locale') };
}

describe('the language of a request', () => {
	it('is Indonesian for a new visitor', async () => {
		expect((await serve(null, null)).seen).toEqual({ locale: 'id', text: 'Dompet' });
	});

	it('follows the cookie before login', async () => {
		expect((await serve('en', null)).seen).toEqual({ locale: 'en', text: 'Wallet' });
	});

	it("is the account's choice once logged in, and the cookie follows it", async () => {
		const served = await serve('en', 'id');
		expect(served.seen).toEqual({ locale: 'id', text: 'Dompet' });
		expect(served.cookie).toBe('id');
	});

	it('keeps the cookie when the account has not chosen', async () => {
		expect((await serve('en', null)).cookie).toBe('en');
	});
});
