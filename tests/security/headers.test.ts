// Item 10 of the hardening issue: responses had no security headers, and JSON mutations
// (tRPC POSTs) were not checked for their Origin the way SvelteKit checks forms. The
// Content-Security-Policy itself is SvelteKit's (kit.csp) and is checked on the built app by
// the browser test tests/e2e/security-headers.spec.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../src/lib/server/db/schema';
import { startTestRuntime, type TestRuntime } from '../support/runtime';
import { CookieJar, appFetch, trpcCall } from '../support/http';
import { cookieName } from '../../src/lib/paraglide/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

const registration = (email: string) => ({ name: 'Csrf Victim', email, password: 'csrf victim passphrase' });

describe('JSON mutations from another site', () => {
	it('are refused before they do anything, as SvelteKit refuses cross-site forms', async () => {
		for (const origin of ['https://evil.example', 'null']) {
			const email = `csrf-${origin.length}@example.com`;
			const answer = await trpcCall(runtime, 'auth.register', registration(email), { headers: { origin } });
			expect(answer.status, origin).toBe(403);
			expect(await runtime.db.select().from(users).where(eq(users.email, email))).toEqual([]);
		}
	});

	it('are refused in the visitor’s language (their language cookie, else Indonesian)', async () => {
		const refusal = async (locale?: string) => {
			const jar = new CookieJar();
			if (locale) jar.values.set(cookieName, locale);
			const response = await appFetch(runtime, '/api/trpc/auth.register', {
				method: 'POST',
				jar,
				headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
				body: JSON.stringify({ json: registration('csrf-language@example.com') })
			});
			expect(response.status).toBe(403);
			return ((await response.json()) as { message: string }).message;
		};
		expect(await refusal('en')).toBe('Cross-site POST requests are forbidden.');
		expect(await refusal('id')).toBe('Permintaan POST dari situs lain ditolak.');
		expect(await refusal()).toBe('Permintaan POST dari situs lain ditolak.');
	});

	it('are refused without an Origin header', async () => {
		const response = await appFetch(runtime, '/api/trpc/auth.register', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ json: registration('no-origin@example.com') })
		});
		expect(response.status).toBe(403);
	});

	it('from this site go through', async () => {
		const answer = await trpcCall(runtime, 'auth.register', registration('same-site@example.com'));
		expect(answer.status).toBe(200);
	});
});

describe('every response', () => {
	it('forbids framing and sniffing and keeps the referrer on this site', async () => {
		const response = await appFetch(runtime, '/healthz');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('same-origin');
		// ORIGIN is http:// here: no HSTS, which would break a plain-HTTP install.
		expect(response.headers.get('strict-transport-security')).toBeNull();
	});

	it('asks browsers to use HTTPS only when MinisPod is served over HTTPS', async () => {
		const secure = await startTestRuntime({ catalog: false, env: { ORIGIN: 'https://panel.example.id' } });
		try {
			const response = await appFetch(secure, '/healthz');
			expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
		} finally {
			await secure.close();
		}
	});
});
