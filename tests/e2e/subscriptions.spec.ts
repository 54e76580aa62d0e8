import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { login, logout, register, topUp, uniqueEmail, visit } from './helpers';

test('with too little credit a customer sees the shortfall and the way to top up', async ({ page }) => {
	await register(page, 'Rina Wati', uniqueEmail());
	await visit(page, '/catalog/ghost');
	await page.locator('[data-plan-type="BASIC"]').getByRole('button', { name: 'Subscribe to Basic' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Ghost Basic' });
	// What is missing, not a balance below zero.
	await expect(dialog.getByTestId('short-by')).toHaveText('Rp 59.000');
	await expect(dialog.getByTestId('balance-after')).toHaveCount(0);
	await expect(dialog.getByTestId('subscribe-summary')).not.toContainText('-Rp');
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
	// Nor does the button speak of paying.
	await expect(dialog.getByRole('button', { name: /pay/i })).toHaveCount(0);
	// A name the app cannot take is said beside it, and the button stays to send a better one.
	const appName = dialog.getByLabel('App name');
	await appName.fill('#Status board');
	await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(appName).toHaveAttribute('aria-invalid', 'true');
	await expect(appName).toHaveAccessibleDescription('Use letters, digits, spaces, dots, dashes and underscores');
	await expect(dialog.getByRole('button', { name: 'Confirm', exact: true })).toBeEnabled();
	// Edited, it is no longer the name refused; Enter sends it.
	await appName.fill('Status board');
	await expect(appName).not.toHaveAttribute('aria-invalid');
	await appName.press('Enter');

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

test('the forecast says what covering a whole day of renewals takes when two fall due on it', async ({ page }) => {
	await register(page, 'Sari Dewi', uniqueEmail('sameday'));
	await topUp(page, 'Rp 100.000');
	// Two apps bought a minute apart renew on the same day: Rp 59.000 + Rp 19.000 against Rp 22.000 left.
	for (const [slug, service, name] of [
		['ghost', 'Ghost', 'Shop blog'],
		['vaultwarden', 'Vaultwarden', 'Shop passwords']
	]) {
		await visit(page, `/catalog/${slug}`);
		await page.locator('[data-plan-type="BASIC"]').getByRole('button', { name: 'Subscribe to Basic' }).click();
		const dialog = page.getByRole('dialog', { name: `Subscribe to ${service} Basic` });
		await dialog.getByLabel('App name').fill(name);
		await dialog.getByRole('button', { name: 'Confirm and pay' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	}
	await visit(page, '/wallet');
	// Rp 37.000 would pay Ghost alone, and Vaultwarden would lapse a minute later: the day takes Rp 56.000.
	await expect(page.getByTestId('forecast-first-uncovered')).toHaveText(
		/^2 renewals are due on .+, Rp 78\.000 in all; Rp 56\.000 more would cover them all\.$/
	);
});

// Miniflux's plans: no other browser test uses them.
test('a sold-out plan offers its waitlist without a charge or a balance after, and says what joining means', async ({ page }) => {
	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin/quota');
	for (const [tier, name] of [
		['PREMIUM', 'Premium'],
		['PRO', 'Pro']
	]) {
		const row = page.getByTestId(`quota-row-miniflux-${tier}`);
		await row.getByRole('button', { name: 'Change total' }).click();
		await row.getByLabel(`Total slots for ${name}`).fill('0');
		await row.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('Saved: 0 slots available.')).toBeVisible();
		// Saved and shown: no slot of the plan is free.
		await expect(row.getByRole('button', { name: 'Change total' })).toBeVisible();
		await expect(row.getByRole('cell').nth(3)).toHaveText('0');
	}
	await logout(page);

	await register(page, 'Putri Ayu', uniqueEmail('waiting'));
	await visit(page, '/catalog/miniflux');
	await page.locator('[data-plan-type="PREMIUM"]').getByRole('button', { name: 'Sold out: join waitlist' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Miniflux Premium' });
	await expect(dialog.getByText('This plan is sold out right now.')).toBeVisible();
	await expect(dialog.getByTestId('waitlist-terms')).toHaveText(
		'Joining is free: nothing is charged now. When a slot frees up, we tell the next person in line, in the order people joined. The slot is not reserved: the notice lapses after 24 hours.'
	);
	// The price it will cost, but no balance as if it were paid now, nor "Slots left 0".
	const summary = dialog.getByTestId('subscribe-summary');
	await expect(summary).toContainText('Rp 75.000');
	await expect(summary).not.toContainText('Balance');
	await expect(summary).not.toContainText('Slots left');
	await expect(dialog.getByRole('button', { name: 'Confirm and pay' })).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Join the waitlist' }).click();
	await expect(dialog.getByText('You are on the waitlist.')).toBeVisible();
	await page.keyboard.press('Escape');
	// Opened again, the plan says they wait for it and where to see their place, not "join" again.
	await visit(page, '/catalog/miniflux');
	const waiting = page.locator('[data-plan-type="PREMIUM"]');
	await expect(waiting.getByTestId('plan-waitlisted')).toHaveText(/^You're on the waitlist ·/);
	await expect(waiting.getByRole('button', { name: 'Sold out: join waitlist' })).toHaveCount(0);

	// Upgrading to a sold-out plan offers the same waitlist: no charge, no "Slots left 0", no button
	// naming a payment.
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	await page
		.getByRole('dialog', { name: 'Subscribe to Miniflux Free' })
		.getByRole('button', { name: 'Confirm', exact: true })
		.click();
	await expect(page).toHaveURL(/\/subscriptions\/[0-9a-f-]{36}$/);
	await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
	const upgrade = page.getByRole('dialog', { name: 'Upgrade plan' });
	await expect(upgrade.getByRole('radio', { name: /^Pro Sold out/ })).toHaveCount(1);
	await upgrade.getByRole('radio', { name: /^Pro/ }).check();
	await expect(upgrade.getByTestId('upgrade-waitlist-terms')).toContainText('Joining is free: nothing is charged now.');
	await expect(upgrade.getByTestId('upgrade-quote')).not.toContainText('Slots left');
	await expect(upgrade.getByTestId('upgrade-charge')).toHaveCount(0);
	await expect(upgrade.getByRole('button', { name: /^Pay / })).toHaveCount(0);
	await upgrade.getByRole('button', { name: 'Join the waitlist' }).click();
	await expect(upgrade.getByText('You are on the waitlist.')).toBeVisible();

	// A plan they wait for already (Premium, joined from the catalog; Pro, just now) says so and
	// where to see their place, instead of offering to join again.
	await page.keyboard.press('Escape');
	await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
	for (const plan of ['Premium', 'Pro']) {
		await upgrade.getByRole('radio', { name: new RegExp(`^${plan} Sold out`) }).check();
		const waitlisted = upgrade.getByTestId('upgrade-waitlisted');
		await expect(waitlisted).toHaveText(/^You are already on the waitlist ·/);
		await expect(waitlisted.getByRole('link', { name: 'see your place' })).toHaveAttribute(
			'href',
			'/subscriptions#waitlist-heading'
		);
		await expect(upgrade.getByRole('button', { name: 'Join the waitlist' })).toHaveCount(0);
		await expect(upgrade.getByTestId('upgrade-charge')).toHaveCount(0);
	}
	await upgrade.getByTestId('upgrade-waitlisted').getByRole('link', { name: 'see your place' }).click();
	const waitlists = page.getByRole('region', { name: 'Waitlists' });
	await expect(waitlists.getByRole('link', { name: 'Miniflux Premium' })).toBeVisible();
	await expect(waitlists.getByRole('link', { name: 'Miniflux Pro' })).toBeVisible();
});

// Gotify's plans: no other browser test uses them.
test('an upgrade the credit does not cover says what is missing and how to top up, not a balance below zero', async ({
	page
}) => {
	await register(page, 'Gilang Ramadhan', uniqueEmail('upgrader'));
	await visit(page, '/catalog/gotify');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\/[0-9a-f-]{36}$/);
	await page.getByRole('button', { name: 'Upgrade', exact: true }).click();
	const dialog = page.getByRole('dialog', { name: 'Upgrade plan' });
	await dialog.getByRole('radio', { name: /^Basic/ }).check();
	const charge = dialog.getByTestId('upgrade-charge');
	await expect(charge).toHaveText(/^Rp [\d.]+$/);
	// With no credit, all of the charge is missing.
	await expect(dialog.getByTestId('upgrade-short-by')).toHaveText((await charge.textContent())!);
	await expect(dialog.getByTestId('upgrade-balance-after')).toHaveCount(0);
	await expect(dialog.getByTestId('upgrade-quote')).not.toContainText('-Rp');
	await expect(dialog.getByRole('link', { name: 'Top up' })).toHaveAttribute('href', /^\/wallet\?amount=\d+$/);
	// The refused upgrade's button names no payment.
	await expect(dialog.getByRole('button', { name: 'Upgrade', exact: true })).toBeDisabled();
	await expect(dialog.getByRole('button', { name: /^Pay / })).toHaveCount(0);
});
