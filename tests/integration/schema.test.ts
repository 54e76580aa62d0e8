// The invariants the database itself holds, whatever the application code does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { servicePlans, services, subscriptions, transactions, users } from '../../src/lib/server/db/schema';
import { createUser, startTestRuntime, type TestRuntime } from '../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime();
});
afterAll(() => runtime?.close());

const violation = (promise: Promise<unknown>) =>
	promise.then(
		() => 'accepted',
		(error: Error & { cause?: { code?: string; constraint?: string } }) =>
			error.cause?.constraint ?? error.cause?.code ?? error.message
	);

async function anyPlan() {
	const [plan] = await runtime.db
		.select()
		.from(servicePlans)
		.where(sql`${servicePlans.monthlyPrice} > 0`)
		.limit(1);
	return plan;
}

describe('database constraints', () => {
	it('keep every balance at or above zero', async () => {
		const user = await createUser(runtime);
		expect(await violation(runtime.db.update(users).set({ creditBalance: -1 }).where(eq(users.id, user.id)))).toBe(
			'users_credit_balance_non_negative'
		);
	});

	it('keep used quota between zero and the total', async () => {
		const plan = await anyPlan();
		expect(
			await violation(
				runtime.db
					.update(servicePlans)
					.set({ usedQuota: plan.totalQuota + 1 })
					.where(eq(servicePlans.id, plan.id))
			)
		).toBe('service_plans_quota_bounds');
		expect(await violation(runtime.db.update(servicePlans).set({ usedQuota: -1 }).where(eq(servicePlans.id, plan.id)))).toBe(
			'service_plans_quota_bounds'
		);
	});

	it('allow one live subscription per user and service, but not count ended ones', async () => {
		const user = await createUser(runtime);
		const plan = await anyPlan();
		const base = {
			userId: user.id,
			serviceId: plan.serviceId,
			planId: plan.id,
			monthlyPrice: plan.monthlyPrice,
			endDate: new Date(Date.now() + 30 * 86_400_000)
		};
		const [first] = await runtime.db.insert(subscriptions).values(base).returning();
		expect(await violation(runtime.db.insert(subscriptions).values(base))).toBe('subscriptions_one_live_per_service');
		await runtime.db.update(subscriptions).set({ status: 'CANCELLED' }).where(eq(subscriptions.id, first.id));
		expect(await violation(runtime.db.insert(subscriptions).values(base))).toBe('accepted');
	});

	it('make idempotency keys unique', async () => {
		const user = await createUser(runtime);
		const row = { userId: user.id, type: 'TOP_UP' as const, amount: 10_000, description: 'x', idempotencyKey: 'same-key' };
		expect(await violation(runtime.db.insert(transactions).values(row))).toBe('accepted');
		expect(await violation(runtime.db.insert(transactions).values(row))).toBe('transactions_idempotency_key_unique');
	});

	it('require a completed transaction to carry consistent balances', async () => {
		const user = await createUser(runtime);
		const row = { userId: user.id, type: 'TOP_UP' as const, amount: 10_000, description: 'x', status: 'COMPLETED' as const };
		expect(await violation(runtime.db.insert(transactions).values({ ...row, idempotencyKey: 'c1' }))).toBe(
			'transactions_completed_has_balances'
		);
		expect(
			await violation(
				runtime.db.insert(transactions).values({ ...row, idempotencyKey: 'c2', balanceBefore: 0, balanceAfter: 5_000 })
			)
		).toBe('transactions_completed_has_balances');
	});

	it('store money as 64-bit integers', async () => {
		const result = await runtime.db.execute(
			sql`SELECT data_type FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'credit_balance'`
		);
		expect(result.rows[0]).toEqual({ data_type: 'bigint' });
		const [service] = await runtime.db.select().from(services).limit(1);
		expect(typeof service.defaultPort).toBe('number');
	});

	it("require a subscription's service to be its plan's service", async () => {
		const user = await createUser(runtime);
		const plan = await anyPlan();
		const [otherService] = await runtime.db
			.select()
			.from(services)
			.where(sql`${services.id} <> ${plan.serviceId}`)
			.limit(1);
		const row = { userId: user.id, planId: plan.id, monthlyPrice: plan.monthlyPrice, endDate: new Date(Date.now() + 86_400_000) };
		expect(await violation(runtime.db.insert(subscriptions).values({ ...row, serviceId: otherService.id }))).toBe(
			'subscriptions_service_plan_fk'
		);
		expect(await violation(runtime.db.insert(subscriptions).values({ ...row, serviceId: plan.serviceId }))).toBe('accepted');
	});

	it('keep the ledger when someone tries to delete an account that has one', async () => {
		const user = await createUser(runtime, { credit: 50_000 });
		expect(await violation(runtime.db.delete(users).where(eq(users.id, user.id)))).toBe('transactions_user_id_users_id_fk');
		expect(await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id))).toHaveLength(1);
	});
});
