// Item 11 of the hardening issue: a proof amount of "0x2710" was read as 10.000 and "1e5" as
// 100.000 (the amount is now read as the form reads it, src/lib/amount.ts), and administrators could credit up to 1e12 per call past the balance cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, transactions } from '../../src/lib/server/db/schema';
import { callerFor, createUser, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { rejection } from '../support/errors';
import { PNG_BYTES } from '../support/files';
import { expectInvariants } from '../support/invariants';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false, env: { MINISPOD_BALANCE_MAX: '100000000' } });
});
afterAll(() => runtime?.close());

function proof(amount: string) {
	const form = new FormData();
	form.set('amount', amount);
	form.set('file', new File([PNG_BYTES], 'proof.png', { type: 'image/png' }));
	return form;
}

describe('a transfer proof’s amount', () => {
	it('is accepted only as decimal digits, grouped in thousands by dots or spaces as people write them', async () => {
		const user = await createUser(runtime);
		const api = await callerFor(runtime, user);
		for (const amount of [
			'0x2710',
			'1e5',
			'100000.00',
			'100,000',
			'100.000,50',
			'+100000',
			'-100000',
			'1_000_000',
			'Infinity',
			''
		]) {
			const refused = await rejection(api.wallet.uploadProof(proof(amount)));
			expect(refused.message, JSON.stringify(amount)).toMatch(/^amount: /);
		}
		expect(await runtime.db.select().from(transactions).where(eq(transactions.userId, user.id))).toEqual([]);
		for (const amount of ['100000', '100.000', ' 100000', 'Rp 100.000']) {
			const accepted = await api.wallet.uploadProof(proof(amount));
			expect(accepted.amount, JSON.stringify(amount)).toBe(100_000);
		}
	});
});

describe('an administrator’s credit', () => {
	it('stops at the balance cap unless explicitly overridden, and the override is audited', async () => {
		const admin = await createUser(runtime, { role: 'ADMINISTRATOR' });
		const api = await callerFor(runtime, admin);
		const customer = await createUser(runtime, { credit: 90_000_000 });

		for (const amount of [20_000_000, 1_000_000_000_000]) {
			const refused = await rejection(
				api.admin.wallet.adjust({ userId: customer.id, direction: 'credit', amount, reason: 'Goodwill credit' })
			);
			expect(refused.message).toMatch(/^amount: /);
		}
		expect((await reloadUser(runtime, customer.id)).creditBalance).toBe(90_000_000);

		const credited = await api.admin.wallet.adjust({
			userId: customer.id,
			direction: 'credit',
			amount: 20_000_000,
			reason: 'Enterprise prepayment agreed by contract',
			override: true
		});
		expect(credited.balanceAfter).toBe(110_000_000);
		const [entry] = await runtime.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.entityId, customer.id), eq(auditLog.action, 'wallet.adjustment.credit')));
		expect(entry.details).toMatchObject({ amount: 20_000_000, override: true });
		await expectInvariants(runtime.db);
	});

	it('within the cap needs no override', async () => {
		const api = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const customer = await createUser(runtime);
		const credited = await api.admin.wallet.adjust({
			userId: customer.id,
			direction: 'credit',
			amount: 50_000,
			reason: 'Goodwill'
		});
		expect(credited.balanceAfter).toBe(50_000);
	});
});
