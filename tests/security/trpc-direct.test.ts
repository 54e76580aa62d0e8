// Issue 16: tRPC queries and JSON mutations are answered before SvelteKit
// (src/lib/server/http/trpc-direct.ts). That path must refuse what SvelteKit's path refuses and
// answer what it answers: each case is sent both ways and the answers compared (status, body,
// cookies, headers), and whatever the direct path does not take (other methods and content
// types, subscriptions, unknown paths, bodies without a length or too long) goes on to
// SvelteKit's hook, which answers or refuses it there.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, sessions, users } from '../../src/lib/server/db/schema';
import { createSession, generateSessionToken, sessionIdFromToken, SESSION_COOKIE } from '../../src/lib/server/auth/sessions';
import { BODY_MAX, directPath, serveCall } from '../../src/lib/server/http/trpc-direct';
import { setRuntime } from '../../src/lib/server/runtime';
import { createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { appFetch, CookieJar, type AppRequest } from '../support/http';
import { nextEvent } from '../support/waits';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

/**
 * Makes a change as another process would (a statement of its own, nothing told to this
 * process), and waits for its notification: the database's triggers send it when it commits.
 */
async function changedElsewhere(userId: string, change: () => Promise<unknown>) {
	const arrived = nextEvent(runtime.events, (event) => event.type === 'sessions' && !!event.userIds?.includes(userId));
	await change();
	await arrived;
}

/** A signed-in browser's jar; `days` left on the session (less than half the lifetime renews it). */
async function signedIn(options: { userId?: string; days?: number } = {}) {
	const userId = options.userId ?? (await createUser(runtime)).id;
	const token = generateSessionToken();
	await createSession(runtime.db, token, userId, { days: options.days ?? runtime.config.sessionDays });
	const jar = new CookieJar();
	jar.values.set(SESSION_COOKIE, token);
	return { jar, userId, token };
}

/**
 * What a client can tell apart: status, body, headers (the request id aside) and the cookies
 * it holds afterwards. `setCookie` (the Set-Cookie lines) only the direct path sends: tests
 * reach SvelteKit's hook with a jar standing in for SvelteKit's cookies.
 */
async function seen(response: Response, jar: CookieJar) {
	const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'set-cookie'));
	const requestId = headers['x-request-id'];
	expect(requestId).toMatch(/^[0-9a-f]{16}$/);
	delete headers['x-request-id'];
	const body: unknown = JSON.parse((await response.text()).replaceAll(requestId, '<request id>'));
	const setCookie = response.headers.getSetCookie();
	// Each way signs in with a session of its own: which cookies are left counts, not the token.
	const cookies = Object.fromEntries([...jar.values].map(([name, value]) => [name, name === SESSION_COOKIE ? 'a token' : value]));
	return { status: response.status, body, headers, cookies, setCookie };
}

/** The same request both ways; each way gets a jar of its own from `jar()`. */
async function bothWays(path: string, jar: () => Promise<CookieJar>, request: AppRequest = {}) {
	const directJar = await jar();
	const { setCookie, ...direct } = await seen(await appFetch(runtime, path, { ...request, jar: directJar }), directJar);
	const sveltekitJar = await jar();
	const { setCookie: unsent, ...sveltekit } = await seen(
		await appFetch(runtime, path, { ...request, jar: sveltekitJar, sveltekit: true }),
		sveltekitJar
	);
	expect(unsent).toEqual([]);
	return { direct, sveltekit, setCookie };
}

const input = (value: unknown) => encodeURIComponent(JSON.stringify({ json: value }));

describe('a tRPC query answered before SvelteKit', () => {
	it('is refused without a session, as SvelteKit refuses it', async () => {
		const { direct, sveltekit, setCookie } = await bothWays('/api/trpc/wallet.balance', async () => new CookieJar());
		expect(direct.status).toBe(401);
		expect(setCookie).toEqual([]);
		expect(direct).toEqual(sveltekit);
	});

	it('with an unknown session is refused and the cookie removed', async () => {
		const { direct, sveltekit, setCookie } = await bothWays('/api/trpc/wallet.balance', async () => {
			const jar = new CookieJar();
			jar.values.set(SESSION_COOKIE, generateSessionToken());
			return jar;
		});
		expect(direct.status).toBe(401);
		expect(direct.cookies).toEqual({});
		expect(setCookie).toEqual([`${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`]);
		expect(direct).toEqual(sveltekit);
	});

	it('of an account blocked by another process is refused once the block commits, and its session ends', async () => {
		const user = await createUser(runtime);
		const first = await signedIn({ userId: user.id });
		const second = await signedIn({ userId: user.id });
		expect((await appFetch(runtime, '/api/trpc/wallet.balance', { jar: first.jar })).status).toBe(200);
		// This process holds the session now (auth/session-cache.ts); the block's notification drops it.
		await changedElsewhere(user.id, () => runtime.db.update(users).set({ isActive: false }).where(eq(users.id, user.id)));
		const jars = [first.jar, second.jar];
		const { direct, sveltekit } = await bothWays('/api/trpc/wallet.balance', async () => jars.shift()!);
		expect(direct.status).toBe(401);
		expect(direct).toEqual(sveltekit);
		const left = await runtime.db.select().from(sessions).where(eq(sessions.userId, user.id));
		expect(left).toEqual([]);
	});

	it('after a logout is refused on the next request, even with a copy of the cookie', async () => {
		const { jar, token } = await signedIn();
		expect((await appFetch(runtime, '/api/trpc/wallet.balance', { jar })).status).toBe(200);
		expect((await appFetch(runtime, '/api/trpc/auth.logout', { ...post({ json: null }), jar })).status).toBe(200);
		expect(jar.values.has(SESSION_COOKIE)).toBe(false);
		jar.values.set(SESSION_COOKIE, token);
		expect((await appFetch(runtime, '/api/trpc/wallet.balance', { jar })).status).toBe(401);
	});

	it('after a sign-out in another process is refused once it commits', async () => {
		const { jar, token, userId } = await signedIn();
		expect((await appFetch(runtime, '/api/trpc/wallet.balance', { jar })).status).toBe(200);
		await changedElsewhere(userId, () => runtime.db.delete(sessions).where(eq(sessions.id, sessionIdFromToken(token))));
		expect((await appFetch(runtime, '/api/trpc/wallet.balance', { jar })).status).toBe(401);
	});

	it('answers a signed-in customer as SvelteKit does: one query, with input, a batch', async () => {
		const user = await createUser(runtime);
		const jar = async () => (await signedIn({ userId: user.id })).jar;
		for (const path of [
			'/api/trpc/wallet.balance',
			`/api/trpc/wallet.transactions?input=${input({ page: 1 })}`,
			`/api/trpc/catalog.categories,wallet.balance?batch=1&input=${encodeURIComponent('{}')}`
		]) {
			const { direct, sveltekit } = await bothWays(path, jar);
			expect(direct.status, path).toBe(200);
			expect(direct, path).toEqual(sveltekit);
		}
	});

	it('refuses bad input as SvelteKit does', async () => {
		const { jar } = await signedIn();
		for (const [path, status] of [
			[`/api/trpc/wallet.transactions?input=${input({ page: -1 })}`, 400],
			[`/api/trpc/wallet.transactions?input=${input({ note: 'a\u0000b' })}`, 400],
			['/api/trpc/wallet.transactions?input=%7Bnot%20json', 400],
			[`/api/trpc/wallet.transactions?batch=1&input=${encodeURIComponent('[{"json":{}}]')}`, 400],
			['/api/trpc/wallet.transactions,wallet.transactions?batch=1&input=%5B1%5D', 400],
			[`/api/trpc/wallet.balance,wallet.transactions?batch=1&input=${encodeURIComponent('{"1":{"json":{"page":-1}}}')}`, 207]
		] as const) {
			const { direct, sveltekit } = await bothWays(path, async () => jar);
			expect(direct, path).toEqual(sveltekit);
			expect(direct.status, path).toBe(status);
		}
	});

	it('answers a streaming client (trpc-accept) through tRPC’s own handling, as SvelteKit does', async () => {
		const { jar } = await signedIn();
		const path = `/api/trpc/wallet.balance?batch=1&input=${encodeURIComponent('{}')}`;
		const direct = await appFetch(runtime, path, { jar, headers: { 'trpc-accept': 'application/jsonl' } });
		const sveltekit = await appFetch(runtime, path, { jar, headers: { 'trpc-accept': 'application/jsonl' }, sveltekit: true });
		expect(direct.status).toBe(200);
		expect(sveltekit.status).toBe(200);
		const strip = (text: string) => text.replace(/"requestId":"\w+"/g, '');
		expect(strip(await direct.text())).toEqual(strip(await sveltekit.text()));
	});

	it('renews a session past half its lifetime and sets the account’s language, as SvelteKit does', async () => {
		const user = await createUser(runtime);
		await runtime.db.update(users).set({ locale: 'en' }).where(eq(users.id, user.id));
		const { direct, sveltekit, setCookie } = await bothWays('/api/trpc/wallet.balance', async () => {
			const { jar } = await signedIn({ userId: user.id, days: 1 });
			jar.values.set('minispod_locale', 'id');
			return jar;
		});
		expect(direct.cookies.minispod_locale).toBe('en');
		const [session, locale] = setCookie;
		expect(session).toMatch(new RegExp(`^${SESSION_COOKIE}=\\w+; Path=/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$`));
		const expires = new Date(/Expires=([^;]+)/.exec(session)![1]).getTime();
		expect(expires).toBeGreaterThan(Date.now() + (runtime.config.sessionDays - 1) * 86_400_000);
		expect(locale).toMatch(/^minispod_locale=en; Max-Age=\d+; Path=\/; SameSite=Lax$/);
		expect(direct).toEqual(sveltekit);
	});
});

/** A tRPC POST as the browser's client sends it: JSON with this site's Origin. */
const post = (body: unknown, headers: Record<string, string> = {}): AppRequest => ({
	method: 'POST',
	headers: { 'content-type': 'application/json', origin: runtime.config.origin, ...headers },
	body: typeof body === 'string' ? body : JSON.stringify(body)
});

describe('a tRPC mutation answered before SvelteKit', () => {
	it('is refused without a session, and across sites before the session is read, as SvelteKit refuses them', async () => {
		const anonymous = await bothWays('/api/trpc/notifications.markRead', async () => new CookieJar(), post({ json: {} }));
		expect(anonymous.direct.status).toBe(401);
		expect(anonymous.direct).toEqual(anonymous.sveltekit);
		const { jar } = await signedIn();
		for (const origin of ['https://evil.example', 'null']) {
			const crossSite = await bothWays(
				'/api/trpc/notifications.markRead',
				async () => {
					const copy = new CookieJar();
					for (const [name, value] of jar.values) copy.values.set(name, value);
					copy.values.set('minispod_locale', 'en');
					return copy;
				},
				post({ json: {} }, { origin })
			);
			expect(crossSite.direct.status, origin).toBe(403);
			expect(crossSite.direct.body, origin).toEqual({ message: 'Cross-site POST requests are forbidden.' });
			expect(crossSite.direct, origin).toEqual(crossSite.sveltekit);
		}
		// Without an Origin (not a browser's POST) too.
		const { direct, sveltekit } = await bothWays('/api/trpc/notifications.markRead', async () => jar, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"json":{}}'
		});
		expect(direct.status).toBe(403);
		expect(direct).toEqual(sveltekit);
	});

	it('answers a signed-in customer as SvelteKit does: one mutation, a batch, a login that sets cookies', async () => {
		const user = await createUser(runtime);
		const jar = async () => (await signedIn({ userId: user.id })).jar;
		for (const [path, body] of [
			['/api/trpc/notifications.markRead', { json: {} }],
			['/api/trpc/notifications.setMailSettings', { json: { optionalMails: false } }],
			[
				'/api/trpc/notifications.markRead,notifications.setMailSettings?batch=1',
				{ 0: { json: {} }, 1: { json: { optionalMails: true } } }
			]
		] as const) {
			const { direct, sveltekit } = await bothWays(path, jar, post(body));
			expect(direct.status, path).toBe(200);
			expect(direct, path).toEqual(sveltekit);
		}
		const login = await bothWays(
			'/api/trpc/auth.login',
			async () => new CookieJar(),
			post({ json: { email: user.email, password: 'correct horse battery' } })
		);
		expect(login.direct.status).toBe(200);
		expect(Object.keys(login.direct.cookies).sort()).toEqual(expect.arrayContaining([SESSION_COOKIE]));
		expect(login.setCookie.some((line) => line.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
		// Each login gets a device token of its own: that there is one counts, not its value.
		for (const way of [login.direct, login.sveltekit]) way.cookies.minispod_device &&= 'a device';
		expect(login.direct.cookies.minispod_device).toBe('a device');
		expect(login.direct).toEqual(login.sveltekit);
	});

	it('refuses bad input as SvelteKit does, changing nothing', async () => {
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const customer = await createUser(runtime);
		const jar = async () => (await signedIn({ userId: admin.id })).jar;
		const adjust = (input: unknown) => post({ json: input });
		const good = { userId: customer.id, direction: 'credit', amount: 1_000, reason: 'Goodwill' };
		for (const [path, request, status] of [
			['/api/trpc/admin.wallet.adjust', adjust({ ...good, amount: -5 }), 400],
			['/api/trpc/admin.wallet.adjust', adjust({ ...good, reason: 'a\u0000b' }), 400],
			['/api/trpc/admin.wallet.adjust', adjust({ ...good, userId: 'not a uuid' }), 400],
			['/api/trpc/admin.wallet.adjust', post('{not json'), 400],
			['/api/trpc/admin.wallet.adjust', post(''), 400],
			['/api/trpc/admin.wallet.adjust?batch=1', post('[{"json":{}}]'), 400],
			[
				'/api/trpc/admin.wallet.adjust,notifications.markRead?batch=1',
				post({ 0: { json: { ...good, amount: 0 } }, 1: { json: {} } }),
				207
			]
		] as const) {
			const { direct, sveltekit } = await bothWays(path, jar, request);
			expect(direct, path).toEqual(sveltekit);
			expect(direct.status, `${path} ${String(request.body)}`).toBe(status);
		}
		expect(await runtime.db.select().from(auditLog).where(eq(auditLog.entityId, customer.id))).toEqual([]);
		// And a customer is no administrator, either way.
		const { direct, sveltekit } = await bothWays(
			'/api/trpc/admin.wallet.adjust',
			async () => (await signedIn()).jar,
			adjust(good)
		);
		expect(direct.status).toBe(403);
		expect(direct).toEqual(sveltekit);
	});

	it('moves money once for an administrator, as the SvelteKit path does', async () => {
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const customer = await createUser(runtime);
		const { jar } = await signedIn({ userId: admin.id });
		const request = post({
			json: { userId: customer.id, direction: 'credit', amount: 2_500, reason: 'Goodwill', requestId: crypto.randomUUID() }
		});
		const direct = await appFetch(runtime, '/api/trpc/admin.wallet.adjust', { ...request, jar });
		const again = await appFetch(runtime, '/api/trpc/admin.wallet.adjust', { ...request, jar, sveltekit: true });
		const [first, second] = [(await direct.json()).result.data.json, (await again.json()).result.data.json];
		expect(first).toMatchObject({ amount: 2_500, replayed: false });
		expect(second).toMatchObject({ id: first.id, replayed: true });
		const [row] = await runtime.db.select().from(users).where(eq(users.id, customer.id));
		expect(row.creditBalance).toBe(2_500);
	});
});

describe('what the direct path does not take', () => {
	it('is every method but GET and a JSON POST, every subscription, and every path that is not all of one type', () => {
		const json = { 'content-type': 'application/json', 'content-length': '11' };
		expect(directPath('GET', '/api/trpc/wallet.balance')).toBe('wallet.balance');
		expect(directPath('GET', '/api/trpc/catalog.categories,wallet.balance?batch=1')).toBe('catalog.categories,wallet.balance');
		expect(directPath('POST', '/api/trpc/auth.logout', json)).toBe('auth.logout');
		expect(directPath('POST', '/api/trpc/auth.logout', { ...json, 'content-type': 'Application/JSON; charset=utf-8' })).toBe(
			'auth.logout'
		);
		expect(directPath('POST', '/api/trpc/auth.logout,notifications.markRead?batch=1', json)).toBe(
			'auth.logout,notifications.markRead'
		);
		for (const [method, url, headers] of [
			['POST', '/api/trpc/wallet.balance', json],
			['POST', '/api/trpc/auth.logout', {}],
			['POST', '/api/trpc/auth.logout', { 'content-type': 'application/json' }],
			['POST', '/api/trpc/auth.logout', { ...json, 'content-length': String(BODY_MAX + 1) }],
			['POST', '/api/trpc/auth.logout', { ...json, 'content-type': 'multipart/form-data; boundary=x' }],
			['POST', '/api/trpc/auth.logout', { ...json, 'content-type': 'text/plain' }],
			['POST', '/api/trpc/auth.logout?batch=1', { ...json, 'trpc-accept': 'application/jsonl' }],
			['POST', '/api/trpc/auth.logout,wallet.balance?batch=1', json],
			['PUT', '/api/trpc/auth.logout', json],
			['HEAD', '/api/trpc/wallet.balance', {}],
			['GET', '/api/trpc/auth.logout', {}],
			['GET', '/api/trpc/notifications.stream', {}],
			['GET', '/api/trpc/wallet.balance,auth.logout?batch=1', {}],
			['GET', '/api/trpc/wallet.balance/', {}],
			['GET', '/api/trpc/wallet%2Ebalance', {}],
			['GET', '/api/trpc/constructor', {}],
			['GET', '/api/trpc/__proto__', {}],
			['GET', '/api/trpc/', {}],
			['GET', '/wallet', {}]
		] as const) {
			expect(directPath(method, url, headers), `${method} ${url} ${JSON.stringify(headers)}`).toBeNull();
		}
	});

	it('is refused by SvelteKit’s hook: a query sent as POST, a mutation sent as GET', async () => {
		const { jar } = await signedIn();
		const postedQuery = await appFetch(runtime, '/api/trpc/wallet.balance', { ...post('{}'), jar });
		expect(postedQuery.status).toBe(405);
		const gotMutation = await appFetch(runtime, '/api/trpc/auth.logout', { jar });
		expect(gotMutation.status).toBe(405);
	});

	it('drops a mutation whose client goes away before its body is complete, and goes on serving', async () => {
		setRuntime(runtime);
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const customer = await createUser(runtime);
		const { jar } = await signedIn({ userId: admin.id });
		const served: Promise<void>[] = [];
		const server = http.createServer((request, response) => {
			served.push(new Promise((resolve) => response.once('close', () => resolve())));
			if (!serveCall(request, response)) response.writeHead(418).end();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		try {
			const body = JSON.stringify({ json: { userId: customer.id, direction: 'credit', amount: 1_000, reason: 'Goodwill' } });
			const socket = net.connect(port, '127.0.0.1');
			await new Promise<void>((resolve) => socket.once('connect', resolve));
			socket.write(
				[
					'POST /api/trpc/admin.wallet.adjust HTTP/1.1',
					'host: 127.0.0.1',
					`origin: ${runtime.config.origin}`,
					'content-type: application/json',
					`content-length: ${Buffer.byteLength(body)}`,
					`cookie: ${jar.header()}`,
					'',
					body.slice(0, 20)
				].join('\r\n')
			);
			socket.destroy();
			await Promise.all(served);
			const [row] = await runtime.db.select().from(users).where(eq(users.id, customer.id));
			expect(row.creditBalance).toBe(0);
			const answer = await fetch(`http://127.0.0.1:${port}/api/trpc/admin.wallet.adjust`, {
				method: 'POST',
				headers: { cookie: jar.header(), origin: runtime.config.origin, 'content-type': 'application/json' },
				body
			});
			expect(answer.status).toBe(200);
			const [after] = await runtime.db.select().from(users).where(eq(users.id, customer.id));
			expect(after.creditBalance).toBe(1_000);
		} finally {
			server.close();
		}
	});

	it('goes on to SvelteKit in the node server, and a worker process answers no call', async () => {
		setRuntime(runtime);
		const server = http.createServer((request, response) => {
			if (!serveCall(request, response)) {
				request.resume();
				response.writeHead(418).end();
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const { jar } = await signedIn();
			const cookie = jar.header();
			const answer = await fetch(`${base}/api/trpc/wallet.balance`, { headers: { cookie } });
			expect(answer.status).toBe(200);
			expect(Number(answer.headers.get('content-length'))).toBe((await answer.arrayBuffer()).byteLength);
			const mutation = { method: 'POST', headers: { cookie, origin: runtime.config.origin, 'content-type': 'application/json' } };
			const marked = await fetch(`${base}/api/trpc/notifications.markRead`, { ...mutation, body: '{"json":{}}' });
			expect(marked.status).toBe(200);
			expect(await marked.json()).toEqual({ result: { data: { json: { marked: 0 } } } });
			// A byte order mark is dropped, as a Web Request's text() drops it on SvelteKit's path.
			const withMark = await fetch(`${base}/api/trpc/notifications.markRead`, { ...mutation, body: '\uFEFF{"json":{}}' });
			expect(withMark.status).toBe(200);
			// A body without a stated length (streamed in chunks) or over the limit goes to SvelteKit.
			const chunked = new ReadableStream({
				start(controller) {
					controller.enqueue(new TextEncoder().encode('{"json":{}}'));
					controller.close();
				}
			});
			const streamed = await fetch(`${base}/api/trpc/notifications.markRead`, {
				...mutation,
				body: chunked,
				duplex: 'half'
			} as RequestInit);
			expect(streamed.status).toBe(418);
			const long = await fetch(`${base}/api/trpc/notifications.markRead`, {
				...mutation,
				body: `{"json":{"pad":"${'x'.repeat(BODY_MAX)}"}}`
			});
			expect(long.status).toBe(418);
			expect((await fetch(`${base}/api/trpc/wallet.balance`, { method: 'POST', headers: { cookie } })).status).toBe(418);
			expect((await fetch(`${base}/api/trpc/auth.logout`, { headers: { cookie } })).status).toBe(418);
			const role = runtime.config.role;
			(runtime.config as { role: string }).role = 'worker';
			try {
				expect((await fetch(`${base}/api/trpc/wallet.balance`, { headers: { cookie } })).status).toBe(418);
				expect((await fetch(`${base}/api/trpc/notifications.markRead`, { ...mutation, body: '{"json":{}}' })).status).toBe(418);
			} finally {
				(runtime.config as { role: string }).role = role;
			}
		} finally {
			server.close();
		}
	});
});
