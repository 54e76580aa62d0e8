// applyBalanceChange, the one function that moves money: the balance, the ledger row and the
// lifetime totals change together, at most once per key, never below zero.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { transactions } from '../../src/lib/server/db/schema';
import { applyBalanceChange, lifetimeDeltas } from '../../src/lib/server/wallet/ledger';
import { createUser, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectMoneyInvariants } from '../support/invariants';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

describe('applyBalanceChange', () => {
	it('keeps the lifetime totals with the ledger: top-ups add, charges spend, refunds take spend back', async () => {
		const user = await createUser(runtime);
		const change = (type: 'TOP_UP' | 'SUBSCRIPTION' | 'UPGRADE' | 'REFUND' | 'ADMIN_ADJUSTMENT', amount: number, key: string) =>
			applyBalanceChange(runtime.db, {
				userId: user.id,
				type,
				amount,
				idempotencyKey: `${user.id}:${key}`,
				description: key,
				at: new Date()
			});
		await change('TOP_UP', 300_000, 'a');
		await change('SUBSCRIPTION', -100_000, 'b');
		await change('UPGRADE', -20_000, 'c');
		await change('REFUND', 20_000, 'd');
		await change('ADMIN_ADJUSTMENT', 5_000, 'e');
		expect(await reloadUser(runtime, user.id)).toMatchObject({
			creditBalance: 205_000,
			totalTopUp: 300_000,
			totalSpent: 100_000
		});
		expect(lifetimeDeltas('ADMIN_ADJUSTMENT', -5_000)).toEqual({ topUp: 0, spent: 0 });
	});

	it('writes balance before and after on the row, and replays a key as a no-op', async () => {
		const user = await createUser(runtime, { credit: 50_000 });
		const change = {
			userId: user.id,
			type: 'SUBSCRIPTION' as const,
			amount: -30_000,
			idempotencyKey: `${user.id}:once`,
			description: 'Plan',
			at: new Date()
		};
		const first = await applyBalanceChange(runtime.db, change);
		const again = await applyBalanceChange(runtime.db, change);
		expect(first).toMatchObject({
			applied: true,
			transaction: { status: 'COMPLETED', balanceBefore: 50_000, balanceAfter: 20_000 }
		});
		expect(again).toMatchObject({ applied: false, transaction: { id: first.transaction.id } });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(20_000);
	});

	it('refuses to go below zero with the shortfall, leaving no row behind', async () => {
		const user = await createUser(runtime, { credit: 10_000 });
		await expect(
			applyBalanceChange(runtime.db, {
				userId: user.id,
				type: 'SUBSCRIPTION',
				amount: -25_000,
				idempotencyKey: `${user.id}:big`,
				description: 'Plan',
				at: new Date()
			})
		).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDIT', details: { shortfall: 15_000, balance: 10_000, required: 25_000 } });
		const rows = await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id));
		expect(rows).toHaveLength(1);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(10_000);
	});

	it('refuses fractions of a rupiah', async () => {
		const user = await createUser(runtime);
		await expect(
			applyBalanceChange(runtime.db, {
				userId: user.id,
				type: 'TOP_UP',
				amount: 10_000.5,
				idempotencyKey: `${user.id}:f`,
				description: 'x',
				at: new Date()
			})
		).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('completes a pending row only for its owner, type and amount, and only once', async () => {
		const user = await createUser(runtime);
		const other = await createUser(runtime);
		const [pending] = await runtime.db
			.insert(transactions)
			.values({
				userId: user.id,
				type: 'TOP_UP',
				status: 'PENDING',
				amount: 40_000,
				description: 'Top-up',
				idempotencyKey: `${user.id}:p`
			})
			.returning();
		const complete = (overrides: { userId?: string; amount?: number } = {}) =>
			applyBalanceChange(runtime.db, {
				userId: overrides.userId ?? user.id,
				type: 'TOP_UP',
				amount: overrides.amount ?? 40_000,
				idempotencyKey: `${user.id}:p`,
				description: 'Top-up',
				at: new Date(),
				pendingTransactionId: pending.id,
				paymentReference: 'gateway-ref'
			});
		await expect(complete({ userId: other.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(complete({ amount: 41_000 })).rejects.toMatchObject({ code: 'CONFLICT' });
		const results = await Promise.all([complete(), complete(), complete()]);
		expect(results.filter((result) => result.applied)).toHaveLength(1);
		expect(results[0].transaction).toMatchObject({ id: pending.id, status: 'COMPLETED', paymentReference: 'gateway-ref' });
		expect(await reloadUser(runtime, user.id)).toMatchObject({ creditBalance: 40_000, totalTopUp: 40_000 });
		expect((await reloadUser(runtime, other.id)).creditBalance).toBe(0);
	});
});

describe('applyBalanceChange with a batch', () => {
	const charge = (userId: string, amount: number, key: string) => ({
		userId,
		type: 'SUBSCRIPTION' as const,
		amount,
		idempotencyKey: `${userId}:batch:${key}`,
		description: key,
		at: new Date()
	});

	it('applies every change in order, each row one link of its customer chain', async () => {
		const [a, b] = [await createUser(runtime, { credit: 100_000 }), await createUser(runtime, { credit: 50_000 })];
		const results = await applyBalanceChange(runtime.db, [
			charge(a.id, -30_000, '1'),
			charge(b.id, -50_000, '1'),
			charge(a.id, -20_000, '2')
		]);
		expect(results.map((r) => [r.applied, r.transaction.balanceBefore, r.transaction.balanceAfter])).toEqual([
			[true, 100_000, 70_000],
			[true, 50_000, 0],
			[true, 70_000, 50_000]
		]);
		expect(await reloadUser(runtime, a.id)).toMatchObject({ creditBalance: 50_000, totalSpent: 50_000 });
		expect((await reloadUser(runtime, b.id)).creditBalance).toBe(0);

		// The same batch again changes nothing; a new key beside the replayed ones is applied.
		const again = await applyBalanceChange(runtime.db, [charge(a.id, -30_000, '1'), charge(a.id, -10_000, '3')]);
		expect(again.map((r) => r.applied)).toEqual([false, true]);
		expect(again[0].transaction.id).toBe(results[0].transaction.id);
		expect(again[1].transaction).toMatchObject({ balanceBefore: 50_000, balanceAfter: 40_000 });
	});

	it('refuses the whole batch when one change would go below zero, leaving no row behind', async () => {
		const user = await createUser(runtime, { credit: 40_000 });
		await expect(
			applyBalanceChange(runtime.db, [charge(user.id, -30_000, 'x'), charge(user.id, -20_000, 'y')])
		).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDIT', details: { shortfall: 10_000 } });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(40_000);
		const rows = await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id));
		expect(rows).toHaveLength(1);
	});

	it('refuses a debit that dips below zero within a batch even when the batch ends above it', async () => {
		const user = await createUser(runtime, { credit: 10_000 });
		await expect(
			applyBalanceChange(runtime.db, [charge(user.id, -15_000, 'dip'), charge(user.id, 20_000, 'back')])
		).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDIT', details: { shortfall: 5_000, balance: 10_000 } });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(10_000);
	});

	it('applies a key sent twice at once exactly once: the second sees the first as a replay', async () => {
		const user = await createUser(runtime, { credit: 10_000 });
		const results = await Promise.all([0, 1, 2].map(() => applyBalanceChange(runtime.db, charge(user.id, -4_000, 'twice'))));
		expect(results.filter((result) => result.applied)).toHaveLength(1);
		expect(new Set(results.map((result) => result.transaction.id)).size).toBe(1);
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(6_000);
	});

	it('refuses a credit past its cap with the balance found, and moves nothing', async () => {
		const user = await createUser(runtime, { credit: 90_000 });
		await expect(
			applyBalanceChange(runtime.db, { ...charge(user.id, 20_000, 'capped'), type: 'ADMIN_ADJUSTMENT', maxBalance: 100_000 })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { maxBalance: 100_000, balance: 90_000 } });
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(90_000);
		const applied = await applyBalanceChange(runtime.db, {
			...charge(user.id, 10_000, 'to-cap'),
			type: 'ADMIN_ADJUSTMENT',
			maxBalance: 100_000
		});
		expect(applied).toMatchObject({ applied: true, transaction: { balanceBefore: 90_000, balanceAfter: 100_000 } });
	});

	it('rejects a batch that repeats a key or completes a pending row', async () => {
		const user = await createUser(runtime, { credit: 40_000 });
		await expect(applyBalanceChange(runtime.db, [charge(user.id, -1, 'k'), charge(user.id, -1, 'k')])).rejects.toThrow(/repeats/);
		await expect(applyBalanceChange(runtime.db, [{ ...charge(user.id, 1, 'p'), pendingTransactionId: user.id }])).rejects.toThrow(
			/on its own/
		);
		expect(await applyBalanceChange(runtime.db, [])).toEqual([]);
	});
});
