// Item 8 of the hardening issue: a NUL byte (or any control character) in a text field gave a
// 500 whose message and log line carried the SQL statement with its parameters, a new
// account's password hash among them. Control characters are refused in one place, naming
// the field, before anything is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../src/lib/server/db/schema';
import { callerFor, createUser, newCustomer, startTestRuntime, type TestRuntime } from '../support/runtime';
import { memoryLogger } from '../support/log';
import { trpcCall } from '../support/http';
import { rejection } from '../support/errors';
import { planOf } from '../support/fixtures';
import { PNG_BYTES } from '../support/files';

const memory = memoryLogger();
let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ logger: memory.logger });
});
afterAll(() => runtime?.close());

describe('control characters in text input', () => {
	it('are refused at registration over HTTP, naming the field, storing and logging nothing', async () => {
		const answer = await trpcCall(runtime, 'auth.register', {
			name: 'Siti\u0000Rahma',
			email: 'siti-nul@example.com',
			password: 'rahasia-siti-1'
		});
		expect(answer.status).toBe(400);
		expect(answer.body.error!.json.message).toMatch(/^name: /);
		expect(answer.body.error!.json.data.field).toBe('name');
		expect(await runtime.db.select().from(users).where(eq(users.email, 'siti-nul@example.com'))).toEqual([]);
		expect(memory.text()).not.toMatch(/argon2|Failed query|params:/);
	});

	it('are refused in admin reasons, proof notes and searches, naming each field', async () => {
		const { api, user } = await newCustomer(runtime);
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const plan = await planOf(runtime.db, 'uptime-kuma', 'BASIC');
		const { subscriptionId } = await api.subscriptions.subscribe({ planId: plan.id });

		const cases: [string, Promise<unknown>][] = [
			['reason', admin.admin.subscriptions.suspend({ id: subscriptionId, reason: 'Abuse \u0000 report' })],
			['reason', admin.admin.wallet.adjust({ userId: user.id, direction: 'credit', amount: 1000, reason: 'Bonus\u0007!' })],
			['q', api.catalog.services({ q: 'blog\u0000' })],
			['q', admin.admin.subscriptions.list({ q: '\u001bsiti', page: 1, pageSize: 25 })],
			['q', admin.admin.users({ q: 'si\u0000ti' })],
			['name', api.subscriptions.subscribe({ planId: plan.id, name: 'My\napp' })]
		];
		const form = new FormData();
		form.set('amount', '50000');
		form.set('note', 'Sent from BCA\u0000');
		form.set('file', new File([PNG_BYTES], 'proof.png', { type: 'image/png' }));
		cases.push(['note', api.wallet.uploadProof(form)]);

		for (const [field, call] of cases) {
			const refused = await rejection(call);
			expect(refused.trpcCode, field).toBe('BAD_REQUEST');
			expect(refused.message, field).toMatch(new RegExp(`^${field}: `));
		}
	});

	it('leave line breaks alone where text is written in lines (reasons and notes)', async () => {
		const { user } = await newCustomer(runtime);
		const admin = await callerFor(runtime, await createUser(runtime, { role: 'ADMINISTRATOR' }));
		const adjusted = await admin.admin.wallet.adjust({
			userId: user.id,
			direction: 'credit',
			amount: 1000,
			reason: 'Goodwill credit\r\nafter the outage\tof May'
		});
		expect(adjusted.amount).toBe(1000);
	});
});
