import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { mailOutbox, sessions, users } from '../../src/lib/server/db/schema';
import { createCaller } from '../../src/lib/server/router';
import { SESSION_COOKIE, sessionIdFromToken, validateSessionToken } from '../../src/lib/server/auth/sessions';
import { ensureAdmin } from '../../src/lib/server/seed';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectError } from '../support/errors';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

/** Records what a procedure does to the browser's cookies. */
function cookieJar() {
	const jar = new Map<string, { value: string; options: Record<string, unknown> }>();
	const cookies = {
		get: (name: string) => jar.get(name)?.value,
		getAll: () => [...jar].map(([name, c]) => ({ name, value: c.value })),
		set: (name: string, value: string, options: Record<string, unknown>) => void jar.set(name, { value, options }),
		delete: (name: string) => void jar.delete(name),
		serialize: () => ''
	} as unknown as Cookies;
	return { jar, cookies };
}

const anonymous = (cookies?: Cookies) => createCaller({ runtime, user: null, session: null, cookies, ipAddress: '127.0.0.1' });

describe('registration', () => {
	it('creates a customer without logging them in, and mails a verification link', async () => {
		const { jar, cookies } = cookieJar();
		const answer = await anonymous(cookies).auth.register({
			name: 'Siti Rahma',
			email: 'Siti@Example.com',
			password: 'rahasia-siti-2026'
		});
		expect(answer).toEqual({ checkEmail: true });
		expect(jar.get(SESSION_COOKIE)).toBeUndefined();
		const [user] = await runtime.db.select().from(users).where(eq(users.email, 'siti@example.com'));
		expect(user).toMatchObject({ name: 'Siti Rahma', role: 'USER', emailVerifiedAt: null });
		expect(await runtime.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
		const mails = await runtime.db.select().from(mailOutbox).where(eq(mailOutbox.to, 'siti@example.com'));
		expect(mails.map((mail) => mail.kind)).toEqual(['verify-email']);
	});

	it('answers a taken address exactly like a new one and mails its owner instead', async () => {
		const first = await anonymous().auth.register({ name: 'Budi', email: 'budi@example.com', password: 'password-budi2' });
		const second = await anonymous().auth.register({ name: 'Budi Two', email: 'BUDI@example.com', password: 'password-budi2' });
		expect(second).toEqual(first);
		const rows = await runtime.db.select().from(users).where(eq(users.email, 'budi@example.com'));
		expect(rows).toHaveLength(1);
		expect(rows[0].name).toBe('Budi');
		const mails = await runtime.db.select().from(mailOutbox).where(eq(mailOutbox.to, 'budi@example.com'));
		expect(mails.map((mail) => mail.kind).sort()).toEqual(['register-existing', 'verify-email']);
	});

	it('rejects bad input naming the field and stores nothing', async () => {
		const before = await runtime.db.select().from(users);
		const error = await expectError(
			anonymous().auth.register({ name: 'X', email: 'not-an-email', password: 'longenough' }),
			'BAD_REQUEST'
		);
		expect(error.message).toMatch(/^email:/);
		await expectError(anonymous().auth.register({ name: 'X', email: 'x@example.com', password: 'short' }), 'BAD_REQUEST');
		await expectError(anonymous().auth.register({ name: '', email: 'y@example.com', password: 'longenough' }), 'BAD_REQUEST');
		expect(await runtime.db.select().from(users)).toHaveLength(before.length);
	});

	it('refuses common and guessable passwords with a field error', async () => {
		for (const password of ['password1234', 'longenough', 'qwertyuiop', 'wulandari2026', 'wulan@example.com']) {
			const error = await expectError(
				anonymous().auth.register({ name: 'Wulan Dari', email: 'wulan@example.com', password }),
				'BAD_REQUEST'
			);
			expect(error.message, password).toMatch(/^password: This password is too easy to guess/);
		}
		expect(await runtime.db.select().from(users).where(eq(users.email, 'wulan@example.com'))).toHaveLength(0);
	});
});

describe('login and logout', () => {
	it('logs in with the right password and not with a wrong one', async () => {
		const user = await createUser(runtime, { email: 'dewi@example.com', password: 'dewi-password' });
		const { jar, cookies } = cookieJar();
		const loggedIn = await anonymous(cookies).auth.login({ email: 'DEWI@example.com', password: 'dewi-password' });
		expect(loggedIn.id).toBe(user.id);
		expect(jar.get(SESSION_COOKIE)?.value).toBeTruthy();

		const error = await expectError(
			anonymous().auth.login({ email: 'dewi@example.com', password: 'wrong-password' }),
			'UNAUTHORIZED'
		);
		expect(error.message).toBe('E-mail or password is incorrect.');
		await expectError(anonymous().auth.login({ email: 'nobody@example.com', password: 'whatever1' }), 'UNAUTHORIZED');
	});

	it('throttles an address and account after repeated failures, even for the right password', async () => {
		await createUser(runtime, { email: 'eko@example.com', password: 'eko-password' });
		for (let i = 0; i < 5; i++) {
			await expectError(anonymous().auth.login({ email: 'eko@example.com', password: `wrong-${i}` }), 'UNAUTHORIZED');
		}
		const error = await expectError(
			anonymous().auth.login({ email: 'eko@example.com', password: 'eko-password' }),
			'TOO_MANY_REQUESTS'
		);
		expect(error.message).toMatch(/Too many attempts/);
		// Another account is not affected.
		await createUser(runtime, { email: 'fajar@example.com', password: 'fajar-password' });
		await expect(anonymous().auth.login({ email: 'fajar@example.com', password: 'fajar-password' })).resolves.toBeTruthy();
	});

	it('logout ends the session and clears the cookie', async () => {
		const user = await createUser(runtime);
		const { jar, cookies } = cookieJar();
		const caller = await callerFor(runtime, user);
		const me = await caller.auth.me();
		expect(me?.id).toBe(user.id);
		const [session] = await runtime.db.select().from(sessions).where(eq(sessions.userId, user.id));
		const withCookies = createCaller({ runtime, user: { ...me!, emailVerifiedAt: new Date() }, session, cookies });
		await withCookies.auth.logout();
		expect(await runtime.db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
		expect(jar.get(SESSION_COOKIE)?.options.maxAge).toBe(0);
	});
});

describe('sessions', () => {
	it('expire, and are renewed while in use', async () => {
		const user = await createUser(runtime);
		const { cookies, jar } = cookieJar();
		await anonymous(cookies).auth.login({ email: user.email, password: 'correct horse battery' });
		const token = jar.get(SESSION_COOKIE)!.value;
		const id = sessionIdFromToken(token);

		// Close to expiry: validating renews it to the full lifetime.
		await runtime.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() + 60_000) })
			.where(eq(sessions.id, id));
		const renewed = await validateSessionToken(runtime.db, token, { days: 30 });
		expect(renewed!.renewed).toBe(true);
		expect(renewed!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
		expect((await validateSessionToken(runtime.db, token, { days: 30 }))!.renewed).toBe(false);

		// The same lookup reads the credit the page header shows, as it is now.
		await runtime.db.update(users).set({ creditBalance: 125_000 }).where(eq(users.id, user.id));
		expect((await validateSessionToken(runtime.db, token, { days: 30 }))!.balance).toBe(125_000);

		// Past expiry: refused and deleted.
		await runtime.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, id));
		expect(await validateSessionToken(runtime.db, token, { days: 30 })).toBeNull();
		expect(await runtime.db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
	});

	it('of a disabled account are refused', async () => {
		const user = await createUser(runtime);
		const { cookies, jar } = cookieJar();
		await anonymous(cookies).auth.login({ email: user.email, password: 'correct horse battery' });
		await runtime.db.update(users).set({ isActive: false }).where(eq(users.id, user.id));
		expect(await validateSessionToken(runtime.db, jar.get(SESSION_COOKIE)!.value, { days: 30 })).toBeNull();
	});
});

describe('roles', () => {
	it('admin procedures refuse customers and anonymous callers', async () => {
		const customer = await createUser(runtime);
		await expectError((await callerFor(runtime, customer)).admin.overview(), 'FORBIDDEN');
		await expectError(anonymous().admin.overview(), 'UNAUTHORIZED');
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const overview = await (await callerFor(runtime, admin)).admin.overview();
		expect(overview.customers).toBeGreaterThan(0);
	});

	it('bootstraps the configured administrator, promoting an existing account', async () => {
		const created = await ensureAdmin(runtime.db, { email: 'ops@example.com', password: 'ops-password' });
		expect(created.created).toBe(true);
		const existing = await createUser(runtime, { email: 'boss@example.com' });
		await ensureAdmin(runtime.db, { email: 'boss@example.com', password: 'ignored-password' });
		const [promoted] = await runtime.db.select().from(users).where(eq(users.id, existing.id));
		expect(promoted.role).toBe('ADMINISTRATOR');
		await expect(anonymous().auth.login({ email: 'ops@example.com', password: 'ops-password' })).resolves.toMatchObject({
			role: 'ADMINISTRATOR'
		});
	});
});
