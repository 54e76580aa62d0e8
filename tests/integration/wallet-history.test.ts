// Transaction history and detail: filters, pages, and that one customer can never see or
// act on another's transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { transactions, type User } from '../../src/lib/server/db/schema';
import { applyBalanceChange } from '../../src/lib/server/wallet/ledger';
import { callerFor, createUser } from '../support/runtime';
import { startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectMoneyInvariants } from '../support/invariants';
import { expectError } from '../support/errors';
import { loadPage } from '../support/pages';
import { load as loadTransactionsPage } from '../../src/routes/(app)/wallet/transactions/+page.server';

let runtime: WalletTestRuntime;
beforeAll(async () => {
	runtime = await startWalletRuntime();
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

async function ledgerEntry(user: User, type: 'ADMIN_ADJUSTMENT' | 'SUBSCRIPTION', amount: number, key: string, at: string) {
	const { transaction } = await applyBalanceChange(runtime.db, {
		userId: user.id,
		type,
		amount,
		idempotencyKey: key,
		description: `${type} ${key}`,
		at: new Date()
	});
	await runtime.db
		.update(transactions)
		.set({ createdAt: new Date(at), completedAt: new Date(at) })
		.where(eq(transactions.id, transaction.id));
	return transaction;
}

describe('wallet.transactions', () => {
	let owner: User;
	beforeAll(async () => {
		owner = await createUser(runtime);
		await ledgerEntry(owner, 'ADMIN_ADJUSTMENT', 500_000, 'h1', '2025-03-01T10:00:00+07:00');
		for (let day = 2; day <= 26; day++) {
			await ledgerEntry(owner, 'SUBSCRIPTION', -1_000, `h-sub-${day}`, `2025-03-${String(day).padStart(2, '0')}T10:00:00+07:00`);
		}
		const api = await callerFor(runtime, owner);
		await api.wallet.topUp({ amount: 10_000, method: 'QRIS' });
	});

	it('lists newest first, a page at a time, with totals for paging', async () => {
		const api = await callerFor(runtime, owner);
		const first = await api.wallet.transactions({ pageSize: 10 });
		expect(first).toMatchObject({ total: 27, page: 1, pageSize: 10, pageCount: 3 });
		expect(first.items).toHaveLength(10);
		expect(first.items[0]).toMatchObject({ type: 'TOP_UP', status: 'PENDING', amount: 10_000 });
		expect(first.items[1].description).toBe('SUBSCRIPTION h-sub-26');
		const last = await api.wallet.transactions({ pageSize: 10, page: 3 });
		expect(last.items.map((item) => item.description)).toEqual([
			...[7, 6, 5, 4, 3, 2].map((day) => `SUBSCRIPTION h-sub-${day}`),
			'ADMIN_ADJUSTMENT h1'
		]);
		expect(last.items).toHaveLength(7);
		expect(last).toMatchObject({ total: 27, pageCount: 3 });
		// A page past the end has no row to carry the count, and still tells how many there are.
		const beyond = await api.wallet.transactions({ pageSize: 10, page: 9 });
		expect(beyond).toMatchObject({ items: [], total: 27, pageCount: 3 });
		const beyondFiltered = await api.wallet.transactions({ type: 'SUBSCRIPTION', pageSize: 10, page: 4 });
		expect(beyondFiltered).toMatchObject({ items: [], total: 25, pageCount: 3 });
		const secondFiltered = await api.wallet.transactions({ type: 'SUBSCRIPTION', pageSize: 10, page: 2 });
		expect(secondFiltered.total).toBe(25);
		expect(secondFiltered.items).toHaveLength(10);
	});

	it('shows each row in the list as its detail shows it, reading only the columns its view needs', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const credit = await ledgerEntry(user, 'ADMIN_ADJUSTMENT', 50_000, 'same-credit', '2025-04-01T10:00:00+07:00');
		const ended = [];
		// A top-up of each way of ending that the history tells apart by its metadata, one under
		// review and one with a transfer proof.
		for (const [index, change] of [
			{ status: 'FAILED', metadata: { rejectionReason: 'No transfer arrived.' } },
			{ status: 'FAILED', metadata: { cancelReason: 'expired', cancelSource: 'job' } },
			{ status: 'FAILED', metadata: { cancelReason: 'cancelled' } },
			{ status: 'FAILED', metadata: {} },
			{ status: 'PENDING', metadata: { note: 'kept' }, flaggedAt: new Date(), paymentProof: 'proofs/x.png' }
		].entries()) {
			const { transactionId } = await api.wallet.topUp({ amount: 10_000 + index * 1_000, method: 'QRIS' });
			await runtime.db
				.update(transactions)
				.set(change as Partial<typeof transactions.$inferInsert>)
				.where(eq(transactions.id, transactionId));
			ended.push(transactionId);
		}
		for (const filter of [{}, { status: 'FAILED' as const }]) {
			const { items } = await api.wallet.transactions(filter);
			expect(items.length).toBe('status' in filter ? 4 : 6);
			for (const item of items) {
				const detail = await api.wallet.transaction({ id: item.id });
				expect(item).toEqual(Object.fromEntries(Object.keys(item).map((key) => [key, detail[key as keyof typeof detail]])));
			}
			if (!('status' in filter)) expect(items.map((item) => item.id)).toContain(credit.id);
		}
		const { items } = await api.wallet.transactions();
		const byId = new Map(items.map((item) => [item.id, item]));
		expect(ended.map((id) => byId.get(id)?.displayStatus)).toEqual(['REJECTED', 'EXPIRED', 'CANCELLED', 'FAILED', 'PENDING']);
		expect(byId.get(ended[4])).toMatchObject({ underReview: true, hasProof: true });
	});

	it('orders by when each row took effect, so the balance after each row reads top to bottom', async () => {
		const customer = await createUser(runtime);
		await ledgerEntry(customer, 'ADMIN_ADJUSTMENT', 100_000, `e1-${customer.id}`, '2025-04-01T10:00:00+07:00');
		const api = await callerFor(runtime, customer);
		// A top-up begun on the 2nd, a charge on the 3rd, and the top-up paid on the 4th.
		const { transactionId } = await api.wallet.topUp({ amount: 50_000, method: 'QRIS' });
		await runtime.db
			.update(transactions)
			.set({ createdAt: new Date('2025-04-02T10:00:00+07:00') })
			.where(eq(transactions.id, transactionId));
		await ledgerEntry(customer, 'SUBSCRIPTION', -30_000, `e2-${customer.id}`, '2025-04-03T10:00:00+07:00');
		const [row] = await runtime.db.select().from(transactions).where(eq(transactions.id, transactionId));
		await applyBalanceChange(runtime.db, {
			userId: customer.id,
			type: 'TOP_UP',
			amount: 50_000,
			idempotencyKey: row.idempotencyKey,
			description: row.description,
			at: new Date('2025-04-04T10:00:00+07:00'),
			pendingTransactionId: transactionId
		});

		const page = await api.wallet.transactions({});
		expect(page.items.map((item) => [item.type, item.amount, item.balanceAfter])).toEqual([
			['TOP_UP', 50_000, 120_000],
			['SUBSCRIPTION', -30_000, 70_000],
			['ADMIN_ADJUSTMENT', 100_000, 100_000]
		]);
		// A date range takes the day each row took effect: the top-up counts on the 4th.
		const fourth = await api.wallet.transactions({ from: '2025-04-04', to: '2025-04-04' });
		expect(fourth.items.map((item) => item.type)).toEqual(['TOP_UP']);
		const second = await api.wallet.transactions({ from: '2025-04-02', to: '2025-04-02' });
		expect(second.total).toBe(0);
	});

	it('filters by type, status and an inclusive date range in Jakarta time', async () => {
		const api = await callerFor(runtime, owner);
		expect((await api.wallet.transactions({ type: 'SUBSCRIPTION' })).total).toBe(25);
		expect((await api.wallet.transactions({ status: 'PENDING' })).items.map((item) => item.type)).toEqual(['TOP_UP']);
		const range = await api.wallet.transactions({ from: '2025-03-05', to: '2025-03-07' });
		expect(range.items.map((item) => item.description)).toEqual([
			'SUBSCRIPTION h-sub-7',
			'SUBSCRIPTION h-sub-6',
			'SUBSCRIPTION h-sub-5'
		]);
		const oneDay = await api.wallet.transactions({ from: '2025-03-01', to: '2025-03-01', type: 'ADMIN_ADJUSTMENT' });
		expect(oneDay.total).toBe(1);
	});

	it('names the field of a bad filter', async () => {
		const api = await callerFor(runtime, owner);
		expect((await expectError(api.wallet.transactions({ from: '2025-13-01' }), 'BAD_REQUEST')).message).toMatch(/^from:/);
		expect((await expectError(api.wallet.transactions({ from: '2025-03-07', to: '2025-03-01' }), 'BAD_REQUEST')).message).toBe(
			'to: The end date is before the start date'
		);
		expect((await expectError(api.wallet.transactions({ pageSize: 500 }), 'BAD_REQUEST')).message).toMatch(/^pageSize:/);
		expect((await expectError(api.wallet.transactions({ status: 'LOST' as never }), 'BAD_REQUEST')).message).toBe(
			'status: Choose a status from the list'
		);
		expect((await expectError(api.wallet.transactions({ type: 'zzz' as never }), 'BAD_REQUEST')).message).toBe(
			'type: Choose a transaction type from the list'
		);
	});

	it('tells the page a reversed range beside the To field, without the field’s key', async () => {
		const page = await loadPage(runtime, owner, '/wallet/transactions?from=2026-12-31&to=2026-01-01', loadTransactionsPage);
		expect(page.problem).toEqual({ field: 'to', message: 'Tanggal akhir sebelum tanggal awal' });
		expect(page.result.items).toEqual([]);
	});

	it('leaves out a type or status the page does not offer, listing every transaction', async () => {
		const page = await loadPage(runtime, owner, '/wallet/transactions?type=zzz&status=LOST', loadTransactionsPage);
		expect(page.problem).toBeNull();
		expect(page.filters).toMatchObject({ type: undefined, status: undefined });
		expect(page.result.total).toBeGreaterThan(0);
	});
});

describe('another customer', () => {
	it('cannot read, refresh or cancel the first customer’s top-up, nor list it', async () => {
		const first = await createUser(runtime);
		const second = await createUser(runtime);
		const firstApi = await callerFor(runtime, first);
		const secondApi = await callerFor(runtime, second);
		const { transactionId, orderId } = await firstApi.wallet.topUp({ amount: 25_000, method: 'E_WALLET', wallet: 'gopay' });

		await expectError(secondApi.wallet.transaction({ id: transactionId }), 'NOT_FOUND');
		await expectError(secondApi.wallet.refreshStatus({ id: transactionId }), 'NOT_FOUND');
		await expectError(secondApi.wallet.cancelTopUp({ id: transactionId }), 'NOT_FOUND');
		expect((await secondApi.wallet.transactions()).items).toEqual([]);
		expect(runtime.simulator.transaction(orderId)!.status).toBeNull();
		expect(await firstApi.wallet.transaction({ id: transactionId })).toMatchObject({ status: 'PENDING' });
	});

	it('gets a field error for an id that is not one', async () => {
		const api = await callerFor(runtime, await createUser(runtime));
		expect((await expectError(api.wallet.transaction({ id: 'nope' }), 'BAD_REQUEST')).message).toBe(
			'id: Not a valid transaction id'
		);
	});
});

describe('a transaction as the customer sees it', () => {
	it('never exposes the Snap token, the proof path or administrator notes', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const { transactionId } = await api.wallet.topUp({ amount: 30_000, method: 'QRIS' });
		const detail = await api.wallet.transaction({ id: transactionId });
		const text = JSON.stringify(detail);
		expect(text).not.toMatch(/snapToken|paymentProof|adminNotes|idempotencyKey/);
		expect(detail.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/snap\/v4\/redirection\//);
	});
});
