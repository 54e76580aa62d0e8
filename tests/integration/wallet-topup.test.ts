// Top-ups end to end: tRPC starts a Snap payment at the simulator, a person pays on the
// hosted page over HTTP, the simulator notifies the webhook, and the wallet is credited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { notifications, paymentEvents, transactions } from '../../src/lib/server/db/schema';
import { ORDER_ID_PATTERN } from '../../src/lib/server/wallet/topup-rules';
import { callerFor, createUser, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { completeHostedPayment, startWalletRuntime, type WalletTestRuntime } from '../support/payments';
import { expectMoneyInvariants } from '../support/invariants';
import { expectError } from '../support/errors';

let runtime: WalletTestRuntime;
beforeAll(async () => {
	runtime = await startWalletRuntime({ env: { MINISPOD_TOPUP_MAX: '2000000', MINISPOD_BALANCE_MAX: '3000000' } });
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

const methods = [
	{
		input: { method: 'BANK_TRANSFER', bank: 'bca' },
		channel: 'bca_va',
		paymentType: 'bank_transfer',
		stored: 'MIDTRANS_BANK_TRANSFER'
	},
	{
		input: { method: 'BANK_TRANSFER', bank: 'bni' },
		channel: 'bni_va',
		paymentType: 'bank_transfer',
		stored: 'MIDTRANS_BANK_TRANSFER'
	},
	{
		input: { method: 'BANK_TRANSFER', bank: 'bri' },
		channel: 'bri_va',
		paymentType: 'bank_transfer',
		stored: 'MIDTRANS_BANK_TRANSFER'
	},
	{
		input: { method: 'BANK_TRANSFER', bank: 'mandiri' },
		channel: 'echannel',
		paymentType: 'echannel',
		stored: 'MIDTRANS_BANK_TRANSFER'
	},
	{
		input: { method: 'BANK_TRANSFER', bank: 'permata' },
		channel: 'permata_va',
		paymentType: 'bank_transfer',
		stored: 'MIDTRANS_BANK_TRANSFER'
	},
	{ input: { method: 'E_WALLET', wallet: 'gopay' }, channel: 'gopay', paymentType: 'gopay', stored: 'MIDTRANS_E_WALLET' },
	{
		input: { method: 'E_WALLET', wallet: 'shopeepay' },
		channel: 'shopeepay',
		paymentType: 'shopeepay',
		stored: 'MIDTRANS_E_WALLET'
	},
	{ input: { method: 'CREDIT_CARD' }, channel: 'credit_card', paymentType: 'credit_card', stored: 'MIDTRANS_CREDIT_CARD' },
	{ input: { method: 'QRIS' }, channel: 'other_qris', paymentType: 'qris', stored: 'MIDTRANS_QRIS' }
] as const;

describe('a top-up through the payment page', () => {
	for (const method of methods) {
		const label =
			'bank' in method.input
				? `${method.input.method} ${method.input.bank}`
				: 'wallet' in method.input
					? `${method.input.method} ${method.input.wallet}`
					: method.input.method;
		it(`credits the wallet once for ${label}`, async () => {
			const user = await createUser(runtime, { name: 'Dewi Sartika' });
			const api = await callerFor(runtime, user);
			const started = await api.wallet.topUp({ amount: 150_000, ...method.input });

			expect(started.orderId).toMatch(ORDER_ID_PATTERN);
			expect(started.snapToken).toBeTruthy();
			expect(started.redirectUrl.startsWith(runtime.simulator.url)).toBe(true);
			const gatewayView = runtime.simulator.transaction(started.orderId)!;
			expect(gatewayView.enabledPayments).toEqual([method.channel]);
			expect(gatewayView.grossAmount).toBe(150_000);
			expect(gatewayView.customer).toMatchObject({ firstName: 'Dewi', lastName: 'Sartika', email: user.email });
			const statusPage = `${runtime.config.origin}/wallet/topups/${started.transactionId}`;
			expect(gatewayView.callbacks).toEqual({ finish: statusPage, unfinish: statusPage, error: statusPage });

			const pending = await api.wallet.transaction({ id: started.transactionId });
			expect(pending).toMatchObject({
				status: 'PENDING',
				amount: 150_000,
				paymentMethod: method.stored,
				redirectUrl: started.redirectUrl
			});
			expect((await api.wallet.balance()).pendingTopUps).toBe(1);

			const { page, returnTo } = await completeHostedPayment(started.redirectUrl, method.channel);
			expect(page).toContain('Rp 150.000');
			expect(returnTo).toMatch(new RegExp(`^${statusPage}\\?order_id=${started.orderId}`));

			const done = await api.wallet.transaction({ id: started.transactionId });
			expect(done).toMatchObject({
				status: 'COMPLETED',
				balanceBefore: 0,
				balanceAfter: 150_000,
				paymentChannel: { paymentType: method.paymentType },
				redirectUrl: null
			});
			const wallet = await api.wallet.balance();
			expect(wallet).toMatchObject({ balance: 150_000, totalTopUp: 150_000, totalSpent: 0, pendingTopUps: 0 });

			const events = await runtime.db.select().from(paymentEvents).where(eq(paymentEvents.orderId, started.orderId));
			expect(events.map((event) => event.outcome).filter((outcome) => outcome === 'credited')).toHaveLength(1);
			expect(events.every((event) => event.signatureValid && event.transactionId === started.transactionId)).toBe(true);
			const [notice] = await runtime.db
				.select()
				.from(notifications)
				.where(and(eq(notifications.userId, user.id), eq(notifications.type, 'TOP_UP_COMPLETED')));
			expect(notice.body).toContain('Rp 150.000');
		});
	}

	it('offers every bank when none is named, and shows only enabled channels on the page', async () => {
		const api = await callerFor(runtime, await createUser(runtime));
		const started = await api.wallet.topUp({ amount: 20_000, method: 'BANK_TRANSFER' });
		expect(runtime.simulator.transaction(started.orderId)!.enabledPayments).toEqual([
			'bca_va',
			'bni_va',
			'bri_va',
			'echannel',
			'permata_va'
		]);
		const html = await (await fetch(started.redirectUrl)).text();
		expect(html).toContain('BCA Virtual Account');
		expect(html).toContain('Mandiri Bill Payment');
		expect(html).not.toContain('GoPay');
		const wallets = await api.wallet.topUp({ amount: 20_000, method: 'E_WALLET' });
		expect(runtime.simulator.transaction(wallets.orderId)!.enabledPayments).toEqual(['gopay', 'shopeepay']);
	});

	it('leaves the wallet alone when the customer lets the payment expire or it is denied', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const expiring = await api.wallet.topUp({ amount: 50_000, method: 'BANK_TRANSFER', bank: 'bni' });
		const expired = await completeHostedPayment(expiring.redirectUrl, 'bni_va', 'expire');
		expect(expired.returnTo).toContain('transaction_status=expire');
		const denied = await api.wallet.topUp({ amount: 60_000, method: 'CREDIT_CARD' });
		await completeHostedPayment(denied.redirectUrl, 'credit_card', 'deny');

		expect(await api.wallet.transaction({ id: expiring.transactionId })).toMatchObject({
			status: 'FAILED',
			failureReason: 'The payment expired before it was paid.'
		});
		expect(await api.wallet.transaction({ id: denied.transactionId })).toMatchObject({
			status: 'FAILED',
			failureReason: 'The payment was denied.'
		});
		expect((await reloadUser(runtime, user.id)).creditBalance).toBe(0);
	});
});

describe('starting a top-up', () => {
	it('refuses bad input naming the field, and stores nothing', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		const cases = [
			[{ amount: 9_999, method: 'QRIS' }, /^amount: The smallest top-up is Rp 10\.000/],
			[{ amount: 10_000.5, method: 'QRIS' }, /^amount: Use whole rupiah/],
			[{ amount: 50_000, method: 'CASH' }, /^method:/],
			[{ amount: 50_000, method: 'CREDIT_CARD', bank: 'bca' }, /^bank: A bank only goes with a bank transfer/],
			[{ amount: 50_000, method: 'BANK_TRANSFER', bank: 'jago' }, /^bank:/],
			[{ amount: 50_000, method: 'QRIS', wallet: 'gopay' }, /^wallet:/],
			[{ amount: 10_500, method: 'QRIS' }, /^amount: Top up in steps of Rp 1\.000/],
			[{ amount: 2_001_000, method: 'QRIS' }, /^amount: The largest top-up is Rp 2\.000\.000/]
		] as const;
		for (const [input, message] of cases) {
			const error = await expectError(api.wallet.topUp(input as never), 'BAD_REQUEST');
			expect(error.message).toMatch(message);
		}
		expect(await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id))).toEqual([]);
	});

	it('keeps a wallet, counting pending top-ups, under the maximum balance', async () => {
		const user = await createUser(runtime, { credit: 1_500_000 });
		const api = await callerFor(runtime, user);
		await api.wallet.topUp({ amount: 1_000_000, method: 'QRIS' });
		const error = await expectError(api.wallet.topUp({ amount: 600_000, method: 'QRIS' }), 'BAD_REQUEST');
		expect(error.message).toMatch(/^amount: A wallet holds at most Rp 3\.000\.000; .* you can add Rp 500\.000/);
		await api.wallet.topUp({ amount: 500_000, method: 'QRIS' });
		const rows = await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id));
		expect(rows.filter((row) => row.status === 'PENDING')).toHaveLength(2);
	});

	it('requires a signed-in customer', async () => {
		const anonymous = await callerFor(runtime, null);
		await expectError(anonymous.wallet.topUp({ amount: 50_000, method: 'QRIS' }), 'UNAUTHORIZED');
		await expectError(anonymous.wallet.balance(), 'UNAUTHORIZED');
	});
});

describe('with a gateway that refuses', () => {
	let configured: TestRuntime;
	beforeAll(async () => {
		// Real keys (here: wrong ones) switch the simulator off and send the adapter to the
		// configured base URLs, which answer 401.
		configured = await startTestRuntime({
			catalog: false,
			env: {
				MIDTRANS_SERVER_KEY: 'SB-Mid-server-not-the-right-key',
				MIDTRANS_API_BASE_URL: runtime.simulator.apiBaseUrl,
				MIDTRANS_SNAP_BASE_URL: runtime.simulator.snapBaseUrl
			}
		});
	});
	afterAll(() => configured?.close());

	it('starts no simulator when a server key is configured', () => {
		expect(configured.payments.simulator).toBeNull();
		expect(configured.standIns.payments).toBe(false);
		expect(runtime.standIns.payments).toBe(true);
	});

	it('reports PAYMENT_GATEWAY_ERROR and closes the pending row, losing nothing', async () => {
		const user = await createUser(configured);
		const api = await callerFor(configured, user);
		const error = await expectError(api.wallet.topUp({ amount: 75_000, method: 'QRIS' }), 'BAD_GATEWAY');
		expect(error.message).toMatch(/nothing was charged/);
		const rows = await configured.db.select().from(transactions).where(eq(transactions.userId, user.id));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ status: 'FAILED', amount: 75_000, balanceAfter: null });
		expect((await reloadUser(configured, user.id)).creditBalance).toBe(0);
		await expectMoneyInvariants(configured.db);
	});
});
