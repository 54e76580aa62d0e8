// Items 1 and 2 of the hardening issue: the login throttle held one at a time but not against
// parallel requests, and it was keyed by e-mail only, so strangers could lock the owner out
// and one client could try many accounts unslowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, createUser, type TestRuntime } from '../support/runtime';
import { settle } from '../support/fixtures';
import { rejection } from '../support/errors';
import { browser, callerIn } from '../support/callers';
import { LIMITS } from '../../src/lib/server/rate-limit';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

let counter = 0;
const address = () => `203.0.113.${++counter}`;
const PASSWORD = 'correct horse battery';

async function login(client: ReturnType<typeof browser>, email: string, password: string) {
	return (await callerIn(runtime, client)).auth.login({ email, password });
}

const codeOf = async (call: Promise<unknown>) => (await rejection(call)).code;

describe('parallel login attempts', () => {
	it('check no more passwords than the throttle allows, right one included', async () => {
		const user = await createUser(runtime, { password: PASSWORD });
		const attacker = browser(address());
		const guesses = [...Array.from({ length: 39 }, (_, i) => `wrong-guess-${i}`), PASSWORD];
		const { fulfilled, rejected } = await settle(guesses.map((guess) => login(attacker, user.email, guess)));
		const checked = fulfilled.length + rejected.filter((error) => error.code === 'UNAUTHORIZED').length;
		expect(checked).toBeLessThanOrEqual(LIMITS['login:pair'].points);
		expect(rejected.filter((error) => error.code === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(
			guesses.length - LIMITS['login:pair'].points
		);
	});
});

describe('strangers cannot lock the owner out', () => {
	it('failures from another address leave the owner’s address alone', async () => {
		const user = await createUser(runtime, { password: PASSWORD });
		const attacker = browser(address());
		for (let i = 0; i < 8; i++) await rejection(login(attacker, user.email, `wrong-${i}`));
		expect(await codeOf(login(attacker, user.email, PASSWORD))).toBe('TOO_MANY_ATTEMPTS');
		await expect(login(browser(address()), user.email, PASSWORD)).resolves.toMatchObject({ id: user.id });
	});

	it('a distributed guesser locks the account for new devices only; the owner’s known device logs in and lifts it', async () => {
		const user = await createUser(runtime, { password: PASSWORD });
		const laptop = browser(address());
		await login(laptop, user.email, PASSWORD);

		for (let i = 0; i <= LIMITS['login:account'].points; i++) {
			await rejection(login(browser(address()), user.email, `botnet-guess-${i}`));
		}
		expect(await codeOf(login(browser(address()), user.email, PASSWORD))).toBe('TOO_MANY_ATTEMPTS');

		await expect(login(laptop, user.email, PASSWORD)).resolves.toMatchObject({ id: user.id });
		// The lock is lifted for everyone once the owner has proven who they are.
		await expect(login(browser(address()), user.email, PASSWORD)).resolves.toMatchObject({ id: user.id });
	});

	it('a device known to another account does not pass this account’s lock', async () => {
		const owner = await createUser(runtime, { password: PASSWORD });
		const attacker = await createUser(runtime, { password: 'attacker-password' });
		const attackerBrowser = browser(address());
		await login(attackerBrowser, attacker.email, 'attacker-password');
		for (let i = 0; i <= LIMITS['login:account'].points; i++) {
			await rejection(login(browser(address()), owner.email, `botnet-guess-${i}`));
		}
		expect(await codeOf(login(attackerBrowser, owner.email, PASSWORD))).toBe('TOO_MANY_ATTEMPTS');
	});
});

describe('one client trying many accounts', () => {
	it('is refused once its budget of failures is spent, whatever the accounts', async () => {
		const client = browser(address());
		const accounts = await Promise.all(Array.from({ length: 15 }, () => createUser(runtime)));
		const codes: string[] = [];
		for (let round = 0; round < 4; round++) {
			for (const account of accounts) codes.push(await codeOf(login(client, account.email, `wrong-${round}`)));
		}
		const budget = LIMITS['login:address'].points;
		expect(codes.length).toBeGreaterThan(budget);
		expect(codes.filter((code) => code === 'UNAUTHORIZED').length).toBeLessThanOrEqual(budget);
		expect(codes.slice(budget)).toEqual(Array(codes.length - budget).fill('TOO_MANY_ATTEMPTS'));
	});
});
