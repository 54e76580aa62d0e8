import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

/** An address no other test uses, whichever worker it runs in. */
export function uniqueEmail(prefix = 'customer') {
	return `${prefix}-${randomUUID().slice(0, 13)}@example.com`;
}

/**
 * Waits until SvelteKit has hydrated the page: until then buttons that only work with
 * JavaScript (Log out, those that open a dialog) do nothing when clicked. SvelteKit's
 * router takes over scroll restoration when it starts, right after hydrating.
 */
export async function hydrated(page: Page) {
	await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/** Opens a page of MinisPod and waits until it is hydrated. */
export async function visit(page: Page, path: string) {
	const response = await page.goto(path);
	await hydrated(page);
	return response;
}

export async function register(page: Page, name: string, email: string, password = 'correct horse battery') {
	await visit(page, '/register');
	await page.getByLabel('Name').fill(name);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/catalog$/);
	await expect(page.getByTestId('current-user')).toHaveText(name);
}

export async function login(page: Page, email: string, password: string) {
	await visit(page, '/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
}

export async function logout(page: Page) {
	await hydrated(page);
	await page.getByRole('button', { name: 'Log out', exact: true }).click();
	await expect(page).toHaveURL(/\/login$/);
}

/** Opens the wallet of a customer with no credit and starts a bank-transfer top-up. */
export async function startTopUp(page: Page, bank: string, amount: string) {
	await visit(page, '/wallet');
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 0');
	await page.getByRole('button', { name: amount, exact: true }).click();
	await page.getByRole('radio', { name: /Bank transfer/ }).check();
	await page.getByRole('radio', { name: bank, exact: true }).check();
	await page.getByRole('button', { name: `Top up ${amount}` }).click();
	// The Midtrans simulator's hosted payment page, on its own loopback port.
	await expect(page.getByRole('heading', { name: 'Pay your order' })).toBeVisible();
	await expect(page.getByTestId('simulator-amount')).toHaveText(amount);
}

/** Tops up through the simulator's payment page and waits for the credit. */
export async function topUp(page: Page, amount: string) {
	await startTopUp(page, 'BCA', amount);
	await page.getByRole('button', { name: 'Continue' }).click();
	await page.getByRole('button', { name: `Pay ${amount}` }).click();
	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'COMPLETED');
}
