import { expect, test } from '@playwright/test';
import { scaled } from '../support/timeouts';
import { register, uniqueEmail, visit } from './helpers';

test('an app named in one long word fits a phone on every page that names it', async ({ page }) => {
	// 50 characters without a space (the longest name the form takes): it made pages up to
	// 790 px wide at 390 px (the subscription's and the app's page, the lists, the notices).
	const name = 'TokoSembakoMakmurJayaSentosaAbadiSelamanya12345678';
	await register(page, 'Wayan Sari', uniqueEmail('long-name'));
	await visit(page, '/catalog/vaultwarden');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const subscribe = page.getByRole('dialog', { name: 'Subscribe to Vaultwarden Free' });
	await subscribe.getByLabel('App name').fill(name);
	await subscribe.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	const subscriptionPath = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });
	const instancePath = new URL(page.url()).pathname;

	await page.setViewportSize({ width: 390, height: 844 });
	for (const path of [subscriptionPath, instancePath, '/subscriptions', '/instances', '/notifications']) {
		await visit(page, path);
		await expect(page.getByText(name).first()).toBeVisible();
		expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), path).toBeLessThanOrEqual(0);
	}
});

test('an app cancelled at the end of its period says on the dashboard when it ends', async ({ page }) => {
	await register(page, 'Wayan Sari', uniqueEmail('ends'));
	await visit(page, '/catalog/vaultwarden');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const subscribe = page.getByRole('dialog', { name: 'Subscribe to Vaultwarden Free' });
	await subscribe.getByLabel('App name').fill('Short lived');
	await subscribe.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	await page.getByRole('button', { name: 'Cancel at period end' }).click();
	await page.getByRole('dialog', { name: 'Cancel at period end?' }).getByRole('button', { name: 'Cancel at period end' }).click();
	// The card said only "Running": nothing told the app would go.
	await visit(page, '/instances');
	await expect(page.getByTestId('instance-ends')).toHaveText(/^Ends \d{1,2} [A-Z][a-z]{2} \d{4}$/);
});
