import { expect, type Page } from '@playwright/test';

let counter = 0;

export function uniqueEmail(prefix = 'customer') {
	counter += 1;
	return `${prefix}-${Date.now()}-${counter}@example.com`;
}

export async function register(page: Page, name: string, email: string, password = 'correct horse battery') {
	await page.goto('/register');
	await page.getByLabel('Name').fill(name);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/catalog$/);
	await expect(page.getByTestId('current-user')).toHaveText(name);
}

export async function login(page: Page, email: string, password: string) {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
}

export async function logout(page: Page) {
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);
}
