// Item 6 of the hardening issue: other sessions stayed valid after a password change, and
// there was no way to end them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, createUser, type TestRuntime } from '../support/runtime';
import { rejection } from '../support/errors';
import { browser, callerIn } from '../support/callers';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

const PASSWORD = 'correct horse battery';

async function signedIn(email: string, from: string, password = PASSWORD) {
	const client = browser(from);
	await (await callerIn(runtime, client)).auth.login({ email, password });
	return client;
}

describe('sessions of an account', () => {
	it('are listed with browser, address and which one is the caller’s', async () => {
		const user = await createUser(runtime, { password: PASSWORD });
		const laptop = await signedIn(user.email, '203.0.113.10');
		await signedIn(user.email, '203.0.113.11');
		const listed = await (await callerIn(runtime, laptop)).auth.sessions();
		expect(listed).toHaveLength(2);
		expect(listed.filter((session) => session.current)).toEqual([
			expect.objectContaining({ ipAddress: '203.0.113.10', userAgent: 'Mozilla/5.0 (test)' })
		]);
		expect(JSON.stringify(listed)).not.toMatch(/[0-9a-f]{64}/);
	});

	it('end everywhere else on “log out other sessions”', async () => {
		const user = await createUser(runtime, { password: PASSWORD });
		const laptop = await signedIn(user.email, '203.0.113.20');
		const phone = await signedIn(user.email, '203.0.113.21');
		const tablet = await signedIn(user.email, '203.0.113.22');
		expect(await (await callerIn(runtime, laptop)).auth.logoutOthers()).toEqual({ endedSessions: 2 });
		expect(await (await callerIn(runtime, phone)).auth.me()).toBeNull();
		expect(await (await callerIn(runtime, tablet)).auth.me()).toBeNull();
		expect((await (await callerIn(runtime, laptop)).auth.me())?.id).toBe(user.id);
	});

	it('end everywhere else when the password changes, and the new password is the one that works', async () => {
		const user = await createUser(runtime, { password: PASSWORD });
		const laptop = await signedIn(user.email, '203.0.113.30');
		const stolen = await signedIn(user.email, '203.0.113.31');
		const changed = await (
			await callerIn(runtime, laptop)
		).auth.changePassword({
			currentPassword: PASSWORD,
			newPassword: 'a new long passphrase'
		});
		expect(changed).toEqual({ endedSessions: 1 });
		expect(await (await callerIn(runtime, stolen)).auth.me()).toBeNull();
		expect((await (await callerIn(runtime, laptop)).auth.me())?.id).toBe(user.id);
		expect(
			(await rejection((await callerIn(runtime, browser('203.0.113.32'))).auth.login({ email: user.email, password: PASSWORD })))
				.code
		).toBe('UNAUTHORIZED');
		await signedIn(user.email, '203.0.113.33', 'a new long passphrase');
	});

	it('a wrong current password changes nothing', async () => {
		const user = await createUser(runtime, { password: PASSWORD });
		const laptop = await signedIn(user.email, '203.0.113.40');
		const other = await signedIn(user.email, '203.0.113.41');
		const refused = await rejection(
			(await callerIn(runtime, laptop)).auth.changePassword({ currentPassword: 'not it', newPassword: 'a new long passphrase' })
		);
		expect(refused.message).toBe('currentPassword: This is not your current password.');
		expect((await (await callerIn(runtime, other)).auth.me())?.id).toBe(user.id);
	});
});
