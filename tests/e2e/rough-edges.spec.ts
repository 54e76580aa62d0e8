// Rough edges found by trying MinisPod in a browser (issue 12): each test would have caught one.
import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { hydrated, login, register, startTopUp, topUp, uniqueEmail, visit } from './helpers';

test('a cancelled top-up reads Cancelled; opening a notification and Mark all as read clear the bell at once', async ({
	page
}) => {
	await register(page, 'Wulan Sari', uniqueEmail('bell'));
	await startTopUp(page, 'BCA', 'Rp 50.000');
	await page.getByRole('button', { name: 'Continue' }).click();
	await page.getByRole('link', { name: 'Back to the merchant' }).click();
	await hydrated(page);
	await page.getByRole('button', { name: 'Cancel top-up' }).click();
	await page.getByRole('dialog', { name: 'Cancel this top-up?' }).getByRole('button', { name: 'Cancel top-up' }).click();
	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'FAILED');

	await visit(page, '/wallet');
	await expect(page.getByTestId('transaction-row').getByTestId('transaction-status')).toHaveText('Cancelled');

	// Opening the notification reads it: the badge goes without a reload.
	await visit(page, '/notifications');
	const badge = page.getByTestId('unread-count').first();
	await expect(badge).toHaveText('1');
	await page.getByRole('link', { name: 'Top-up not completed' }).click();
	await expect(page).toHaveURL(/\/wallet\/transactions\//);
	await expect(page.getByTestId('transaction-status')).toHaveText('Cancelled');
	await expect(page.getByTestId('unread-count')).toHaveCount(0);

	await topUp(page, 'Rp 50.000');
	await visit(page, '/notifications');
	await expect(badge).toHaveText('1');
	await page.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(page.getByTestId('unread-count')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
});

test('top-up amounts are checked as typed, and each error is told once, without field names', async ({ page }) => {
	await visit(page, '/register');
	await page.getByLabel('Name').fill('Joko Susilo');
	await page.getByLabel('Email').fill(uniqueEmail('short'));
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByText('Use at least 8 characters')).toHaveCount(1);
	await expect(page.getByText(/password:/i)).toHaveCount(0);

	await register(page, 'Joko Susilo', uniqueEmail('amount'));
	await visit(page, '/wallet');
	const amount = page.getByLabel('Or enter an amount (Rp)');
	await amount.fill('5000');
	await expect(page.getByText('The smallest top-up is Rp 10.000')).toHaveCount(1);
	await expect(page.getByRole('button', { name: 'Top up Rp 5.000' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Top up', exact: true })).toBeDisabled();
	await amount.fill('10500');
	await expect(page.getByText('Top up in steps of Rp 1.000')).toHaveCount(1);
	await expect(page.getByRole('button', { name: 'Top up', exact: true })).toBeDisabled();
	await amount.fill('12000');
	await expect(page.getByRole('button', { name: 'Top up Rp 12.000' })).toBeEnabled();
	await expect(amount).not.toHaveAttribute('aria-invalid');
});

test('missing and forbidden pages keep the layout and a way back; an unknown category is a 404', async ({ page }) => {
	await register(page, 'Rudi Hartono', uniqueEmail('lost'));
	const missing = await page.goto('/no-such-page');
	expect(missing?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await expect(page.getByTestId('current-user')).toHaveText('Rudi Hartono');
	await page.getByRole('link', { name: 'Back to MinisPod' }).click();
	await expect(page).toHaveURL(/\/catalog$/);

	expect((await page.goto('/catalog?category=nope'))?.status()).toBe(404);
	await expect(page.getByTestId('error-page')).toBeVisible();

	expect((await page.goto('/admin'))?.status()).toBe(403);
	await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Back to MinisPod' })).toHaveAttribute('href', '/catalog');
});

test('an administrator lands on the admin panel after logging in', async ({ page }) => {
	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await expect(page).toHaveURL(/\/admin$/);
});
