// Item 3 (and 5) of the hardening issue: registrations, top-ups and transfer proofs had no
// rate limits (100 registrations from one client in 13 s, 100 top-ups in 10 s, 30 proofs of
// Rp 10.000.000 while pending proofs were not counted against the balance cap), and parallel
// logins could take every core for password hashing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { rejection } from '../support/errors';
import { browser, callerIn } from '../support/callers';
import { PNG_BYTES } from '../support/files';
import { LIMITS } from '../../src/lib/server/rate-limit';
import { hashingLoad, hashPassword } from '../../src/lib/server/auth/passwords';
import { availableParallelism } from 'node:os';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({
		catalog: false,
		env: { MINISPOD_BALANCE_MAX: '25000000', MINISPOD_TOPUP_MAX: '10000000', MINISPOD_RATE_LIMIT_EXEMPT: '192.0.2.250' }
	});
});
afterAll(() => runtime?.close());

let counter = 0;
const address = () => `192.0.2.${++counter}`;

/** A customer's caller as seen from one address (the limits count by account and address). */
async function customerAt(from: string) {
	const user = await createUser(runtime);
	return { user, caller: await callerFor(runtime, user, { ipAddress: from }) };
}

function proof(amount: number) {
	const form = new FormData();
	form.set('amount', String(amount));
	form.set('file', new File([PNG_BYTES], 'proof.png', { type: 'image/png' }));
	return form;
}

describe('registration', () => {
	it('is limited per client address, whether the address is new or taken', async () => {
		const client = browser(address());
		const { points } = LIMITS['register:address'];
		const codes: string[] = [];
		for (let i = 0; i < points + 2; i++) {
			const email = i % 2 === 0 ? `new-${counter}-${i}@example.com` : `new-${counter}-${i - 1}@example.com`;
			const answer = (await callerIn(runtime, client)).auth
				.register({ name: 'Prober', email, password: 'prober passphrase 1234' })
				.then(() => 'OK')
				.catch((error: { cause?: { code?: string } }) => error.cause?.code ?? 'ERROR');
			codes.push(await answer);
		}
		// A taken address is answered like a new one.
		expect(codes.slice(0, points).every((code) => code === 'OK')).toBe(true);
		expect(codes.slice(points)).toEqual(['TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
		const other = await (
			await callerIn(runtime, browser(address()))
		).auth.register({
			name: 'Neighbour',
			email: `neighbour-${counter}@example.com`,
			password: 'prober passphrase 1234'
		});
		expect(other).toEqual({ checkEmail: true });
	});

	it('is not limited for an exempt address (a trusted proxy health check, the test runner)', async () => {
		const client = browser('192.0.2.250');
		for (let i = 0; i <= LIMITS['register:address'].points; i++) {
			await (
				await callerIn(runtime, client)
			).auth.register({
				name: 'Exempt',
				email: `exempt-${i}@example.com`,
				password: 'prober passphrase 1234'
			});
		}
	});
});

describe('top-ups', () => {
	it('are limited per account', async () => {
		const { caller } = await customerAt(address());
		const { points } = LIMITS['top-up:account'];
		for (let i = 0; i < points; i++) await caller.wallet.topUp({ amount: 10_000, method: 'QRIS' });
		const refused = await rejection(caller.wallet.topUp({ amount: 10_000, method: 'QRIS' }));
		expect(refused.code).toBe('TOO_MANY_ATTEMPTS');
		expect(refused.details.retryAfterSeconds).toBeGreaterThan(0);
	});
});

describe('transfer proofs', () => {
	it('count against the balance cap while pending', async () => {
		const { caller } = await customerAt(address());
		await caller.wallet.uploadProof(proof(10_000_000));
		await caller.wallet.uploadProof(proof(10_000_000));
		const refused = await rejection(caller.wallet.uploadProof(proof(10_000_000)));
		expect(refused.code).toBe('BAD_REQUEST');
		expect(refused.message).toMatch(/^amount: A wallet holds at most/);
	});

	it('are limited per account', async () => {
		const { caller } = await customerAt(address());
		for (let i = 0; i < LIMITS['proof-upload:account'].points; i++) await caller.wallet.uploadProof(proof(10_000));
		expect((await rejection(caller.wallet.uploadProof(proof(10_000)))).code).toBe('TOO_MANY_ATTEMPTS');
	});
});

describe('password hashing', () => {
	it('runs on at most one core less than the machine has, however many logins arrive', async () => {
		const bound = Math.max(1, availableParallelism() - 1);
		let most = 0;
		const sampler = setInterval(() => (most = Math.max(most, hashingLoad().active)), 1);
		await Promise.all(Array.from({ length: 12 }, (_, i) => hashPassword(`password-${i}`)));
		clearInterval(sampler);
		expect(most).toBeGreaterThan(0);
		expect(most).toBeLessThanOrEqual(bound);
		expect(hashingLoad()).toEqual({ active: 0, waiting: 0 });
	});
});
