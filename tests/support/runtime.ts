// A real MinisPod runtime for an integration test file: its own database cloned from the
// migrated template, real pg-boss, and callers acting as seeded users.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { parseConfig, type Env } from '../../src/lib/server/config';
import type { Runtime } from '../../src/lib/server/runtime';
import { bootMinisPod } from '../../src/boot';
import { createLogger } from '../../src/lib/server/log';
import { seedCatalog } from '../../src/lib/server/seed';
import { TEST_TRANSFER_ACCOUNTS } from './app-process';
import { users, type User } from '../../src/lib/server/db/schema';
import { hashPassword } from '../../src/lib/server/auth/passwords';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/sessions';
import { publicUser } from '../../src/lib/server/auth/service';
import { createCaller } from '../../src/lib/server/router';
import type { Context } from '../../src/lib/server/trpc/init';
import { applyBalanceChange } from '../../src/lib/server/wallet/ledger';
import { createTestDatabase } from './db';

export type TestRuntime = Runtime & { dataDir: string };

export async function startTestRuntime(
	options: { env?: Partial<Env>; catalog?: boolean; work?: boolean; logger?: Logger } = {}
): Promise<TestRuntime> {
	const database = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minispod-test-data-'));
	const config = parseConfig({
		NODE_ENV: 'test',
		DATABASE_URL: database.url,
		MINISPOD_DATA_DIR: dataDir,
		MINISPOD_DEMO: 'false',
		ORIGIN: 'http://127.0.0.1:3999',
		// The Kubernetes emulator stands in for a cluster; its pods become ready quickly.
		MINISPOD_EMULATOR_POD_READY_MS: '100',
		// A failing pod counts as failed after a second, not twenty.
		MINISPOD_POD_FAILURE_GRACE_SECONDS: '1',
		// Manual transfers are offered only with an account to pay into.
		MINISPOD_TRANSFER_ACCOUNTS: TEST_TRANSFER_ACCOUNTS,
		...options.env
	});
	const runtime = await bootMinisPod(config, {
		seed: false,
		work: options.work ?? false,
		logger: options.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: true })
	});
	// Pods, namespaces and certificates take a moment to go or come, as on a real cluster.
	runtime.emulator?.configure({
		podTerminationMs: 100,
		namespaceTerminationMs: 200,
		certificateIssueMs: 50,
		metricsIntervalMs: 50,
		snapshotReadyMs: 50
	});
	if (options.catalog ?? true) await seedCatalog(runtime.db);
	const close = runtime.close;
	return Object.assign(runtime, {
		dataDir,
		close: async () => {
			await close();
			await database.drop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
}

let userCounter = 0;

// Hashing a password with argon2 costs tens of milliseconds of CPU on purpose, and the
// tests create hundreds of users, nearly all with the same password: hash each once.
const passwordHashes = new Map<string, Promise<string>>();
const hashOnce = (password: string) => {
	if (!passwordHashes.has(password)) passwordHashes.set(password, hashPassword(password));
	return passwordHashes.get(password)!;
};

export async function createUser(
	runtime: Runtime,
	options: {
		role?: 'USER' | 'ADMINISTRATOR';
		name?: string;
		email?: string;
		password?: string;
		credit?: number;
		/** Whether the address is verified (a top-up needs it); verified unless false. */
		verified?: boolean;
	} = {}
): Promise<User> {
	userCounter += 1;
	const [user] = await runtime.db
		.insert(users)
		.values({
			name: options.name ?? `Test User ${userCounter}`,
			email: (options.email ?? `user${userCounter}-${randomBytes(3).toString('hex')}@example.com`).toLowerCase(),
			role: options.role ?? 'USER',
			passwordHash: await hashOnce(options.password ?? 'correct horse battery'),
			emailVerifiedAt: options.verified === false ? null : new Date()
		})
		.returning();
	if (options.credit) {
		await applyBalanceChange(runtime.db, {
			userId: user.id,
			type: 'ADMIN_ADJUSTMENT',
			amount: options.credit,
			idempotencyKey: `test-credit:${user.id}`,
			description: 'Test credit',
			at: new Date(),
			paymentMethod: 'ADMIN_MANUAL'
		});
	}
	return user;
}

export async function reloadUser(runtime: Runtime, id: string): Promise<User> {
	const [user] = await runtime.db.select().from(users).where(eq(users.id, id));
	return user;
}

/** A tRPC caller acting as `user` through a real session (or anonymously), from `ipAddress` if given. */
export async function callerFor(
	runtime: Runtime,
	user?: User | null,
	options: { signal?: AbortSignal; ipAddress?: string } = {}
) {
	let context: Context = { runtime, user: null, session: null, ipAddress: options.ipAddress };
	if (user) {
		const session = await createSession(runtime.db, generateSessionToken(), user.id, { days: 30 });
		context = {
			runtime,
			user: publicUser(user),
			session,
			ipAddress: options.ipAddress
		};
	}
	return createCaller(context, { signal: options.signal });
}

/** A customer with credit and a caller acting as them. */
export async function newCustomer(runtime: Runtime, credit = 1_000_000) {
	const user = await createUser(runtime, { credit });
	return { user, api: await callerFor(runtime, user) };
}
