import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { sessions, transactions, users } from '../../src/lib/server/db/schema';
import { checkHealth } from '../../src/lib/server/runtime';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/sessions';
import { seedCatalog, seedDemoAccounts, DEMO_CUSTOMER_EMAIL, DEMO_WELCOME_CREDIT } from '../../src/lib/server/seed';
import { sessionCleanup } from '../../jobs/session-cleanup';
import { enqueue } from '../../src/lib/server/queue';
import { createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { waitForJob } from '../support/waits';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ work: true });
});
afterAll(() => runtime?.close());

describe('runtime', () => {
	it('reports database and queue health', async () => {
		const health = await checkHealth(runtime);
		expect(health.ok).toBe(true);
		expect(health.database.ok).toBe(true);
		expect(health.queue).toMatchObject({ ok: true });
	});

	it('uses DATABASE_URL when set and starts no embedded PostgreSQL', () => {
		expect(runtime.config.databaseUrl).toBeTruthy();
		expect(runtime.standIns.database).toBe(false);
	});

	it('seeds the catalog once and demo accounts once', async () => {
		expect(await seedCatalog(runtime.db)).toEqual({ categories: 0, services: 0, plans: 0 });
		const first = await seedDemoAccounts(runtime.db, runtime.clock.now());
		expect(first.map((a) => a.role).sort()).toEqual(['ADMINISTRATOR', 'USER']);
		expect(await seedDemoAccounts(runtime.db, runtime.clock.now())).toEqual([]);
		const [demo] = await runtime.db.select().from(users).where(eq(users.email, DEMO_CUSTOMER_EMAIL));
		expect(demo.creditBalance).toBe(DEMO_WELCOME_CREDIT);
		const [welcome] = await runtime.db.select().from(transactions).where(eq(transactions.userId, demo.id));
		expect(welcome).toMatchObject({
			adminNotes: 'Welcome credit for the demo account',
			metadata: { reason: 'Welcome credit for the demo account' }
		});
	});

	it('cleans up expired sessions through the pg-boss queue', async () => {
		const user = await createUser(runtime);
		const live = await createSession(runtime.db, generateSessionToken(), user.id, { days: 30 });
		const expired = await createSession(runtime.db, generateSessionToken(), user.id, { days: 30 });
		await runtime.db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 60_000) })
			.where(eq(sessions.id, expired.id));

		const jobId = await enqueue(runtime.boss, 'session-cleanup', {});
		expect(jobId).toBeTruthy();
		const job = await waitForJob(runtime, 'session-cleanup', { id: jobId! });
		expect(job.state).toBe('completed');
		expect(job.output).toMatchObject({ removed: 1 });
		const remaining = await runtime.db.select({ value: count() }).from(sessions).where(eq(sessions.userId, user.id));
		expect(remaining[0].value).toBe(1);
		expect((await runtime.db.select().from(sessions).where(eq(sessions.id, live.id))).length).toBe(1);
	});

	it('schedules the session cleanup', async () => {
		const schedules = await runtime.boss.getSchedules();
		expect(schedules.map((s) => s.name)).toContain(sessionCleanup.name);
	});
});
