import { expect, test } from '@playwright/test';
import {
	login,
	logout,
	mailLink,
	outboxText,
	register,
	submitRegistration,
	topUp,
	uniqueEmail,
	verifyEmail,
	visit
} from './helpers';

test('a customer who forgot the password resets it from the e-mailed link', async ({ page }) => {
	const email = uniqueEmail('reset');
	await register(page, 'Ratna Sari', email);
	await logout(page);

	await page.getByRole('link', { name: 'Forgot password?' }).click();
	await expect(page).toHaveURL(/\/forgot-password$/);
	await page.getByLabel('E-mail').fill(email);
	await page.getByRole('button', { name: 'Send reset link' }).click();
	await expect(page.getByTestId('reset-sent')).toContainText(email);

	const link = await mailLink(page, email, 'password-reset');
	// Administrators see the mail in the outbox without the link's token.
	const shown = await outboxText(page, email, 'password-reset');
	expect(shown).toContain('token=[hidden]');
	expect(shown).not.toContain(new URL(link, 'http://localhost').searchParams.get('token'));
	// A link that never was is said to be dead when it opens, before a password is typed.
	await visit(page, '/reset-password?token=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
	await expect(page.getByTestId('reset-link-dead')).toContainText('This link is invalid, has expired or was already used.');
	await expect(page.getByLabel('New password')).toHaveCount(0);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link cannot be used');
	// So is a token longer than any link carries (the check's input refuses it): not an error page.
	await visit(page, `/reset-password?token=${'A'.repeat(200)}`);
	await expect(page.getByTestId('reset-link-dead')).toContainText('This link is invalid, has expired or was already used.');
	// Opening the live link (and checking it) does not use it up.
	await visit(page, link);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
	await page.getByLabel('New password').fill('password123');
	await page.getByRole('button', { name: 'Set new password' }).click();
	await expect(page.getByText('This password is too easy to guess').first()).toBeVisible();
	await page.getByLabel('New password').fill('a fresh mango breakfast');
	await page.getByRole('button', { name: 'Set new password' }).click();
	await expect(page.getByTestId('reset-done')).toBeVisible();

	// The link works once: opened again, it is dead at once, with nothing to type, only a new link to ask for.
	await visit(page, link);
	await expect(page.getByRole('alert')).toContainText('already used');
	await expect(page.getByLabel('New password')).toHaveCount(0);
	await page.getByRole('link', { name: 'Ask for a new link' }).click();
	await expect(page).toHaveURL(/\/forgot-password$/);

	await login(page, email, 'a fresh mango breakfast');
	await expect(page.getByTestId('current-user')).toHaveText('Ratna Sari');
});

test('a new customer registers, verifies the address from the mail and then tops up', async ({ page }) => {
	const email = uniqueEmail('verify');
	await visit(page, '/register');
	const button = page.getByRole('button', { name: 'Create account' });
	const before = await button.boundingBox();
	await page.getByLabel('Password').fill('password1');
	await expect(page.getByTestId('password-strength')).toContainText('too easy to guess');
	// The meter arrives with its checker, later than the keystroke; it takes a place kept for
	// it, so the button does not move under a click (a click pressed on it and released
	// lower down clicks nothing).
	expect(await button.boundingBox()).toEqual(before);
	await submitRegistration(page, 'Teguh Wibowo', email, 'teguh likes rambutan');

	// Logging in before verifying is allowed; topping up is not.
	await login(page, email, 'teguh likes rambutan');
	await visit(page, '/wallet');
	await expect(page.getByTestId('verify-email-notice')).toContainText(email);
	await page.getByRole('button', { name: 'Top up Rp 100.000' }).click();
	const form = page.getByTestId('top-up-form');
	await expect(form.getByRole('alert')).toContainText('Verify your e-mail address before your first top-up');
	await form.getByRole('button', { name: 'Resend verification e-mail' }).click();
	await expect(form.getByText(`We sent a new link to ${email}`)).toBeVisible();

	await verifyEmail(page, email);
	await page.getByRole('link', { name: 'Go to your wallet' }).click();
	await expect(page.getByTestId('verify-email-notice')).toHaveCount(0);
	await topUp(page, 'Rp 50.000');
});

test('a customer changes name, and e-mail address once the link mailed to the new one is opened', async ({ page }) => {
	const email = uniqueEmail('rename');
	const newEmail = uniqueEmail('moved');
	await register(page, 'Dewi Kartika', email);
	await visit(page, '/account');

	const nameForm = page.getByTestId('name-form');
	await nameForm.getByLabel('Name').fill('Dewi Kartika Sari');
	await nameForm.getByRole('button', { name: 'Save name' }).click();
	await expect(page.getByTestId('account-name')).toHaveText('Dewi Kartika Sari');
	await expect(page.getByTestId('current-user')).toHaveText('Dewi Kartika Sari');

	const emailForm = page.getByTestId('email-change-form');
	const pending = page.getByTestId('email-change-pending');
	const requestChange = async () => {
		await emailForm.getByLabel('New e-mail address').fill(newEmail);
		await emailForm.getByLabel('Current password').fill('correct horse battery');
		await emailForm.getByRole('button', { name: 'Change e-mail address' }).click();
		await expect(pending.getByText(`We sent a link to ${newEmail}`)).toBeVisible();
	};
	await requestChange();
	await expect(page.getByTestId('account-email')).toHaveText(email);

	// The pending change outlives a reload, and can be cancelled.
	await page.reload();
	await expect(pending).toContainText(`Waiting for you to confirm your new address ${newEmail}`);
	await pending.getByRole('button', { name: 'Cancel the address change' }).click();
	await expect(page.getByText('The address change was cancelled')).toBeVisible();
	await expect(pending).toHaveCount(0);
	await page.reload();
	await expect(pending).toHaveCount(0);

	await requestChange();

	await visit(page, await mailLink(page, newEmail, 'email-change'));
	await page.getByRole('button', { name: 'Confirm e-mail address' }).click();
	await expect(page.getByTestId('email-confirmed')).toContainText(`now ${newEmail}`);
	await visit(page, '/account');
	await expect(page.getByTestId('account-email')).toHaveText(newEmail);
	await expect(page.getByTestId('email-verified')).toBeVisible();
});
