// The account's own flows: password reset by e-mail, e-mail verification before the first
// top-up, changing name and address. Links are read from the outbox, as a person reads
// them from the mail; expiry is checked by giving the services a later clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { accountTokens, mailOutbox, sessions, users } from '../../src/lib/server/db/schema';
import { createCaller } from '../../src/lib/server/router';
import { confirmEmail, passwordResetLinkUsable, pendingEmailChange, resetPassword } from '../../src/lib/server/auth/account';
import { sessionIdFromToken } from '../../src/lib/server/auth/sessions';
import { deleteExpiredAccountTokens, issueAccountToken } from '../../src/lib/server/auth/account-tokens';
import { callerFor, createUser, reloadUser, startTestRuntime, type TestRuntime } from '../support/runtime';
import { expectError, rejection } from '../support/errors';
import { inLocale } from '../support/locale';
import { renderMail, type MailKind } from '../../src/lib/server/mail/templates';
import type { Locale } from '../../src/lib/statuses';

let runtime: TestRuntime;
beforeAll(async () => {
	runtime = await startTestRuntime({ catalog: false });
});
afterAll(() => runtime?.close());

const anonymous = (ipAddress = '198.51.100.20') => createCaller({ runtime, user: null, session: null, ipAddress });
const HOUR_MS = 3_600_000;

/** The token of the newest mail of a kind to an address, as its link carries it. */
async function linkToken(to: string, kind: string): Promise<string> {
	const [mail] = await runtime.db
		.select()
		.from(mailOutbox)
		.where(and(eq(mailOutbox.to, to), eq(mailOutbox.kind, kind)))
		.orderBy(desc(mailOutbox.createdAt))
		.limit(1);
	expect(mail, `a ${kind} mail to ${to}`).toBeTruthy();
	const link = (mail.data as { link: string }).link;
	return new URL(link, 'http://minispod.test').searchParams.get('token')!;
}

const mailsTo = async (to: string) =>
	(await runtime.db.select().from(mailOutbox).where(eq(mailOutbox.to, to))).map((mail) => mail.kind);

describe('password reset', () => {
	it('answers the same for an unknown address and mails only an existing one', async () => {
		const user = await createUser(runtime, { email: 'reset-known@example.com' });
		const known = await anonymous().auth.requestPasswordReset({ email: 'Reset-Known@example.com' });
		const unknown = await anonymous().auth.requestPasswordReset({ email: 'reset-nobody@example.com' });
		expect(unknown).toEqual(known);
		expect(await mailsTo(user.email)).toEqual(['password-reset']);
		expect(await mailsTo('reset-nobody@example.com')).toEqual([]);
		// Only the hash of the link's token is stored.
		const token = await linkToken(user.email, 'password-reset');
		const [row] = await runtime.db.select().from(accountTokens).where(eq(accountTokens.userId, user.id));
		expect(row.tokenHash).toBe(sessionIdFromToken(token));
		expect(JSON.stringify(row)).not.toContain(token);
	});

	it('sets the password once, ends the other sessions and lifts the login lock', async () => {
		const address = '198.51.100.31';
		const user = await createUser(runtime, { email: 'reset-once@example.com' });
		await callerFor(runtime, user);
		for (let i = 0; i < 5; i++) {
			await expectError(anonymous(address).auth.login({ email: user.email, password: `wrong-${i}` }), 'UNAUTHORIZED');
		}
		await expectError(
			anonymous(address).auth.login({ email: user.email, password: 'correct horse battery' }),
			'TOO_MANY_REQUESTS'
		);

		await anonymous(address).auth.requestPasswordReset({ email: user.email });
		const token = await linkToken(user.email, 'password-reset');
		const weak = await rejection(anonymous(address).auth.resetPassword({ token, password: 'password123' }));
		expect(weak.message).toMatch(/^password: This password is too easy to guess/);

		expect(await anonymous(address).auth.resetPassword({ token, password: 'a brand new passphrase' })).toEqual({
			endedSessions: 1
		});
		expect(await runtime.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
		await expect(anonymous(address).auth.login({ email: user.email, password: 'a brand new passphrase' })).resolves.toMatchObject(
			{
				id: user.id
			}
		);
		expect(await mailsTo(user.email)).toEqual(['password-reset', 'password-changed']);
		const again = await rejection(anonymous(address).auth.resetPassword({ token, password: 'yet another passphrase' }));
		expect(again.message).toMatch(/^token: This link is invalid, has expired or was already used/);
	});

	it('checks a link without using it, telling nothing more than holding it proves', async () => {
		const address = '198.51.100.32';
		const user = await createUser(runtime, { email: 'reset-check@example.com' });
		await anonymous(address).auth.requestPasswordReset({ email: user.email });
		const replaced = await linkToken(user.email, 'password-reset');
		await anonymous(address).auth.requestPasswordReset({ email: user.email });
		const token = await linkToken(user.email, 'password-reset');
		const usable = (link: string) => anonymous(address).auth.resetLinkUsable({ token: link });

		expect(await usable(token)).toEqual({ usable: true });
		expect(await usable(token)).toEqual({ usable: true });
		// A replaced link, one that never was and one past its hour read alike.
		expect(await usable(replaced)).toEqual({ usable: false });
		expect(await usable('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')).toEqual({ usable: false });
		expect(await passwordResetLinkUsable(runtime.db, token, new Date(Date.now() + HOUR_MS + 1000))).toEqual({ usable: false });
		// Checking did not use it: the reset goes through, and then the link is dead.
		await anonymous(address).auth.resetPassword({ token, password: 'a brand new passphrase' });
		expect(await usable(token)).toEqual({ usable: false });
	});

	it('refuses a link after an hour, by the clock the service is given', async () => {
		const user = await createUser(runtime, { email: 'reset-late@example.com' });
		await anonymous().auth.requestPasswordReset({ email: user.email });
		const token = await linkToken(user.email, 'password-reset');
		const late = new Date(Date.now() + HOUR_MS + 1000);
		await expect(
			resetPassword(runtime.db, { token, password: 'a brand new passphrase' }, { address: null }, late)
		).rejects.toThrow(/has expired/);
		const before = (await reloadUser(runtime, user.id)).passwordHash;
		const inTime = new Date(Date.now() + HOUR_MS - 60_000);
		await resetPassword(runtime.db, { token, password: 'a brand new passphrase' }, { address: null }, inTime);
		expect((await reloadUser(runtime, user.id)).passwordHash).not.toBe(before);
	});

	it('forgets links a day after they expired', async () => {
		const user = await createUser(runtime);
		const issue = (at: Date) =>
			issueAccountToken(runtime.db, { userId: user.id, purpose: 'EMAIL_CHANGE', email: `${at.getTime()}@example.com` }, at);
		await issue(new Date(Date.now() - 3 * 24 * HOUR_MS));
		const old = await runtime.db.select().from(accountTokens).where(eq(accountTokens.userId, user.id));
		await runtime.db.update(accountTokens).set({ usedAt: new Date() }).where(eq(accountTokens.userId, user.id));
		await issue(new Date());
		await deleteExpiredAccountTokens(runtime.db);
		const left = await runtime.db.select().from(accountTokens).where(eq(accountTokens.userId, user.id));
		expect(left).toHaveLength(1);
		expect(left[0].tokenHash).not.toBe(old[0].tokenHash);
	});

	it('is rate limited per address being reset', async () => {
		const user = await createUser(runtime, { email: 'reset-often@example.com' });
		for (let i = 0; i < 3; i++) await anonymous(`198.51.100.${40 + i}`).auth.requestPasswordReset({ email: user.email });
		await expectError(anonymous('198.51.100.50').auth.requestPasswordReset({ email: user.email }), 'TOO_MANY_REQUESTS');
	});
});

describe('the language of account mails', () => {
	/** The newest mail of a kind to an address, as the outbox renders it. */
	async function newestMail(to: string, kind: MailKind) {
		const [mail] = await runtime.db
			.select()
			.from(mailOutbox)
			.where(and(eq(mailOutbox.to, to), eq(mailOutbox.kind, kind)))
			.orderBy(desc(mailOutbox.createdAt))
			.limit(1);
		const { locale } = mail.data as { locale?: Locale };
		return { locale, subject: renderMail(kind, mail.data as never, { origin: 'http://minispod.test', locale }).subject };
	}

	it('is the account’s own language, whatever the request’s', async () => {
		const user = await createUser(runtime, { email: 'mail-language-en@example.com' });
		await runtime.db.update(users).set({ locale: 'en' }).where(eq(users.id, user.id));
		await inLocale('id', () => anonymous().auth.requestPasswordReset({ email: user.email }));
		expect(await newestMail(user.email, 'password-reset')).toEqual({ locale: 'en', subject: 'Reset your MinisPod password' });
		await inLocale('id', () =>
			anonymous().auth.register({ name: 'Someone Else', email: user.email, password: 'someone-else-2026' })
		);
		expect((await newestMail(user.email, 'register-existing')).locale).toBe('en');
	});

	it('is the request’s language before the account has one, Indonesian outside a request', async () => {
		await inLocale('en', () =>
			anonymous().auth.register({ name: 'Maya English', email: 'mail-language-new@example.com', password: 'maya-english-2026' })
		);
		expect(await newestMail('mail-language-new@example.com', 'verify-email')).toEqual({
			locale: 'en',
			subject: 'Verify your e-mail address'
		});
		const user = await createUser(runtime, { email: 'mail-language-none@example.com' });
		await inLocale('en', () => anonymous().auth.requestPasswordReset({ email: user.email }));
		expect((await newestMail(user.email, 'password-reset')).locale).toBe('en');
		await anonymous('198.51.100.21').auth.requestPasswordReset({ email: user.email });
		expect(await newestMail(user.email, 'password-reset')).toEqual({
			locale: 'id',
			subject: 'Atur ulang kata sandi MinisPod Anda'
		});
	});
});

describe('e-mail verification', () => {
	it('is needed before the first top-up, and the mailed link gives it', async () => {
		await anonymous().auth.register({ name: 'Rina Verified', email: 'rina-verify@example.com', password: 'rina-verify-2026' });
		const [row] = await runtime.db.select().from(users).where(eq(users.email, 'rina-verify@example.com'));
		const caller = await callerFor(runtime, row);
		expect((await caller.auth.me())?.emailVerified).toBe(false);
		const refused = await rejection(caller.wallet.topUp({ amount: 10_000, method: 'QRIS' }));
		expect(refused.code).toBe('EMAIL_NOT_VERIFIED');
		expect(refused.trpcCode).toBe('FORBIDDEN');

		// A resent link replaces the first one.
		const first = await linkToken(row.email, 'verify-email');
		await caller.auth.resendVerification();
		const second = await linkToken(row.email, 'verify-email');
		await expectError(anonymous().auth.confirmEmail({ token: first }), 'BAD_REQUEST');
		expect(await anonymous().auth.confirmEmail({ token: second })).toEqual({ email: row.email, changed: false });
		await expectError(anonymous().auth.confirmEmail({ token: second }), 'BAD_REQUEST');

		const verified = await callerFor(runtime, await reloadUser(runtime, row.id));
		expect((await verified.auth.me())?.emailVerified).toBe(true);
		await expect(verified.wallet.topUp({ amount: 10_000, method: 'QRIS' })).resolves.toMatchObject({
			orderId: expect.any(String)
		});
		await expectError(verified.auth.resendVerification(), 'CONFLICT');
	});

	it('lets an unverified account log in', async () => {
		await anonymous().auth.register({ name: 'Early Bird', email: 'early@example.com', password: 'early-bird-2026' });
		await expect(anonymous().auth.login({ email: 'early@example.com', password: 'early-bird-2026' })).resolves.toMatchObject({
			emailVerified: false
		});
	});
});

describe('name and e-mail address', () => {
	it('changes the name', async () => {
		const user = await createUser(runtime);
		const caller = await callerFor(runtime, user);
		expect(await caller.auth.changeName({ name: '  Dewi Lestari ' })).toMatchObject({ name: 'Dewi Lestari' });
		expect((await reloadUser(runtime, user.id)).name).toBe('Dewi Lestari');
		await expectError(caller.auth.changeName({ name: ' ' }), 'BAD_REQUEST');
	});

	it('moves to a new address only when the link mailed there is opened, and tells the old one', async () => {
		const user = await createUser(runtime, { email: 'old-address@example.com' });
		const caller = await callerFor(runtime, user);
		const wrong = await rejection(caller.auth.requestEmailChange({ email: 'new-address@example.com', currentPassword: 'nope' }));
		expect(wrong.message).toMatch(/^currentPassword:/);
		expect(
			await caller.auth.requestEmailChange({ email: 'New-Address@example.com', currentPassword: 'correct horse battery' })
		).toEqual({ pendingEmail: 'new-address@example.com' });
		expect((await reloadUser(runtime, user.id)).email).toBe('old-address@example.com');
		const token = await linkToken('new-address@example.com', 'email-change');

		expect(await anonymous().auth.confirmEmail({ token })).toEqual({ email: 'new-address@example.com', changed: true });
		const moved = await reloadUser(runtime, user.id);
		expect(moved.email).toBe('new-address@example.com');
		expect(moved.emailVerifiedAt).not.toBeNull();
		expect(await mailsTo('old-address@example.com')).toEqual(['email-changed']);
		await expectError(anonymous().auth.confirmEmail({ token }), 'BAD_REQUEST');
	});

	it('answers the same for an address that has an account, tells its owner, and changes nothing', async () => {
		const user = await createUser(runtime, { email: 'mover@example.com' });
		const owner = await createUser(runtime, { email: 'owned-address@example.com' });
		await runtime.db.update(users).set({ locale: 'en' }).where(eq(users.id, owner.id));
		const caller = await callerFor(runtime, user);
		const password = 'correct horse battery';
		const taken = await caller.auth.requestEmailChange({ email: 'Owned-Address@example.com', currentPassword: password });
		expect(taken).toEqual({ pendingEmail: owner.email });
		const free = await caller.auth.requestEmailChange({ email: 'free-address@example.com', currentPassword: password });
		expect(Object.keys(free)).toEqual(Object.keys(taken));

		// The owner hears of it in their language; no link goes to their address.
		expect(await mailsTo(owner.email)).toEqual(['email-change-existing']);
		const [notice] = await runtime.db.select().from(mailOutbox).where(eq(mailOutbox.to, owner.email));
		expect(notice.data).toMatchObject({ name: owner.name, locale: 'en' });
		expect(JSON.stringify(notice.data)).not.toContain('token');
		expect(await mailsTo('free-address@example.com')).toEqual(['email-change']);
		expect(await mailsTo(user.email)).toEqual([]);
		expect((await reloadUser(runtime, user.id)).email).toBe(user.email);
		expect((await reloadUser(runtime, owner.id)).email).toBe(owner.email);
	});

	it('refuses the link when its address got an account meanwhile, clearly', async () => {
		const user = await createUser(runtime, { email: 'racer@example.com' });
		const caller = await callerFor(runtime, user);
		await caller.auth.requestEmailChange({ email: 'contested@example.com', currentPassword: 'correct horse battery' });
		const token = await linkToken('contested@example.com', 'email-change');
		await createUser(runtime, { email: 'contested@example.com' });
		const refused = await rejection(anonymous().auth.confirmEmail({ token }));
		expect(refused.message).toBe(
			"email: This address now belongs to another account, so your account's address was not changed."
		);
		expect((await reloadUser(runtime, user.id)).email).toBe(user.email);
		expect(await mailsTo(user.email)).toEqual([]);
	});

	it('shows the pending change after a reload, without its link, until it is confirmed or cancelled', async () => {
		const user = await createUser(runtime);
		const caller = await callerFor(runtime, user);
		expect(await caller.auth.pendingEmailChange()).toBeNull();
		await caller.auth.requestEmailChange({ email: 'Pending-One@example.com', currentPassword: 'correct horse battery' });
		const pending = await caller.auth.pendingEmailChange();
		expect(pending).toEqual({ email: 'pending-one@example.com', expiresAt: expect.any(Date) });
		expect(Object.keys(pending!)).toEqual(['email', 'expiresAt']);
		// Another account sees nothing of it.
		expect(await (await callerFor(runtime, await createUser(runtime))).auth.pendingEmailChange()).toBeNull();

		// A second request replaces the first; cancelling stops its link.
		await caller.auth.requestEmailChange({ email: 'pending-two@example.com', currentPassword: 'correct horse battery' });
		expect((await caller.auth.pendingEmailChange())?.email).toBe('pending-two@example.com');
		const token = await linkToken('pending-two@example.com', 'email-change');
		expect(await caller.auth.cancelEmailChange()).toEqual({ cancelled: true });
		expect(await caller.auth.pendingEmailChange()).toBeNull();
		await expectError(anonymous().auth.confirmEmail({ token }), 'BAD_REQUEST');
		expect((await reloadUser(runtime, user.id)).email).toBe(user.email);
		expect(await caller.auth.cancelEmailChange()).toEqual({ cancelled: false });

		// A confirmed change is no longer pending; nor is an expired one.
		await caller.auth.requestEmailChange({ email: 'pending-three@example.com', currentPassword: 'correct horse battery' });
		expect(await pendingEmailChange(runtime.db, user.id, new Date(Date.now() + 25 * HOUR_MS))).toBeNull();
		await anonymous().auth.confirmEmail({ token: await linkToken('pending-three@example.com', 'email-change') });
		expect(await caller.auth.pendingEmailChange()).toBeNull();
	});

	it('refuses a change link after a day', async () => {
		const user = await createUser(runtime);
		const caller = await callerFor(runtime, user);
		await caller.auth.requestEmailChange({ email: 'slow-mover@example.com', currentPassword: 'correct horse battery' });
		const token = await linkToken('slow-mover@example.com', 'email-change');
		await expect(confirmEmail(runtime.db, token, new Date(Date.now() + 25 * HOUR_MS))).rejects.toThrow(/has expired/);
		expect((await reloadUser(runtime, user.id)).email).toBe(user.email);
	});

	it('tells the account’s address, in its language, that the password was changed', async () => {
		const user = await createUser(runtime, { name: 'Budi Santoso' });
		const caller = await callerFor(runtime, user);
		await expectError(
			caller.auth.changePassword({ currentPassword: 'wrong', newPassword: 'a fresh long passphrase' }),
			'BAD_REQUEST'
		);
		expect(await mailsTo(user.email)).toEqual([]);

		await inLocale('en', () =>
			caller.auth.changePassword({ currentPassword: 'correct horse battery', newPassword: 'a fresh long passphrase' })
		);
		await runtime.db.update(users).set({ locale: 'id' }).where(eq(users.id, user.id));
		await caller.auth.changePassword({ currentPassword: 'a fresh long passphrase', newPassword: 'another fresh passphrase' });
		const notices = await runtime.db.select().from(mailOutbox).where(eq(mailOutbox.to, user.email)).orderBy(mailOutbox.createdAt);
		expect(notices.map((mail) => [mail.kind, (mail.data as { locale: Locale }).locale, mail.essential])).toEqual([
			['password-changed', 'en', true],
			['password-changed', 'id', true]
		]);
		const rendered = renderMail('password-changed', notices[1].data as never, { origin: 'http://minispod.test', locale: 'id' });
		expect(rendered.subject).toBe('Kata sandi MinisPod Anda diubah');
		expect(rendered.text).toContain('Halo Budi Santoso');
	});

	it('refuses a guessable new password', async () => {
		const user = await createUser(runtime, { name: 'Agus Salim' });
		const caller = await callerFor(runtime, user);
		const weak = await rejection(
			caller.auth.changePassword({ currentPassword: 'correct horse battery', newPassword: 'agussalim123' })
		);
		expect(weak.message).toMatch(/^newPassword: This password is too easy to guess/);
	});
});
