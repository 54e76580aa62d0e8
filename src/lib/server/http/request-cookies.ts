// SvelteKit's `cookies` for a request served without SvelteKit (trpc-queries.ts): read from
// the Cookie header and written as Set-Cookie lines, parsed and serialised as SvelteKit does
// it (its `cookie` package's format, with the same defaults), so either path sends the same.
// https://svelte.dev/docs/kit/@sveltejs-kit#Cookies
import type { Cookies } from '@sveltejs/kit';
import type { RequestCookies } from './request-setup';

type SetOptions = Parameters<Cookies['set']>[2];

/** `name=value` pairs, the first of a name winning, values URI-decoded, as cookie.parse reads them. */
function parseCookieHeader(header: string): Map<string, string> {
	const values = new Map<string, string>();
	for (const part of header.split(';')) {
		const equals = part.indexOf('=');
		if (equals === -1) continue;
		const name = part.slice(0, equals).trim();
		if (values.has(name)) continue;
		let value = part.slice(equals + 1).trim();
		if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1);
		try {
			values.set(name, value.includes('%') ? decodeURIComponent(value) : value);
		} catch {
			values.set(name, value);
		}
	}
	return values;
}

/** One Set-Cookie line, its attributes in the order cookie.serialize writes them. */
function serializeCookie(name: string, value: string, options: SetOptions): string {
	let line = `${name}=${encodeURIComponent(value)}`;
	if (options.maxAge != null) line += `; Max-Age=${Math.floor(options.maxAge)}`;
	if (options.domain) line += `; Domain=${options.domain}`;
	if (options.path) line += `; Path=${options.path}`;
	if (options.expires) line += `; Expires=${options.expires.toUTCString()}`;
	if (options.httpOnly) line += '; HttpOnly';
	if (options.secure) line += '; Secure';
	const sameSite = typeof options.sameSite === 'string' ? options.sameSite.toLowerCase() : options.sameSite;
	if (sameSite === true || sameSite === 'strict') line += '; SameSite=Strict';
	else if (sameSite === 'lax') line += '; SameSite=Lax';
	else if (sameSite === 'none') line += '; SameSite=None';
	return line;
}

export class CookieLines implements RequestCookies {
	/** What the response sets, one Set-Cookie header each. */
	readonly lines: string[] = [];
	readonly #header: string;
	#values: Map<string, string> | null = null;
	/** SvelteKit's defaults: httpOnly, SameSite=Lax, and Secure except on http://localhost. */
	readonly #defaults: Omit<SetOptions, 'path'>;

	/** `origin`: the site's, as the app is configured with it (ORIGIN). */
	constructor(header: string | undefined, origin: string) {
		this.#header = header ?? '';
		this.#defaults = { httpOnly: true, sameSite: 'lax', secure: !/^http:\/\/localhost(:\d+)?\/?$/.test(origin) };
	}

	get(name: string): string | undefined {
		this.#values ??= parseCookieHeader(this.#header);
		return this.#values.get(name);
	}

	set(name: string, value: string, options: SetOptions): void {
		this.#values ??= parseCookieHeader(this.#header);
		this.#values.set(name, value);
		this.lines.push(serializeCookie(name, value, { ...this.#defaults, ...options }));
	}
}
