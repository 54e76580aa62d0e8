import { expect, test } from '@playwright/test';
import { register, topUp, uniqueEmail, visit } from './helpers';

test('with too little credit a customer sees the shortfall and the way to top up', async ({ page }) => {
	await register(page, 'Rina Wati', uniqueEmail());
	await visit(page, '/catalog/ghost');
	await page.locator('[data-plan-type="BASIC"]').getByRole('button', { name: 'Subscribe to Basic' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Ghost Basic' });
	await expect(dialog.getByTestId('balance-after')).toHaveText('-Rp 59.000');
	await expect(dialog.getByTestId('shortfall')).toHaveText('You need Rp 59.000 more credit for this plan.');
	const topUp = dialog.getByRole('link', { name: 'Top up Rp 59.000' });
	// The top-up remembers the plan, so the payment page can bring the customer back to it.
	await expect(topUp).toHaveAttribute('href', /^\/wallet\?amount=59000&plan=[0-9a-f-]{36}&app=ghost$/);
	await expect(dialog.getByRole('button', { name: 'Confirm and pay' })).toHaveCount(0);
	await topUp.click();
	await expect(page).toHaveURL(/\/wallet\?amount=59000&plan=[0-9a-f-]{36}&app=ghost$/);
	await expect(page.getByLabel('Or enter an amount (Rp)')).toHaveValue('59000');
});

test('a customer subscribes to a free plan and finds it in My subscriptions', async ({ page }) => {
	await register(page, 'Bayu Aji', uniqueEmail());
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Uptime Kuma Free' });
	// Nothing is charged, so no balance is shown.
	await expect(dialog.getByTestId('subscribe-summary')).toContainText('Free');
	await expect(dialog.getByText('Balance after')).toHaveCount(0);
	await dialog.getByLabel('App name').fill('Status board');
	// Nor does the button speak of paying.
	await expect(dialog.getByRole('button', { name: /pay/i })).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();

	await expect(page).toHaveURL(/\/subscriptions\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Status board' })).toBeVisible();
	await expect(page.getByTestId('subscription-status')).toHaveText('Active');
	// It renews without a charge, so the page does not speak of paying from the credit.
	await expect(page.getByText('Renews from your credit each month')).toHaveCount(0);
	await expect(page.getByTestId('auto-renew-note')).toHaveText(
		'Renews each month at no cost: nothing is taken from your credit.'
	);

	await page.getByRole('link', { name: 'My subscriptions' }).first().click();
	const row = page.getByTestId('live-subscriptions').getByTestId('subscription-row');
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('Status board');
	await expect(row).toContainText('Uptime Kuma · Free');

	// A free renewal is nothing for the credit to cover: the wallet says it costs nothing, and
	// the dashboard, with no renewal to pay, shows no forecast.
	await visit(page, '/wallet');
	await expect(page.getByTestId('forecast-free')).toHaveText('Your free subscription renews at no cost.');
	await expect(page.getByTestId('forecast-covered')).toHaveCount(0);
	await expect(page.getByTestId('forecast-monthly')).toHaveCount(0);
	await visit(page, '/instances');
	await expect(page.getByTestId('instance-card')).toHaveCount(1);
	await expect(page.getByTestId('credit-forecast')).toHaveCount(0);

	// Subscribing again to the same app points at the upgrade instead.
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="BASIC"]').getByRole('button', { name: 'Subscribe to Basic' }).click();
	await expect(page.getByRole('link', { name: 'Upgrade my subscription' })).toBeVisible();
});

// Not Ghost's Basic plan: the catalog test counts its free slots, and the tests run in parallel.
test('with enough credit a customer subscribes to a paid plan and sees it in My subscriptions', async ({ page }) => {
	await register(page, 'Dimas Anggara', uniqueEmail('subscriber'));
	await topUp(page, 'Rp 100.000');

	await visit(page, '/catalog/vaultwarden');
	await page.locator('[data-plan-type="BASIC"]').getByRole('button', { name: 'Subscribe to Basic' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Vaultwarden Basic' });
	await expect(dialog.getByTestId('balance-after')).toHaveText('Rp 81.000');
	await dialog.getByLabel('App name').fill('Team passwords');
	await dialog.getByRole('button', { name: 'Confirm and pay' }).click();

	await expect(page).toHaveURL(/\/subscriptions\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Team passwords' })).toBeVisible();
	await expect(page.getByText('Rp 19.000 per month')).toBeVisible();
	await expect(page.getByTestId('auto-renew-note')).toContainText('Renews from your credit each month');
	await page.getByRole('link', { name: 'My subscriptions' }).first().click();
	const row = page.getByTestId('live-subscriptions').getByTestId('subscription-row');
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('Team passwords');
	await expect(row).toContainText('Vaultwarden · Basic · Rp 19.000/month');

	await page.getByRole('link', { name: 'Wallet' }).first().click();
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 81.000');
});
