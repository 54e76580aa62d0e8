// `npm run bench`: how fast the wallet's money paths are on this machine. Prints figures
// (nothing here passes or fails on timing): webhook handling latency over real HTTP, from
// the simulator's POST to the webhook's answer, and ledger operations per second with
// several writers at once, spread over many accounts or all on one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import type { User } from '../src/lib/server/db/schema';
import { applyBalanceChange } from '../src/lib/server/wallet/ledger';
import { AppError } from '../src/lib/server/errors';
import { callerFor, createUser } from '../tests/support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../tests/support/payments';
import { expectMoneyInvariants } from '../tests/support/invariants';
import { summary } from './stats';

let runtime: WalletTestRuntime;
beforeAll(async () => {
	runtime = await startWalletRuntime();
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

async function settledTopUps(user: User, count: number) {
	const api = await callerFor(runtime, user);
	const orders: string[] = [];
	for (let i = 0; i < count; i++) {
		const { orderId } = await api.wallet.topUp({ amount: 10_000, method: 'QRIS' });
		await runtime.simulator.settle(orderId, { notify: false });
		orders.push(orderId);
	}
	return orders;
}

async function timed(send: () => Promise<{ status: number }[]>) {
	const started = performance.now();
	const deliveries = await send();
	const elapsed = performance.now() - started;
	expect(deliveries.every((delivery) => delivery.status === 200)).toBe(true);
	return elapsed;
}

describe('webhook latency (simulator POST to answer, over loopback HTTP)', () => {
	it('measures crediting, duplicate and concurrent-duplicate notifications', async () => {
		const user = await createUser(runtime);
		const orders = await settledTopUps(user, 200);
		// Warm-up: connections, prepared plans, JIT.
		for (const orderId of orders.slice(0, 20)) await runtime.simulator.notify(orderId);

		const crediting: number[] = [];
		for (const orderId of orders.slice(20)) crediting.push(await timed(() => runtime.simulator.notify(orderId)));
		const duplicates: number[] = [];
		for (const orderId of orders.slice(20)) duplicates.push(await timed(() => runtime.simulator.notify(orderId)));
		const bursts: number[] = [];
		for (const orderId of orders.slice(0, 20)) {
			const started = performance.now();
			const deliveries = await Promise.all(
				Array.from({ length: 10 }, () =>
					runtime.simulator.notify(orderId).then((result) => ({ result, elapsed: performance.now() - started }))
				)
			);
			for (const { elapsed } of deliveries) bursts.push(elapsed);
		}

		console.log('\nWebhook handling latency');
		console.table([
			summary('first notice (verify, store, Get Status, credit)', crediting),
			summary('duplicate notice (verify, store, Get Status, no-op)', duplicates),
			summary('10 concurrent duplicates, each', bursts)
		]);
		expect(crediting.length).toBe(180);
	});
});

describe('ledger throughput (applyBalanceChange, each in its own DB transaction)', () => {
	async function run(label: string, accounts: User[], writers: number, operations: number) {
		let next = 0;
		let refused = 0;
		const started = performance.now();
		await Promise.all(
			Array.from({ length: writers }, async () => {
				while (next < operations) {
					const index = next++;
					const account = accounts[index % accounts.length];
					// Two credits for every debit, so most debits find enough credit.
					const amount = index % 3 === 2 ? -15_000 : 10_000;
					try {
						await applyBalanceChange(runtime.db, {
							userId: account.id,
							type: amount > 0 ? 'ADMIN_ADJUSTMENT' : 'SUBSCRIPTION',
							amount,
							idempotencyKey: `bench:${label}:${index}`,
							description: 'Benchmark',
							at: new Date()
						});
					} catch (error) {
						if (!(error instanceof AppError && error.code === 'INSUFFICIENT_CREDIT')) throw error;
						refused += 1;
					}
				}
			})
		);
		const seconds = (performance.now() - started) / 1000;
		return { case: label, writers, operations, refused, 'ops/s': Math.round(operations / seconds) };
	}

	it('measures operations per second spread over accounts and on one hot account', async () => {
		const spread: User[] = [];
		for (let i = 0; i < 32; i++) spread.push(await createUser(runtime));
		const hot = [await createUser(runtime)];
		await run('warm-up', spread, 4, 200);

		const rows = [];
		for (const writers of [1, 4, 8, 16])
			rows.push(await run(`32 accounts, ${writers} writer${writers === 1 ? '' : 's'}`, spread, writers, 1_500));
		for (const writers of [1, 8])
			rows.push(await run(`1 hot account, ${writers} writer${writers === 1 ? '' : 's'}`, hot, writers, 1_000));
		console.log('\nLedger throughput');
		console.table(rows);
	});
});
