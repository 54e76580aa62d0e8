// The sessions a web process holds for a few seconds (auth/session-cache.ts): served from
// memory, and dropped as soon as anything they carry changes, whichever process or connection
// changed it (the triggers of drizzle/0025_session-notify.sql), at once in the process that
// changed it, and never served while the event listener is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { closeDb, createDb, type Db } from '../../src/lib/server/db/client';
import { sessions, users } from '../../src/lib/server/db/schema';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	sessionIdFromToken,
	validateSessionToken
} from '../../src/lib/server/auth/sessions';
import {
	HOLD_MS,
	MAX_HELD,
	createSessionCache,
	sessionCache,
	sessionsChangedHere,
	type SessionCache
} from '../../src/lib/server/auth/session-cache';
import { changeName } from '../../src/lib/server/auth/account';
import { blockCustomer } from '../../src/lib/server/admin/customer-actions';
import { publish, startEventHub, type EventHub, type LiveEvent } from '../../src/lib/server/events';
import { createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { nextEvent } from '../support/waits';
import { scaled } from '../support/timeouts';

let runtime: TestRuntime;
/** A pool of its own: what another MinisPod process would use. */
let other: Db;
let cache: SessionCache;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
	other = createDb(runtime.config.databaseUrl!, { max: 2 });
	cache = sessionCache(runtime);
});
afterAll(async () => {
	if (other) await closeDb(other);
	await runtime?.close();
});

const DAYS = 30;

async function signedIn(userId?: string, days = DAYS) {
	const user = userId ?? (await createUser(runtime)).id;
	const token = generateSessionToken();
	const session = await createSession(runtime.db, token, user, { days });
	return { token, userId: user, session };
}

/** Validated as the direct path validates a call; `balance` is null when the copy was served. */
const validate = (token: string, options: { days?: number; cache?: SessionCache } = {}) =>
	validateSessionToken(runtime.db, token, { days: options.days ?? DAYS, cache: options.cache ?? cache });

/** The next event of this type the runtime's hub receives. */
const next = (events: EventHub, type: LiveEvent['type']) => nextEvent(events, (event) => event.type === type);

describe('the session cache', () => {
	it('serves a validated session from memory, as it was looked up', async () => {
		const { token, userId } = await signedIn();
		const looked = await validate(token);
		expect(looked).toMatchObject({ user: { id: userId }, balance: 0, renewed: false });
		const served = await validate(token);
		expect(served).toEqual({ ...looked, balance: null, balanceVersion: null });
		// Without the cache (pages: their header shows the balance), it is looked up.
		expect((await validateSessionToken(runtime.db, token, { days: DAYS }))?.balance).toBe(0);
	});

	it('holds no session of a user whose change came in while it was looked up', async () => {
		const { token, userId } = await signedIn();
		const mark = cache.mark();
		const looked = (await validateSessionToken(runtime.db, token, { days: DAYS }))!;
		sessionsChangedHere(userId);
		cache.store(sessionIdFromToken(token), looked, mark);
		expect((await validate(token))?.balance).toBe(0);
		expect((await validate(token))?.balance).toBeNull();
	});

	describe('drops a copy when the change commits on another connection', () => {
		it('a session ended (signed out there)', async () => {
			const { token, userId } = await signedIn();
			const kept = await signedIn(userId);
			await validate(token);
			await validate(kept.token);
			const event = next(runtime.events, 'sessions');
			await other.delete(sessions).where(eq(sessions.id, sessionIdFromToken(token)));
			expect(await event).toEqual({ type: 'sessions', userIds: [userId] });
			expect(await validate(token)).toBeNull();
			// The user's other sessions were dropped too, and are looked up again.
			expect((await validate(kept.token))?.balance).toBe(0);
		});

		it('a user blocked, made an administrator, renamed, moved to another address or language', async () => {
			const changes = [
				{ isActive: false },
				{ role: 'ADMINISTRATOR' as const },
				{ name: 'Renamed' },
				{ email: `moved-${Date.now()}@example.com` },
				{ emailVerifiedAt: null },
				{ locale: 'en' as const }
			];
			for (const change of changes) {
				const { token, userId } = await signedIn();
				await validate(token);
				expect((await validate(token))?.balance).toBeNull();
				const event = next(runtime.events, 'sessions');
				await other.update(users).set(change).where(eq(users.id, userId));
				expect(await event).toEqual({ type: 'sessions', userIds: [userId] });
				const after = await validate(token);
				if (change.isActive === false) expect(after).toBeNull();
				else expect(after?.user, JSON.stringify(change)).toMatchObject(change);
			}
		});

		it('but not for a change of the balance, or of a column a session does not carry', async () => {
			const { token, userId } = await signedIn();
			await validate(token);
			await other.update(users).set({ creditBalance: 5_000, optionalMails: false }).where(eq(users.id, userId));
			// Written with the same value: no change.
			await other
				.update(users)
				.set({ name: sql`${users.name}` })
				.where(eq(users.id, userId));
			// Notifications come in the order their transactions committed: once this one is here,
			// any the updates above sent would have been.
			const marker = next(runtime.events, 'catalog');
			await publish(other, { type: 'catalog' });
			await marker;
			expect((await validate(token))?.balance).toBeNull();
		});

		it('every session when more than a hundred users’ sessions end in one statement', async () => {
			const { token } = await signedIn();
			await validate(token);
			const many = await other
				.insert(users)
				.values(
					Array.from({ length: 101 }, (_, i) => ({
						name: `Many ${i}`,
						email: `many-${i}-${Date.now()}@example.com`,
						passwordHash: 'x'
					}))
				)
				.returning({ id: users.id });
			const ids = many.map((user) => user.id);
			for (const id of ids) await createSession(other, generateSessionToken(), id, { days: 1 });
			const event = next(runtime.events, 'sessions');
			await other.delete(sessions).where(inArray(sessions.userId, ids));
			expect(await event).toEqual({ type: 'sessions', userIds: null });
			expect(cache.size()).toBe(0);
			expect((await validate(token))?.balance).toBe(0);
		});
	});

	describe('drops a copy at once when this process makes the change', () => {
		it('a sign-out', async () => {
			const { token, session } = await signedIn();
			await validate(token);
			await invalidateSession(runtime.db, session);
			expect(await validate(token)).toBeNull();
		});

		it('a block', async () => {
			const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
			const { token, userId } = await signedIn();
			await validate(token);
			await blockCustomer(runtime.db, { adminId: admin.id }, { userId, reason: 'Abuse report' });
			expect(await validate(token)).toBeNull();
		});

		it('a new name', async () => {
			const { token, userId } = await signedIn();
			await validate(token);
			await changeName(runtime.db, userId, 'New Name');
			expect((await validate(token))?.user.name).toBe('New Name');
		});
	});

	it('does not serve a session due for renewal: it is renewed', async () => {
		const { token } = await signedIn(undefined, 20);
		await validate(token);
		expect((await validate(token))?.balance).toBeNull();
		// With a lifetime of 60 days, 20 left is less than half.
		const renewed = await validate(token, { days: 60 });
		expect(renewed).toMatchObject({ renewed: true, balance: 0 });
	});

	it('serves nothing while the listener is down, and drops every copy when it is back', async () => {
		// Reconnecting after 5-10 s: time enough, on a busy machine, to see the listener down.
		const events = await startEventHub(runtime.config.databaseUrl!, () => undefined, { backoffMs: 10_000 });
		try {
			const own = createSessionCache(events);
			const { token, userId } = await signedIn();
			await validate(token, { cache: own });
			expect((await validate(token, { cache: own }))?.balance).toBeNull();
			const back = nextEvent(events, (event) => event.type === 'resync');
			await runtime.db.execute(
				sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'minispod-events' AND pid <> pg_backend_pid() AND datname = current_database()`
			);
			await expect.poll(() => events.listening(), { timeout: scaled(5_000) }).toBe(false);
			// Down: a change sent now is missed, so nothing is served from memory.
			await other.update(users).set({ name: 'Changed while down' }).where(eq(users.id, userId));
			expect((await validate(token, { cache: own }))?.user.name).toBe('Changed while down');
			await back;
			expect(own.size()).toBe(0);
		} finally {
			await events.close();
		}
	});

	it(`holds ${MAX_HELD} sessions at most, dropping the oldest first`, async () => {
		const own = createSessionCache(runtime.events);
		const { token } = await signedIn();
		const looked = (await validateSessionToken(runtime.db, token, { days: DAYS }))!;
		const idOf = (index: number) => `session-${index}`;
		for (let index = 0; index <= MAX_HELD; index++) own.store(idOf(index), looked, own.mark());
		expect(own.size()).toBe(MAX_HELD);
		expect(own.get(idOf(0))).toBeUndefined();
		expect(own.get(idOf(1))?.user.id).toBe(looked.user.id);
		expect(own.get(idOf(MAX_HELD))?.user.id).toBe(looked.user.id);
		// Stored again, a copy counts as the newest.
		own.store(idOf(1), looked, own.mark());
		own.store(idOf(MAX_HELD + 1), looked, own.mark());
		expect(own.get(idOf(1))).toBeDefined();
		expect(own.get(idOf(2))).toBeUndefined();
	});

	it('holds a copy for HOLD_MS at most', async () => {
		let now = Date.now();
		const own = createSessionCache(runtime.events, () => now);
		const { token } = await signedIn();
		await validate(token, { cache: own });
		now += HOLD_MS - 1;
		expect((await validate(token, { cache: own }))?.balance).toBeNull();
		now += 1;
		expect((await validate(token, { cache: own }))?.balance).toBe(0);
	});
});
