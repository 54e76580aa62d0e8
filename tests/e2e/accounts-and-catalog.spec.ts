import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { login, logout, register, uniqueEmail, visit } from './helpers';

test('a visitor registers, logs out and back in, and sees who they are', async ({ page }) => {
	const email = uniqueEmail();
	await register(page, 'Putri Lestari', email);
	await visit(page, '/account');
	await expect(page.getByTestId('account-email')).toHaveText(email);
	await logout(page);

	await visit(page, '/catalog');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fcatalog/);
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Password').fill('wrong password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toHaveText('E-mail or password is incorrect.');
	await page.getByLabel('Password').fill('correct horse battery');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(/\/catalog$/);
	await expect(page.getByTestId('current-user')).toHaveText('Putri Lestari');
});

test('registration names the field that is wrong', async ({ page }) => {
	await visit(page, '/register');
	await page.getByLabel('Name').fill('Someone');
	await page.getByLabel('E-mail').fill('not-an-email');
	await page.getByLabel('Password').fill('correct horse battery');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByText('Enter a valid e-mail address').first()).toBeVisible();
	await expect(page).toHaveURL(/\/register$/);
});

test('a customer browses the catalog, searches, and compares the plans of an app', async ({ page }) => {
	await register(page, 'Agus Salim', uniqueEmail());

	await expect(page.getByTestId('featured-services').getByTestId('service-card').first()).toBeVisible();
	// Every seeded app (src/lib/server/seed: twenty-two).
	await expect(page.getByTestId('service-list').getByTestId('service-card')).toHaveCount(22);

	const categories = page.getByRole('navigation', { name: 'Categories' });
	await categories.getByRole('link', { name: /Developer Tools/ }).click();
	// Gitea, Forgejo and code-server, under what the category is for.
	await expect(page.getByTestId('service-list').getByTestId('service-card')).toHaveCount(3);
	await expect(page.getByTestId('category-description')).toHaveText('Code hosting and tools for software teams.');
	await expect(page.getByTestId('service-list')).toContainText('Gitea');

	await categories.getByRole('link', { name: /^All$/ }).click();
	// Searching before the page shows all apps would search Developer Tools only.
	await expect(page.getByRole('heading', { name: 'All apps' })).toBeVisible();
	await page.getByLabel('Search apps').fill('newsletter');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByRole('heading', { name: 'Results for “newsletter”' })).toBeVisible();
	const results = page.getByTestId('service-list').getByTestId('service-card');
	await expect(results).toHaveCount(1);
	await results.first().click();

	await expect(page.getByRole('heading', { level: 1, name: 'Ghost' })).toBeVisible();
	const plans = page.getByTestId('plan-card');
	await expect(plans).toHaveCount(4);
	const basic = page.locator('[data-plan-type="BASIC"]');
	await expect(basic.getByTestId('plan-price')).toHaveText('Rp 59.000');
	await expect(basic).toContainText('0.5 vCPU');
	await expect(basic).toContainText('512 MB RAM');
	await expect(basic).toContainText('4 GB');
	await expect(basic.getByTestId('plan-slots')).toHaveText(/40 slots available/);
	await expect(page.locator('[data-plan-type="FREE"]')).toContainText('Free');
	// Bandwidth with a thousands separator.
	await expect(page.locator('[data-plan-type="PREMIUM"]')).toContainText('2,000 GB/mo');
});

test('a customer is refused the admin panel; an administrator gets in', async ({ page }) => {
	await register(page, 'Not Admin', uniqueEmail());
	await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
	const response = await visit(page, '/admin');
	expect(response?.status()).toBe(403);
	await expect(page.getByText('The admin panel is for administrators only.')).toBeVisible();
	await logout(page);

	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin');
	await expect(page.getByRole('heading', { name: 'Admin' })).toBeVisible();
	await expect(page.getByTestId('admin-overview')).toContainText('Customers');
});

test("an app's page says what its settings are for, and fits a phone with long setting names", async ({ page }) => {
	await register(page, 'Rina Hartono', uniqueEmail());
	await visit(page, '/catalog/n8n');
	await expect(page.getByTestId('service-environment')).toContainText('N8N_ENCRYPTION_KEY Encrypts stored credentials');

	await page.setViewportSize({ width: 390, height: 900 });
	// Gitea's settings have the longest names (GITEA__server__ROOT_URL).
	await visit(page, '/catalog/gitea');
	await expect(page.getByTestId('service-environment')).toContainText('GITEA__server__ROOT_URL');
	expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});
