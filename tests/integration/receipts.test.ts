// Receipts (kwitansi): numbered after the payment committed, by one serialized assigner, in
// completion order and without a gap per year; a PDF in the owner's language; the owner
// and administrators only; and the billing profile they are made out to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { receipts, transactions, users, type User } from '../../src/lib/server/db/schema';
import { applyBalanceChange } from '../../src/lib/server/wallet/ledger';
import { assignReceiptNumbers, receiptYear } from '../../src/lib/server/receipts/numbering';
import { getReceipt } from '../../src/lib/server/receipts/service';
import { renderReceiptPdf } from '../../src/lib/server/receipts/pdf';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectMoneyInvariants } from '../support/invariants';
import { rejection } from '../support/errors';
import { pdfText } from '../support/pdf';
import { ledgerText } from '../../src/lib/server/wallet/ledger-texts';
import { m } from '../../src/lib/paraglide/messages';
import { wib } from '../support/billing';
import { applyGatewayStatus } from '../../src/lib/server/wallet/gateway-status';
import { inLocale } from '../support/locale';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(async () => {
	await expectMoneyInvariants(runtime.db);
	await runtime?.close();
});

let keyCounter = 0;
let lastAt = 0;
/**
 * A completed charge of `amount` rupiah (debited from the test credit), a millisecond at least
 * after the one before: two charges in the same millisecond completed "at once", and the
 * numbering's tie-break by id then ordered them either way (CI run 68 here).
 */
async function charge(user: Pick<User, 'id'>, amount: number, type: 'SUBSCRIPTION' | 'UPGRADE' = 'SUBSCRIPTION') {
	keyCounter += 1;
	lastAt = Math.max(Date.now(), lastAt + 1);
	const { transaction } = await applyBalanceChange(runtime.db, {
		userId: user.id,
		type,
		amount: -amount,
		idempotencyKey: `receipt-test:${keyCounter}`,
		description: `Vaultwarden Basic, charge ${keyCounter}`,
		at: new Date(lastAt)
	});
	return transaction;
}

async function receiptsOf(ids: string[]) {
	return runtime.db.select().from(receipts).where(inArray(receipts.transactionId, ids));
}

describe('receipt numbering', () => {
	it('numbers concurrent payments once each, in completion order, without a gap', async () => {
		const customers = await Promise.all(Array.from({ length: 4 }, () => createUser(runtime, { credit: 1_000_000 })));
		// Payments and assigners (the sweep's batches and receipts asked for) run at once.
		const payments = customers.flatMap((customer) => Array.from({ length: 6 }, (_, i) => charge(customer, 1_000 * (i + 1))));
		const assigners = Array.from({ length: 6 }, () => assignReceiptNumbers(runtime.db, 5));
		const paid = await Promise.all(payments);
		await Promise.all([
			...assigners,
			...paid.slice(0, 6).map((t) => getReceipt(runtime.db, customers[0], t.id).catch(() => null))
		]);
		while ((await assignReceiptNumbers(runtime.db, 5)) > 0);

		const numbered = await receiptsOf(paid.map((t) => t.id));
		expect(numbered).toHaveLength(paid.length);
		const all = await runtime.db
			.select()
			.from(receipts)
			.where(eq(receipts.year, receiptYear(new Date())));
		expect(all.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(all.map((_, i) => i + 1));
		expect(numbered[0].number).toMatch(/^KW\/\d{4}\/\d{6}$/);
	});

	it('numbers committed payments in the order they completed, whichever assigner takes them', async () => {
		const customer = await createUser(runtime, { credit: 1_000_000 });
		const paid = [];
		for (let i = 1; i <= 8; i++) paid.push(await charge(customer, 1_000 * i));
		await Promise.all(Array.from({ length: 4 }, () => assignReceiptNumbers(runtime.db, 3)));
		while ((await assignReceiptNumbers(runtime.db, 3)) > 0);
		const numbered = new Map((await receiptsOf(paid.map((t) => t.id))).map((r) => [r.transactionId, r.sequence]));
		const sequences = paid.map((t) => numbered.get(t.id)!);
		expect(sequences).toEqual(sequences.map((_, i) => sequences[0] + i));
	});

	it('gives numbers only to completed top-ups and charges that committed', async () => {
		const customer = await createUser(runtime, { credit: 5_000 });
		// Refused for want of credit: rolled back, never numbered.
		await expect(charge(customer, 50_000)).rejects.toThrow();
		const pending = await runtime.db
			.insert(transactions)
			.values({
				userId: customer.id,
				type: 'TOP_UP',
				amount: 20_000,
				description: 'Pending top-up',
				idempotencyKey: `pending:${customer.id}`
			})
			.returning();
		await assignReceiptNumbers(runtime.db);
		const mine = await runtime.db.select().from(receipts).where(eq(receipts.userId, customer.id));
		expect(mine).toEqual([]);
		// The welcome credit (an adjustment) has no receipt; the pending top-up has none yet.
		const api = await callerFor(runtime, customer);
		expect((await rejection(api.receipts.get({ id: pending[0].id }))).code).toBe('NOT_FOUND');
	});

	it('starts again at 1 in a new year (WIB), each year gap-free', async () => {
		const customer = await createUser(runtime, { credit: 1_000_000 });
		const late = await charge(customer, 10_000);
		const early = await charge(customer, 20_000);
		const next = await charge(customer, 30_000);
		// Completion times across New Year's Eve in Jakarta (UTC+7), years no other test uses.
		const times: [string, Date][] = [
			[late.id, wib('2030-12-31T23:59:59')],
			[early.id, wib('2031-01-01T00:00:01')],
			[next.id, wib('2031-01-01T00:05:00')]
		];
		for (const [id, at] of times) await runtime.db.update(transactions).set({ completedAt: at }).where(eq(transactions.id, id));
		while ((await assignReceiptNumbers(runtime.db)) > 0);
		const numbers = new Map((await receiptsOf([late.id, early.id, next.id])).map((r) => [r.transactionId, r.number]));
		expect(numbers.get(late.id)).toBe('KW/2030/000001');
		expect(numbers.get(early.id)).toBe('KW/2031/000001');
		expect(numbers.get(next.id)).toBe('KW/2031/000002');
	});

	it("takes a top-up's completion time from the runtime's clock: 23:59 and 00:00 WIB fall in separate years", async () => {
		const customer = await createUser(runtime);
		/** A pending top-up credited by the gateway while the runtime's clock reads `at`. */
		async function topUpAt(at: Date, amount: number) {
			const orderId = `yb-${customer.id.slice(0, 8)}-${amount}`;
			const [pending] = await runtime.db
				.insert(transactions)
				.values({ userId: customer.id, type: 'TOP_UP', amount, description: 'Top-up', idempotencyKey: orderId, orderId })
				.returning();
			// The injected clock stands still at `at`.
			const clocked = { ...runtime, clock: { ...runtime.clock, now: () => new Date(at) } };
			const settled = {
				orderId,
				transactionStatus: 'settlement',
				fraudStatus: 'accept',
				statusCode: '200',
				grossAmount: `${amount}.00`,
				paymentType: 'bank_transfer',
				transactionId: `gateway-${orderId}`,
				statusMessage: null,
				raw: {}
			};
			const { transaction } = await applyGatewayStatus(clocked, pending.id, settled, 'webhook');
			return transaction;
		}
		// Years no other test uses; the clock stands one minute either side of midnight in Jakarta.
		const late = await topUpAt(wib('2034-12-31T23:59:00'), 10_000);
		const early = await topUpAt(wib('2035-01-01T00:00:00'), 20_000);
		expect(late.completedAt).toEqual(wib('2034-12-31T23:59:00'));
		while ((await assignReceiptNumbers(runtime.db)) > 0);
		const numbers = new Map((await receiptsOf([late.id, early.id])).map((r) => [r.transactionId, r.number]));
		expect(numbers.get(late.id)).toBe('KW/2034/000001');
		expect(numbers.get(early.id)).toBe('KW/2035/000001');
	});
});

describe('receipt PDF and access', () => {
	let owner: User;
	let paymentId: string;
	beforeAll(async () => {
		owner = await createUser(runtime, { name: 'Sari Wulandari', credit: 1_000_000 });
		paymentId = (await charge(owner, 150_000, 'UPGRADE')).id;
	});

	it('numbers a receipt when first asked for, and the PDF states its number and amount in the owner’s language', async () => {
		await runtime.db.update(users).set({ locale: 'en' }).where(eq(users.id, owner.id));
		const api = await callerFor(runtime, owner);
		const view = await api.receipts.get({ id: paymentId });
		expect(view).toMatchObject({ amount: 150_000, url: `/wallet/transactions/${paymentId}/receipt` });
		const found = await getReceipt(runtime.db, owner, paymentId);
		expect(found.receipt.number).toBe(view.number);
		const english = pdfText(await renderReceiptPdf(found));
		expect(english.slice(0, 1)).toEqual(['RECEIPT']);
		expect(english).toContain(view.number);
		expect(english).toContain('Rp 150.000');
		expect(english).toContain('Sari Wulandari');
		const indonesian = pdfText(await renderReceiptPdf({ ...found, locale: 'id' }));
		expect(indonesian[0]).toBe('KWITANSI');
		expect(indonesian).toContain('Telah diterima dari');
	});

	it('describes the payment with the wallet history’s sentence in the receipt’s language, old English rows as stored', async () => {
		const { transaction } = await applyBalanceChange(runtime.db, {
			userId: owner.id,
			type: 'SUBSCRIPTION',
			amount: -50_000,
			idempotencyKey: 'receipt-test:keyed',
			description: 'Vaultwarden Basic, 1 Jan – 1 Feb',
			text: ledgerText('refund_upgrade_failed', { plan: 'Pro' }),
			at: new Date()
		});
		const found = await getReceipt(runtime.db, owner, transaction.id);
		const indonesian = pdfText(await renderReceiptPdf({ ...found, locale: 'id' }))
			.join(' ')
			.replace(/\s+/g, ' ');
		expect(indonesian).toContain(m.cust_txn_refund_upgrade_failed({ plan: 'Pro' }, { locale: 'id' }));
		expect(indonesian).not.toContain('Vaultwarden Basic, 1 Jan');
		const english = pdfText(await renderReceiptPdf({ ...found, locale: 'en' }))
			.join(' ')
			.replace(/\s+/g, ' ');
		expect(english).toContain(m.cust_txn_refund_upgrade_failed({ plan: 'Pro' }, { locale: 'en' }));
		const old = await getReceipt(runtime.db, owner, paymentId);
		expect(pdfText(await renderReceiptPdf({ ...old, locale: 'id' })).join(' ')).toContain(old.transaction.description);
	});

	it('prints "?" for what the receipt font cannot draw in an account name, the rest exactly', async () => {
		const customer = await createUser(runtime, { name: 'Budi Santoso 🇮🇩 — Müller', credit: 1_000_000 });
		const payment = await charge(customer, 10_000);
		const text = pdfText(await renderReceiptPdf(await getReceipt(runtime.db, customer, payment.id)));
		expect(text).toContain('Budi Santoso ? — Müller');
		expect(text).toContain('Rp 10.000');
	});

	it('is the owner’s and administrators’: another customer gets NOT_FOUND', async () => {
		const other = await createUser(runtime);
		expect((await rejection((await callerFor(runtime, other)).receipts.get({ id: paymentId }))).code).toBe('NOT_FOUND');
		await expect(getReceipt(runtime.db, other, paymentId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		expect((await getReceipt(runtime.db, admin, paymentId)).transaction.id).toBe(paymentId);
	});
});

describe('billing profile', () => {
	it('saves a company with an NPWP (15 or 16 digits, separators allowed), which later receipts carry', async () => {
		const customer = await createUser(runtime, { credit: 1_000_000 });
		const api = await callerFor(runtime, customer);
		expect(await api.receipts.billingProfile()).toBeNull();
		const saved = await api.receipts.saveBillingProfile({
			kind: 'COMPANY',
			name: 'PT Contoh Jaya',
			address: 'Jl. Sudirman 1\nJakarta',
			npwp: '01.234.567.8-901.000'
		});
		expect(saved).toEqual({
			kind: 'COMPANY',
			name: 'PT Contoh Jaya',
			address: 'Jl. Sudirman 1\nJakarta',
			npwp: '012345678901000'
		});
		const sixteen = await api.receipts.saveBillingProfile({ ...saved, npwp: '3171234567890123' });
		expect(sixteen.npwp).toBe('3171234567890123');
		expect((await api.receipts.saveBillingProfile({ ...saved, npwp: '' })).npwp).toBeNull();
		await api.receipts.saveBillingProfile(saved);

		const payment = await charge(customer, 25_000);
		const text = pdfText(await renderReceiptPdf(await getReceipt(runtime.db, customer, payment.id)));
		expect(text).toEqual(expect.arrayContaining(['PT Contoh Jaya', '012345678901000', 'Rp 25.000']));
	});

	it('refuses an NPWP that is not 15 or 16 digits, naming the field and saving nothing', async () => {
		const customer = await createUser(runtime);
		const api = await callerFor(runtime, customer);
		for (const npwp of ['12345', '12345678901234567', '01.234.567.8-901.00X']) {
			const refused = await rejection(
				api.receipts.saveBillingProfile({ kind: 'PERSONAL', name: 'Budi', address: 'Jl. Merdeka 2', npwp })
			);
			expect(refused.trpcCode).toBe('BAD_REQUEST');
			expect(JSON.stringify(refused.error.cause ?? refused.message)).toContain('npwp');
		}
		expect(await api.receipts.billingProfile()).toBeNull();
	});

	it('takes a name with diacritics and typographic punctuation, which later receipts print exactly', async () => {
		const customer = await createUser(runtime, { credit: 1_000_000 });
		const api = await callerFor(runtime, customer);
		const name = 'PT Sinar Jaya — Ēkspor “Nusantara” Café Müller';
		const address = 'Jl. Ñusa Indah 3\nDenpasar';
		expect(await api.receipts.saveBillingProfile({ kind: 'COMPANY', name, address, npwp: '' })).toMatchObject({ name, address });
		const payment = await charge(customer, 30_000);
		const text = pdfText(await renderReceiptPdf(await getReceipt(runtime.db, customer, payment.id)));
		expect(text).toEqual(expect.arrayContaining([name, 'Jl. Ñusa Indah 3', 'Denpasar', 'Rp 30.000']));
	});

	it('refuses a name or address the receipt font cannot print, naming the field and the characters, in both languages', async () => {
		const customer = await createUser(runtime);
		const api = await callerFor(runtime, customer);
		const valid = { kind: 'COMPANY' as const, name: 'PT Sinar Jaya', address: 'Jl. Merdeka 2', npwp: '' };
		const name = await rejection(api.receipts.saveBillingProfile({ ...valid, name: 'PT Sinar Jaya 華僑 ✨' }));
		expect(name.trpcCode).toBe('BAD_REQUEST');
		expect(name.message).toBe(`name: ${m.txt15_receipt_name_unprintable({ characters: '華 僑 ✨' }, { locale: 'en' })}`);
		const address = await inLocale('id', () =>
			rejection(api.receipts.saveBillingProfile({ ...valid, address: 'Jl. Merdeka 2 🇮🇩' }))
		);
		expect(address.message).toBe(`address: ${m.txt15_billing_address_unprintable({ characters: '🇮🇩' }, { locale: 'id' })}`);
		expect(address.message).toContain('tidak dapat dicetak pada kwitansi');
		expect(await api.receipts.billingProfile()).toBeNull();
	});
});
