// Keeping pending top-ups moving when notifications are lost: asking the gateway on demand,
// cancelling, and the scheduled sweep that refreshes and expires them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { transactions, type User } from '../../src/lib/server/db/schema';
import { toTransactionView } from '../../src/lib/server/wallet/views';
import { enqueue } from '../../src/lib/server/queue';
import { topUpRefresh } from '../../jobs/topup-refresh';
import { callerFor, createUser, reloadUser } from '../support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectMoneyInvariants } from '../support/invariants';
import { expectError } from '../support/errors';
import { waitForJob } from '../support/waits';
import { inLocale } from '../support/locale';

let runtime: WalletTestRuntime;
beforeAll(async () => {
	runtime = await startWalletRuntime({
		work: true,
		env: { MINISPOD_TOPUP_PENDING_MINUTES: '30', MINISPOD_TOPUP_EXPIRE_HOURS: '24' }
	});
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

async function startTopUp(user: User, amount = 100_000) {
	const api = await callerFor(runtime, user);
	return { api, ...(await api.wallet.topUp({ amount, method: 'BANK_TRANSFER', bank: 'bri' })) };
}

const row = async (id: string) => (await runtime.db.select().from(transactions).where(eq(transactions.id, id)))[0];
const age = (id: string, minutes: number) =>
	runtime.db
		.update(transactions)
		.set({ createdAt: new Date(Date.now() - minutes * 60_000) })
		.where(eq(transactions.id, id));

describe('wallet.refreshStatus', () => {
	it('credits a payment whose notification never arrived', async () => {
		const user = await createUser(runtime);
		const { api, orderId, transactionId } = await startTopUp(user, 70_000);
		await runtime.simulator.choose(orderId, 'bri_va', { notify: false });
		await runtime.simulator.settle(orderId, { notify: false });
		expect((await row(transactionId)).status).toBe('PENDING');

		const refreshed = await api.wallet.refreshStatus({ id: transactionId });
		expect(refreshed.outcome).toBe('credited');
		expect(refreshed.transaction).toMatchObject({ status: 'COMPLETED', balanceAfter: 70_000, gatewayStatus: 'settlement' });
		expect((await api.wallet.refreshStatus({ id: transactionId })).outcome).toBe('ignored_duplicate');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(70_000);
	});

	it('keeps a top-up pending while the customer has not chosen how to pay', async () => {
		const user = await createUser(runtime);
		const { api, transactionId } = await startTopUp(user);
		const refreshed = await api.wallet.refreshStatus({ id: transactionId });
		expect(refreshed).toMatchObject({ outcome: null, transaction: { status: 'PENDING', gatewayStatus: null } });
	});

	it('records the virtual account number once the customer picked a bank', async () => {
		const user = await createUser(runtime);
		const { api, orderId, transactionId } = await startTopUp(user);
		await runtime.simulator.choose(orderId, 'bri_va', { notify: false });
		const refreshed = await api.wallet.refreshStatus({ id: transactionId });
		expect(refreshed.transaction).toMatchObject({
			status: 'PENDING',
			gatewayStatus: 'pending',
			paymentChannel: { paymentType: 'bank_transfer', bank: 'bri', vaNumber: runtime.simulator.transaction(orderId)!.vaNumber }
		});
	});
});

describe('wallet.cancelTopUp', () => {
	it('cancels an unpaid top-up at the gateway and closes it', async () => {
		const user = await createUser(runtime);
		const { api, orderId, transactionId } = await startTopUp(user);
		await runtime.simulator.choose(orderId, 'bri_va');
		const cancelled = await api.wallet.cancelTopUp({ id: transactionId });
		expect(cancelled).toMatchObject({
			status: 'FAILED',
			displayStatus: 'CANCELLED',
			failureReason: 'You cancelled this top-up.',
			gatewayStatus: 'cancel'
		});
		expect(runtime.simulator.transaction(orderId)!.status).toBe('cancel');
		await runtime.simulator.idle();
		expect((await row(transactionId)).status).toBe('FAILED');
		// The reason is kept as a key: the page reads it in the viewer's language.
		expect((await inLocale('id', () => api.wallet.transaction({ id: transactionId }))).failureReason).toBe(
			'Anda membatalkan isi saldo ini.'
		);

		const again = await expectError(api.wallet.cancelTopUp({ id: transactionId }), 'CONFLICT');
		expect(again.message).toMatch(/Only a pending top-up/);
	});

	it('credits instead when the payment went through before the cancel', async () => {
		const user = await createUser(runtime);
		const { api, orderId, transactionId } = await startTopUp(user, 65_000);
		await runtime.simulator.settle(orderId, { notify: false });
		const result = await api.wallet.cancelTopUp({ id: transactionId });
		expect(result).toMatchObject({ status: 'COMPLETED', balanceAfter: 65_000 });
		expect(runtime.simulator.transaction(orderId)!.status).toBe('settlement');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(65_000);
	});
});

describe('the pending top-up sweep (pg-boss job)', () => {
	it('is scheduled every five minutes', async () => {
		const schedules = await runtime.boss.getSchedules();
		expect(schedules.find((schedule) => schedule.name === topUpRefresh.name)).toMatchObject({ cron: '*/5 * * * *' });
	});

	it('credits lost payments, leaves fresh ones alone, and expires abandoned ones at the gateway', async () => {
		const user = await createUser(runtime);
		const paidLate = await startTopUp(user, 11_000);
		await runtime.simulator.settle(paidLate.orderId, { notify: false });
		await age(paidLate.transactionId, 45);

		const waiting = await startTopUp(user, 12_000);
		await runtime.simulator.choose(waiting.orderId, 'bri_va', { notify: false });
		await age(waiting.transactionId, 45);

		const fresh = await startTopUp(user, 13_000);
		await runtime.simulator.settle(fresh.orderId, { notify: false });
		await age(fresh.transactionId, 5);

		const abandonedWithVa = await startTopUp(user, 14_000);
		await runtime.simulator.choose(abandonedWithVa.orderId, 'bri_va', { notify: false });
		await age(abandonedWithVa.transactionId, 25 * 60);

		const abandonedUnstarted = await startTopUp(user, 15_000);
		await age(abandonedUnstarted.transactionId, 25 * 60);

		const oldButPaid = await startTopUp(user, 16_000);
		await runtime.simulator.settle(oldButPaid.orderId, { notify: false });
		await age(oldButPaid.transactionId, 25 * 60);

		const jobId = await enqueue(runtime.boss, topUpRefresh.name, {});
		const job = await waitForJob(runtime, topUpRefresh.name, { id: jobId! });
		expect(job.state).toBe('completed');
		expect(job.output).toMatchObject({ checked: 5, credited: 2, expired: 2, stillPending: 1, errors: 0 });

		expect((await row(paidLate.transactionId)).status).toBe('COMPLETED');
		expect((await row(waiting.transactionId)).status).toBe('PENDING');
		expect((await row(fresh.transactionId)).status).toBe('PENDING');
		expect(await row(abandonedWithVa.transactionId)).toMatchObject({
			status: 'FAILED',
			metadata: expect.objectContaining({ failureReason: 'The top-up was not paid in time.' })
		});
		expect(runtime.simulator.transaction(abandonedWithVa.orderId)!.status).toBe('cancel');
		expect(toTransactionView(await row(abandonedWithVa.transactionId)).displayStatus).toBe('EXPIRED');
		expect(toTransactionView(await row(abandonedUnstarted.transactionId)).displayStatus).toBe('EXPIRED');
		expect(await row(abandonedUnstarted.transactionId)).toMatchObject({
			status: 'FAILED',
			metadata: expect.objectContaining({ failureReason: 'The top-up was not paid in time.' })
		});
		expect((await row(oldButPaid.transactionId)).status).toBe('COMPLETED');
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(11_000 + 16_000);
		await expectMoneyInvariants(runtime.db);
	});
});
