// Refusals and field checks read in the language of the request that caused them: Indonesian
// for a request in Indonesian, English for one in English (and outside any request, as the
// other tests see them). One refusal each from the wallet, the catalog editor and an admin
// input check, through the tRPC caller as a request in that language runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { User } from '../../src/lib/server/db/schema';
import { inLocale } from '../../src/lib/server/i18n';
import type { Locale } from '../../src/lib/statuses';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { rejection } from '../support/errors';
import { expectInvariants } from '../support/invariants';

let runtime: TestRuntime;
let admin: User;
beforeAll(async () => {
	runtime = await startTestRuntime();
	admin = await createUser(runtime, { role: 'ADMINISTRATOR', email: `ops-${randomUUID().slice(0, 6)}@minispod.test` });
});
afterAll(async () => {
	await expectInvariants(runtime.db);
	await runtime?.close();
});

type Api = Awaited<ReturnType<typeof callerFor>>;

/** The refusal of `call` made in a request in `locale`, with the language the server says it wrote. */
async function refusedIn(locale: Locale, call: (api: Api) => Promise<unknown>) {
	const api = await callerFor(runtime, admin);
	return inLocale(locale, 'http://127.0.0.1', () => rejection(call(api)));
}

describe('refusals in the request language', () => {
	it('a wallet refusal: a debit below zero', async () => {
		const user = await createUser(runtime, { credit: 40_000 });
		const debit = (api: Api) =>
			api.admin.wallet.adjust({ userId: user.id, direction: 'debit', amount: 40_001, reason: 'Reverse a duplicate credit' });
		const indonesian = await refusedIn('id', debit);
		expect(indonesian.code).toBe('INSUFFICIENT_CREDIT');
		expect(indonesian.message).toBe('amount: Debit ini membuat saldo di bawah nol; saldo pelanggan Rp 40.000.');
		expect((await refusedIn('en', debit)).message).toBe(
			'amount: This debit would take the balance below zero; the customer has Rp 40.000.'
		);
	});

	it('a catalog editor refusal: a category order that leaves one out', async () => {
		const reorder = (api: Api) => api.admin.catalog.reorderCategories({ ids: [randomUUID()] });
		const indonesian = await refusedIn('id', reorder);
		expect(indonesian.code).toBe('BAD_REQUEST');
		expect(indonesian.message).toBe('ids: Sebutkan setiap kategori tepat satu kali.');
		expect((await refusedIn('en', reorder)).message).toBe('ids: List every category exactly once.');
	});

	it('a catalog editor field check: a category without a slug', async () => {
		const create = (api: Api) => api.admin.catalog.createCategory({ name: 'Tools', slug: '' });
		expect((await refusedIn('id', create)).message).toBe('slug: Isi slug: nama yang dipakai di alamat katalog');
		expect((await refusedIn('en', create)).message).toBe('slug: Enter a slug: the name used in the catalog address');
	});

	it('an admin field check: a plan with too little CPU', async () => {
		// The input is checked before any plan is looked up.
		const update = (api: Api) => api.admin.catalog.updatePlan({ id: randomUUID(), plan: { cpuMilli: 5 } });
		expect((await refusedIn('id', update)).message).toBe(
			'plan.cpuMilli: Isi CPU dengan bilangan bulat milicore dari 10 sampai 64000'
		);
		expect((await refusedIn('en', update)).message).toBe(
			'plan.cpuMilli: Enter the CPU as a whole number of millicores from 10 to 64000'
		);
	});

	it('an account refusal: an administrator blocking their own account', async () => {
		const blockSelf = (api: Api) => api.admin.customers.block({ userId: admin.id, reason: 'Testing the refusal' });
		expect((await refusedIn('id', blockSelf)).message).toBe('Anda tidak dapat memblokir akun Anda sendiri.');
		expect((await refusedIn('en', blockSelf)).message).toBe('You cannot block your own account.');
	});
});
