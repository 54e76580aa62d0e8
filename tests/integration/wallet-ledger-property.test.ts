// A randomized property test of the ledger: mixed credits, debits, refunds, adjustments,
// pending top-ups completed by concurrent duplicates, and replayed idempotency keys, run
// in concurrent batches. Whatever happens, every key moves money at most once, balances
// match what was applied, and the money invariants hold. Seeds are fixed so a failure
// reproduces; set LEDGER_SEEDS=1,2,3 to explore others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { transactions, users, type User } from '../../src/lib/server/db/schema';
import { applyBalanceChange, type BalanceChange } from '../../src/lib/server/wallet/ledger';
import { AppError } from '../../src/lib/server/errors';
import { createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { moneyInvariantViolations } from '../support/invariants';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]
	};
}

type Attempt = { key: string; userId: string; amount: number; run: () => Promise<{ applied: boolean }> };

const seeds = (process.env.LEDGER_SEEDS ?? '20250301,7,424242').split(',').map(Number);

describe.each(seeds)('the ledger under random concurrent operations (seed %i)', (seed) => {
	it('applies every key at most once and keeps every invariant', async () => {
		const rng = random(seed);
		const accounts: User[] = [];
		for (let i = 0; i < 5; i++) accounts.push(await createUser(runtime));
		const history: { key: string; change: BalanceChange }[] = [];
		const applied = new Map<string, number>();
		const refused = { insufficient: 0 };
		let counter = 0;

		const direct = (change: BalanceChange): Attempt => ({
			key: change.idempotencyKey,
			userId: change.userId,
			amount: change.amount,
			run: () => applyBalanceChange(runtime.db, change)
		});

		async function nextAttempts(): Promise<Attempt[]> {
			const user = rng.pick(accounts);
			const key = `prop:${seed}:${(counter += 1)}`;
			const roll = rng.next();
			if (roll < 0.2) {
				const change: BalanceChange = {
					userId: user.id,
					type: 'TOP_UP',
					amount: rng.int(10, 500) * 1_000,
					idempotencyKey: key,
					description: 'Top-up',
					at: new Date()
				};
				history.push({ key, change });
				return [direct(change)];
			}
			if (roll < 0.35) {
				// A pending top-up completed by 1–6 concurrent copies of the same notification.
				const amount = rng.int(10, 300) * 1_000;
				const [pending] = await runtime.db
					.insert(transactions)
					.values({
						userId: user.id,
						type: 'TOP_UP',
						status: 'PENDING',
						amount,
						description: 'Pending top-up',
						idempotencyKey: key
					})
					.returning();
				const change: BalanceChange = {
					userId: user.id,
					type: 'TOP_UP',
					amount,
					idempotencyKey: key,
					description: 'Top-up',
					at: new Date(),
					pendingTransactionId: pending.id
				};
				return Array.from({ length: rng.int(1, 6) }, () => direct(change));
			}
			if (roll < 0.65) {
				const type = rng.pick(['SUBSCRIPTION', 'UPGRADE'] as const);
				const change: BalanceChange = {
					userId: user.id,
					type,
					amount: -rng.int(1, 400) * 1_000,
					idempotencyKey: key,
					description: type,
					at: new Date()
				};
				history.push({ key, change });
				return [direct(change)];
			}
			if (roll < 0.75) {
				const change: BalanceChange = {
					userId: user.id,
					type: 'REFUND',
					amount: rng.int(1, 100) * 1_000,
					idempotencyKey: key,
					description: 'Refund',
					at: new Date()
				};
				history.push({ key, change });
				return [direct(change)];
			}
			if (roll < 0.85) {
				const amount = rng.int(1, 200) * 1_000 * (rng.next() < 0.5 ? -1 : 1);
				const change: BalanceChange = {
					userId: user.id,
					type: 'ADMIN_ADJUSTMENT',
					amount,
					idempotencyKey: key,
					description: 'Adjustment',
					at: new Date()
				};
				history.push({ key, change });
				return [direct(change)];
			}
			// A replay of an earlier change, sometimes several at once.
			if (history.length === 0) return [];
			const earlier = rng.pick(history);
			return Array.from({ length: rng.int(1, 4) }, () => direct(earlier.change));
		}

		for (let batch = 0; batch < 40; batch++) {
			const attempts: Attempt[] = [];
			for (let i = rng.int(1, 8); i > 0; i--) attempts.push(...(await nextAttempts()));
			const results = await Promise.allSettled(attempts.map((attempt) => attempt.run()));
			results.forEach((result, index) => {
				const attempt = attempts[index];
				if (result.status === 'fulfilled') {
					if (result.value.applied) applied.set(attempt.key, (applied.get(attempt.key) ?? 0) + 1);
				} else if (result.reason instanceof AppError && result.reason.code === 'INSUFFICIENT_CREDIT') {
					refused.insufficient += 1;
				} else {
					throw result.reason;
				}
			});
			if (batch % 10 === 9) expect(await moneyInvariantViolations(runtime.db), `seed ${seed}, batch ${batch}`).toEqual([]);
		}

		// Every key moved money at most once, and the balances are exactly what was applied.
		expect(
			[...applied.values()].every((times) => times === 1),
			`seed ${seed}`
		).toBe(true);
		for (const account of accounts) {
			const rows = await runtime.db.select().from(transactions).where(eq(transactions.userId, account.id));
			const expected = rows.filter((row) => applied.has(row.idempotencyKey)).reduce((sum, row) => sum + row.amount, 0);
			const [current] = await runtime.db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, account.id));
			expect(current.balance, `seed ${seed}`).toBe(expected);
			expect(current.balance).toBeGreaterThanOrEqual(0);
		}
		expect(await moneyInvariantViolations(runtime.db), `seed ${seed}`).toEqual([]);
		// The run exercised the interesting paths, not just the happy one.
		expect(refused.insufficient).toBeGreaterThan(0);
		expect(applied.size).toBeGreaterThan(20);
	});
});

describe('the invariant check itself', () => {
	it('notices a balance that drifted from its ledger, and a credit without a chain', async () => {
		const user = await createUser(runtime, { credit: 50_000 });
		await runtime.db.update(users).set({ creditBalance: 50_001 }).where(eq(users.id, user.id));
		const problems = await moneyInvariantViolations(runtime.db);
		expect(problems).toContain(`user ${user.id}: balance 50001 but completed transactions sum to 50000`);
		expect(problems).toContain(`user ${user.id}: balance history is not one chain from 0 to 50001`);
		await runtime.db.update(users).set({ creditBalance: 50_000 }).where(eq(users.id, user.id));
		expect(await moneyInvariantViolations(runtime.db)).toEqual([]);
	});
});
