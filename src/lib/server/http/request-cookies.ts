// SvelteKit's `cookies` for a request served without SvelteKit (trpc-direct.ts): read from
// the Cookie header and written as Set-Cookie lines with the `cookie` package SvelteKit itself
// parses and serialises with (the same major), and with its defaults, so either path sends the
// same. https://svelte.dev/docs/kit/@sveltejs-kit#Cookies
import { parse, serialize } from 'cookie';
import type { Cookies } from '@sveltejs/kit';
import type { RequestCookies } from './request-setup';

type SetOptions = Parameters<Cookies['set']>[2];

export class CookieLines implements RequestCookies {
	/**
	 * What the response sets, by domain, path and name as SvelteKit keys them: setting a cookie
	 * again replaces its line (keeping its place), as it does with SvelteKit's `cookies`.
	 */
	readonly #lines = new Map<string, string>();
	readonly #header: string;
	#values: Record<string, string> | null = null;
	/** SvelteKit's defaults: httpOnly, SameSite=Lax, and Secure except on http://localhost. */
	readonly #defaults: Omit<SetOptions, 'path'>;

	/** `origin`: the site's, as the app is configured with it (ORIGIN). */
	constructor(header: string | undefined, origin: string) {
		this.#header = header ?? '';
		this.#defaults = { httpOnly: true, sameSite: 'lax', secure: !/^http:\/\/localhost(:\d+)?\/?$/.test(origin) };
	}

	/** One Set-Cookie header each. */
	get lines(): string[] {
		return [...this.#lines.values()];
	}

	/** As SvelteKit's `cookies.get`: the first of a name wins, values URI-decoded. */
	get(name: string): string | undefined {
		this.#values ??= parse(this.#header);
		return this.#values[name];
	}

	set(name: string, value: string, options: SetOptions): void {
		this.#values ??= parse(this.#header);
		// Read back as SvelteKit does: a cookie deleted (Max-Age=0) in this request is gone.
		if (options.maxAge === 0) delete this.#values[name];
		else this.#values[name] = value;
		const line = serialize(name, value, { ...this.#defaults, ...options });
		this.#lines.set(`${options.domain ?? ''}${options.path}?${encodeURIComponent(name)}`, line);
	}
}
