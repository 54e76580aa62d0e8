// Money writes in few round trips (issue 16): what a credit causes (the renewal retry, the
// audit row, the notification, its mail and the mail's job) is written in one statement
// beside the ledger's, jobs written inside such a statement are the jobs pg-boss itself
// writes, and the renewal retry is sent only when there is a renewal to retry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { subscriptions, type User } from '../../src/lib/server/db/schema';
import { seedCatalog } from '../../src/lib/server/seed';
import { enqueueIn, insertJobsSql, jobPart, type QueueName } from '../../src/lib/server/queue';
import { executeShaped, inOneStatement, partTemplate } from '../../src/lib/server/db/statement';
import { adjustBalance } from '../../src/lib/server/wallet/admin';
import { applyBalanceChange } from '../../src/lib/server/wallet/ledger';
import { balanceOf } from '../../src/lib/server/subscriptions/queries';
import { createUser, newCustomer } from '../support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectInvariants } from '../support/invariants';
import { DAY_MS, planOf, queuedJobs } from '../support/fixtures';

let runtime: WalletTestRuntime;
let admin: User;
beforeAll(async () => {
	runtime = await startWalletRuntime();
	await seedCatalog(runtime.db);
	admin = await createUser(runtime, { role: 'ADMINISTRATOR', email: `ops-${randomUUID().slice(0, 6)}@minispod.test` });
});
afterAll(() => runtime?.close());
afterEach(async () => {
	await expectInvariants(runtime.db);
});

/** The statements each database connection sent while `work` ran, in order, one list per connection. */
async function statementsDuring(work: () => Promise<unknown>): Promise<string[][]> {
	const byClient = new Map<object, string[]>();
	type Query = (this: object, config: unknown, ...rest: unknown[]) => unknown;
	const prototype = pg.Client.prototype as unknown as { query: Query };
	const original = prototype.query;
	prototype.query = function (this: object, config: unknown, ...rest: unknown[]) {
		const text = typeof config === 'string' ? config : (config as { text: string }).text;
		byClient.set(this, [...(byClient.get(this) ?? []), text]);
		return original.call(this, config, ...rest);
	};
	try {
		await work();
	} finally {
		prototype.query = original;
	}
	return [...byClient.values()];
}

/** The statements of the one transaction `work` ran, BEGIN to COMMIT. */
async function transactionOf(work: () => Promise<unknown>) {
	const transactions = (await statementsDuring(work)).flatMap((statements) => {
		const begin = statements.findIndex((text) => text.toLowerCase() === 'begin');
		if (begin < 0) return [];
		const end = statements.findIndex((text, index) => index > begin && /^(commit|rollback)$/i.test(text));
		return [statements.slice(begin, end + 1)];
	});
	expect(transactions).toHaveLength(1);
	expect(transactions[0].at(-1)!.toLowerCase()).toBe('commit');
	return transactions[0];
}

const jobColumns = sql`name, data, priority, state, retry_limit, retry_delay, retry_backoff, expire_in::text AS expire_in,
	singleton_key, singleton_on, dead_letter, policy, (keep_until - start_after)::text AS kept_for,
	abs(extract(epoch FROM start_after - now())) < 60 AS starts_now`;

async function jobRow(name: QueueName, id: string) {
	const { rows } = await runtime.db.execute(sql`SELECT ${jobColumns} FROM pgboss.job WHERE name = ${name} AND id = ${id}`);
	return rows[0];
}

describe('jobs written inside a statement', () => {
	it.each(['renewal-retry', 'mail-send'] as const)('are the %s jobs pg-boss send writes', async (name) => {
		const data = name === 'mail-send' ? { mailId: randomUUID() } : { userId: randomUUID() };
		const ids = await runtime.db.transaction(async (tx) => {
			const sent = await enqueueIn(tx, name, data as never);
			const rows = await inOneStatement(tx, [
				{ name: 'jobs', sql: insertJobsSql(name, sql`SELECT ${JSON.stringify(data)}::jsonb, NULL::text`) }
			]);
			return [sent!, rows.jobs[0].id as string];
		});
		const [bySend, byStatement] = await Promise.all(ids.map((id) => jobRow(name, id)));
		expect(bySend).toMatchObject({ name, data, state: 'created', starts_now: true });
		expect(byStatement).toEqual(bySend);
	});

	it('are the provisioning jobs pg-boss send writes with a singleton key', async () => {
		const [first, second] = [randomUUID(), randomUUID()];
		const ids = await runtime.db.transaction(async (tx) => {
			const sent = await enqueueIn(tx, 'provision-instance', { instanceId: first }, { singletonKey: first });
			const rows = await inOneStatement(tx, [jobPart('provision-instance', { instanceId: second }, { singletonKey: second })]);
			return [sent!, rows.job_provision_instance[0].id as string];
		});
		const [bySend, byStatement] = await Promise.all(ids.map((id) => jobRow('provision-instance', id)));
		expect(bySend).toMatchObject({ singleton_key: first, data: { instanceId: first } });
		expect(byStatement).toEqual({ ...bySend, singleton_key: second, data: { instanceId: second } });
	});
});

describe('statements built from templates', () => {
	// Drizzle's rendering was most of a money write's CPU outside the database (issue 16).
	const echo = partTemplate(
		'echo',
		['word', 'count'],
		(value) => sql`SELECT ${value('word')}::text AS word, ${value('count')}::int AS count`
	);

	it("are rendered once per shape and filled with each call's values", async () => {
		let built = 0;
		const run = (word: string) =>
			executeShaped<{ word: string }>(runtime.db, {
				name: 'test-echo',
				build: () => {
					built++;
					return sql`SELECT ${sql.placeholder('echo.word')}::text AS word`;
				},
				values: { 'echo.word': word }
			});
		const texts = await statementsDuring(async () => {
			expect((await run('satu')).rows).toEqual([{ word: 'satu' }]);
			expect((await run('dua')).rows).toEqual([{ word: 'dua' }]);
		});
		expect(built).toBe(1);
		expect(new Set(texts.flat()).size).toBe(1);
	});

	it('mix with parts built per call in one statement, each written with its own values', async () => {
		const jobUser = randomUUID();
		const rows = await runtime.db.transaction((tx) =>
			inOneStatement(tx, [
				{
					name: 'renewal_jobs',
					sql: insertJobsSql('renewal-retry', sql`SELECT ${JSON.stringify({ userId: jobUser })}::jsonb, NULL::text`)
				},
				echo({ word: 'tiga', count: 3 })
			])
		);
		expect(rows.echo).toEqual([{ word: 'tiga', count: 3 }]);
		expect(await jobRow('renewal-retry', rows.renewal_jobs[0].id as string)).toMatchObject({ data: { userId: jobUser } });
	});

	it('make an administrator credit the same statement text whatever its values', async () => {
		const [{ user: first }, { user: second }] = await Promise.all([newCustomer(runtime, 0), newCustomer(runtime, 0)]);
		const texts = await statementsDuring(async () => {
			await adjust(first.id, 'credit', 5_000, 'Goodwill');
			await adjust(second.id, 'credit', 7_000, 'Apology for the outage');
		});
		expect(texts.flat()).toHaveLength(2);
		expect(texts.flat()[0]).toBe(texts.flat()[1]);
		expect(await balanceOf(runtime.db, first.id)).toBe(5_000);
		expect(await balanceOf(runtime.db, second.id)).toBe(7_000);
		const { rows } = await runtime.db.execute<{ entity_id: string; details: { amount: number; reason: string } }>(
			sql`SELECT entity_id, details FROM audit_log WHERE entity_id IN (${first.id}, ${second.id}) ORDER BY created_at`
		);
		expect(rows.map((row) => [row.entity_id, row.details.amount, row.details.reason]).sort()).toEqual(
			[
				[first.id, 5_000, 'Goodwill'],
				[second.id, 7_000, 'Apology for the outage']
			].sort()
		);
	});

	const adjust = (userId: string, direction: 'credit' | 'debit', amount: number, reason: string) =>
		adjustBalance(runtime, { adminId: admin.id, ipAddress: '203.0.113.9' }, { userId, direction, amount, reason });
});

describe('an administrator credit', () => {
	const adjust = (userId: string, direction: 'credit' | 'debit', amount: number, requestId?: string) =>
		adjustBalance(runtime, { adminId: admin.id }, { userId, direction, amount, reason: 'Goodwill', requestId });
	/** What an adjustment of the customer wrote beside the ledger: audit rows, notices, mails and their jobs. */
	async function sideWrites(userId: string) {
		const count = async (query: ReturnType<typeof sql>) => Number((await runtime.db.execute<{ n: string }>(query)).rows[0].n);
		const mails = sql`SELECT id::text FROM mail_outbox WHERE user_id = ${userId}`;
		return {
			audits: await count(sql`SELECT count(*) AS n FROM audit_log WHERE entity_id = ${userId}`),
			notices: await count(sql`SELECT count(*) AS n FROM notifications WHERE user_id = ${userId}`),
			mails: await count(sql`SELECT count(*) AS n FROM (${mails}) m`),
			mailJobs: await count(sql`SELECT count(*) AS n FROM pgboss.job WHERE name = 'mail-send' AND data->>'mailId' IN (${mails})`)
		};
	}

	it('is one statement without a transaction of its own when nothing stands in its way', async () => {
		const { user } = await newCustomer(runtime, 0);
		const statements = (await statementsDuring(() => adjust(user.id, 'credit', 5_000))).flat();
		expect(statements).toHaveLength(1);
		expect(statements[0]).toMatch(/^WITH ledger_moved AS/);
		// The audit row, the notice, its mail and the mail's job came with it.
		expect(await sideWrites(user.id)).toEqual({ audits: 1, notices: 1, mails: 1, mailJobs: 1 });
		expect(await balanceOf(runtime.db, user.id)).toBe(5_000);
	});

	it('refuses its own statement for a replayed form, which the locked path then finds, writing nothing more', async () => {
		const { user } = await newCustomer(runtime, 0);
		const requestId = randomUUID();
		const first = await adjust(user.id, 'credit', 5_000, requestId);
		const statements = (await statementsDuring(() => adjust(user.id, 'credit', 5_000, requestId))).flat();
		expect(statements[0]).toMatch(/^WITH ledger_moved AS/);
		expect(statements[1].toLowerCase()).toBe('begin');
		expect(statements.at(-1)!.toLowerCase()).toBe('commit');
		expect(await sideWrites(user.id)).toEqual({ audits: 1, notices: 1, mails: 1, mailJobs: 1 });
		expect(await balanceOf(runtime.db, user.id)).toBe(5_000);
		const replays = await Promise.all(Array.from({ length: 6 }, () => adjust(user.id, 'credit', 5_000, requestId)));
		expect(replays.map((replay) => [replay.id, replay.replayed])).toEqual(replays.map(() => [first.id, true]));
		expect(await sideWrites(user.id)).toEqual({ audits: 1, notices: 1, mails: 1, mailJobs: 1 });
	});

	it('applies one of many concurrent submissions of the same form, whichever statement gets there first', async () => {
		const { user } = await newCustomer(runtime, 0);
		const requestId = randomUUID();
		const results = await Promise.all(Array.from({ length: 8 }, () => adjust(user.id, 'credit', 7_000, requestId)));
		expect(results.filter((result) => !result.replayed)).toHaveLength(1);
		expect(new Set(results.map((result) => result.id)).size).toBe(1);
		expect(await balanceOf(runtime.db, user.id)).toBe(7_000);
		expect(await sideWrites(user.id)).toEqual({ audits: 1, notices: 1, mails: 1, mailJobs: 1 });
	});

	it('leaves nothing of a refused debit: the statement is undone whole', async () => {
		const { user } = await newCustomer(runtime, 10_000);
		await expect(adjust(user.id, 'debit', 10_001)).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDIT' });
		expect(await sideWrites(user.id)).toEqual({ audits: 0, notices: 0, mails: 0, mailJobs: 0 });
		expect(await balanceOf(runtime.db, user.id)).toBe(10_000);
		// Mixed concurrent credits and debits on one customer: every one that the balance
		// covers at its turn goes through, and the books add up (afterEach checks the invariants).
		const moves = await Promise.allSettled(
			Array.from({ length: 12 }, (_, index) => adjust(user.id, index % 3 === 0 ? 'credit' : 'debit', 4_000))
		);
		const applied = moves.flatMap((move) => (move.status === 'fulfilled' ? [move.value.amount] : []));
		expect(await balanceOf(runtime.db, user.id)).toBe(10_000 + applied.reduce((sum, amount) => sum + amount, 0));
		for (const move of moves) if (move.status === 'rejected') expect(move.reason).toMatchObject({ code: 'INSUFFICIENT_CREDIT' });
		expect((await sideWrites(user.id)).audits).toBe(applied.length);
	});

	it('refuses a part named like a ledger column, before writing anything', async () => {
		const { user } = await newCustomer(runtime, 0);
		const change = {
			userId: user.id,
			type: 'ADMIN_ADJUSTMENT' as const,
			amount: 1_000,
			idempotencyKey: `test:${randomUUID()}`,
			description: 'Test',
			at: runtime.clock.now()
		};
		await expect(applyBalanceChange(runtime.db, change, () => [{ name: 'amount', sql: sql`SELECT 1 AS one` }])).rejects.toThrow(
			/named like a ledger column/
		);
		expect(await balanceOf(runtime.db, user.id)).toBe(0);
	});

	it('sends the renewal retry only to a customer with a renewal due', async () => {
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		const { user, api } = await newCustomer(runtime, plan.monthlyPrice);
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });
		const retries = async () =>
			(await queuedJobs<{ userId: string }>(runtime.db, 'renewal-retry')).filter((job) => job.data.userId === user.id);
		const credit = () =>
			adjustBalance(runtime, { adminId: admin.id }, { userId: user.id, direction: 'credit', amount: 1_000, reason: 'Goodwill' });

		// The period runs for a month yet: nothing to retry.
		await credit();
		expect(await retries()).toHaveLength(0);

		// The period ended and the renewal could not be paid: the credit sends the retry.
		await runtime.db
			.update(subscriptions)
			.set({ status: 'PAST_DUE', endDate: new Date(runtime.clock.now().getTime() - DAY_MS) })
			.where(eq(subscriptions.id, subscriptionId));
		await credit();
		expect(await retries()).toHaveLength(1);

		// A debit never sends one.
		await adjustBalance(runtime, { adminId: admin.id }, { userId: user.id, direction: 'debit', amount: 1_000, reason: 'Fix' });
		expect(await retries()).toHaveLength(1);
	});
});

describe('a subscription', () => {
	it('is seven round trips: BEGIN, the slot, the subscription, the charge, the instance, what it causes, COMMIT', async () => {
		const plan = await planOf(runtime.db, 'ghost', 'BASIC');
		const { api } = await newCustomer(runtime, plan.monthlyPrice);
		const statements = await transactionOf(() => api.subscriptions.subscribe({ planId: plan.id }));
		expect(statements).toHaveLength(7);
	});
});

describe('a settled top-up', () => {
	it('is credited in six round trips: BEGIN, the top-up locked, the balance and the row, what the credit causes, COMMIT', async () => {
		const { user, api } = await newCustomer(runtime, 0);
		const { orderId } = await api.wallet.topUp({ amount: 100_000, method: 'BANK_TRANSFER', bank: 'bca' });
		await runtime.simulator.choose(orderId, 'bca_va', { notify: false });
		await runtime.simulator.settle(orderId, { notify: false });
		const statements = await transactionOf(() => runtime.simulator.notify(orderId, { copies: 1 }));
		expect(statements).toHaveLength(6);
		expect(await balanceOf(runtime.db, user.id)).toBe(100_000);
	});
});
