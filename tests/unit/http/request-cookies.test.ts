// The direct tRPC query path reads and writes cookies with CookieLines; SvelteKit's path with
// its own `cookies`. Both are fed the same Cookie header and the same `set` calls here, and
// must read the same values and write the same Set-Cookie lines.
import { describe, expect, it } from 'vitest';
import { CookieLines } from '../../../src/lib/server/http/request-cookies';
import type { Cookies } from '@sveltejs/kit';

// SvelteKit's own implementation of `event.cookies`: not one of the package's entry points, so
// loaded by path and typed here with the part this test uses.
type KitCookie = { name: string; value: string; options: SetOptions };
type KitCookieModule = {
	get_cookies(
		request: Request,
		url: URL
	): { cookies: Cookies; new_cookies: Map<string, KitCookie>; set_trailing_slash(slash: 'never'): void };
	add_cookies_to_headers(headers: Headers, cookies: Iterable<KitCookie>): void;
};
const kitCookieModule = '../../../node_modules/@sveltejs/kit/src/runtime/server/cookie.js';
const { add_cookies_to_headers, get_cookies } = (await import(/* @vite-ignore */ kitCookieModule)) as KitCookieModule;

type SetOptions = Parameters<CookieLines['set']>[2];

function sveltekitCookies(header: string, origin: string) {
	const url = new URL('/api/trpc/wallet.balance', origin);
	const kit = get_cookies(new Request(url, { headers: { cookie: header } }), url);
	kit.set_trailing_slash('never');
	return kit;
}

function bothWays(header: string, origin: string, sets: [string, string, SetOptions][]) {
	const kit = sveltekitCookies(header, origin);
	const direct = new CookieLines(header, origin);
	for (const [name, value, options] of sets) {
		kit.cookies.set(name, value, options);
		direct.set(name, value, options);
	}
	const headers = new Headers();
	add_cookies_to_headers(headers, kit.new_cookies.values());
	return { kit, direct, sveltekitLines: headers.getSetCookie() };
}

describe('CookieLines', () => {
	const header = 'session=abc%20def; theme="dark"; session=second; broken=%E0%A4%A; plain=x=y';

	it('reads a Cookie header as SvelteKit does: first of a name, decoded, quotes dropped', () => {
		const { kit, direct } = bothWays(header, 'https://panel.example.id', []);
		for (const name of ['session', 'theme', 'broken', 'plain', 'absent']) {
			expect(direct.get(name), name).toBe(kit.cookies.get(name));
		}
		expect(direct.get('session')).toBe('abc def');
		expect(direct.get('theme')).toBe('dark');
		expect(direct.get('broken')).toBe('%E0%A4%A');
		expect(direct.get('plain')).toBe('x=y');
	});

	it('writes the Set-Cookie lines SvelteKit writes, with its defaults over HTTPS', () => {
		const expires = new Date('2026-12-01T00:00:00Z');
		const { kit, direct, sveltekitLines } = bothWays(header, 'https://panel.example.id', [
			['session', 'token value', { path: '/', expires }],
			['session', 'other', { path: '/account', expires }],
			['locale', 'id', { path: '/', maxAge: 31_536_000.7, sameSite: 'strict', httpOnly: false }],
			['session', '', { path: '/', maxAge: 0 }]
		]);
		expect(direct.lines).toEqual(sveltekitLines);
		// Setting `session` at / again replaced its line, in its place; at /account it is another.
		expect(direct.lines).toEqual([
			'session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax',
			'session=other; Path=/account; Expires=Tue, 01 Dec 2026 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
			'locale=id; Max-Age=31536000; Path=/; Secure; SameSite=Strict'
		]);
		// What was set reads back as it does from SvelteKit's cookies; a deleted one is gone.
		expect(direct.get('locale')).toBe('id');
		expect(direct.get('session')).toBeUndefined();
		for (const name of ['locale', 'session']) expect(direct.get(name), name).toBe(kit.cookies.get(name));
	});

	it('leaves Secure off on http://localhost only, as SvelteKit does', () => {
		const set: [string, string, SetOptions][] = [['session', 't', { path: '/' }]];
		const local = bothWays('', 'http://localhost:5173', set);
		expect(local.direct.lines).toEqual(local.sveltekitLines);
		expect(local.direct.lines).toEqual(['session=t; Path=/; HttpOnly; SameSite=Lax']);
		const plainHost = bothWays('', 'http://panel.example.id', set);
		expect(plainHost.direct.lines).toEqual(plainHost.sveltekitLines);
		expect(plainHost.direct.lines[0]).toContain('; Secure');
	});
});
