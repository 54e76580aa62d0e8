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
import { inOneStatement } from '../../src/lib/server/db/statement';
import { adjustBalance } from '../../src/lib/server/wallet/admin';
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

describe('an administrator credit', () => {
	it('is four round trips: BEGIN, the ledger, everything the credit causes, COMMIT', async () => {
		const { user } = await newCustomer(runtime, 0);
		const statements = await transactionOf(() =>
			adjustBalance(runtime, { adminId: admin.id }, { userId: user.id, direction: 'credit', amount: 5_000, reason: 'Goodwill' })
		);
		expect(statements).toHaveLength(4);
		// The mail of the notice and its job came with it.
		const mails = await runtime.db.execute<{ id: string }>(sql`SELECT id FROM mail_outbox WHERE user_id = ${user.id}`);
		const jobs = await queuedJobs<{ mailId: string }>(runtime.db, 'mail-send');
		expect(mails.rows).toHaveLength(1);
		expect(jobs.filter((job) => job.data.mailId === mails.rows[0].id)).toHaveLength(1);
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
