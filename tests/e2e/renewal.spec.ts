import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { scaled } from '../support/timeouts';
import { login, register, topUp, uniqueEmail, visit } from './helpers';

test('a customer sees the forecast, then the past-due banner with the shortfall, tops up, and is active again', async ({
	page,
	browser
}) => {
	// Two payments and a month of billing work on the test clock: longer than one page flow.
	test.setTimeout(180_000);
	await register(page, 'Putri Lestari', uniqueEmail('renewal'));
	await topUp(page, 'Rp 100.000');
	await visit(page, '/catalog/ghost');
	await page.locator('[data-plan-type="BASIC"]').getByRole('button', { name: 'Subscribe to Basic' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Ghost Basic' });
	await dialog.getByLabel('App name').fill('Travel blog');
	await dialog.getByRole('button', { name: 'Confirm and pay' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Travel blog' })).toBeVisible();
	const subscriptionUrl = page.url();
	const renewsOn = (await page.getByTestId('next-billing').textContent())!.trim();

	// Rp 41.000 left does not cover the Rp 59.000 renewal: the headline names it as the one that
	// needs a top-up, not as the last one paid.
	const covered = `Your credit covers your renewals due before ${renewsOn}; the renewal on ${renewsOn} needs a top-up.`;
	await visit(page, '/wallet');
	await expect(page.getByTestId('forecast-covered')).toHaveText(covered);
	await expect(page.getByTestId('forecast-monthly')).toHaveText('Rp 59.000 per month for 1 subscription.');
	await visit(page, '/instances');
	await expect(page.getByTestId('forecast-covered')).toHaveText(covered);
	await expect(page.getByTestId('past-due-banner')).toHaveCount(0);

	// An administrator moves the billing clock a month on.
	const staff = await browser.newContext();
	const admin = await staff.newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(admin, '/admin/billing');
	await admin.getByLabel('Days to advance').fill('31');
	// It asks first, saying from when to when; cancelling moves nothing.
	await admin.getByRole('button', { name: 'Advance the clock' }).click();
	const confirm = admin.getByRole('dialog', { name: 'Advance the billing clock?' });
	const billingNow = (await admin.getByTestId('billing-now').textContent())!.trim();
	await expect(confirm).toContainText(`MinisPod's billing time moves from ${billingNow} to `);
	await confirm.getByRole('button', { name: 'Cancel' }).click();
	await expect(confirm).toHaveCount(0);
	await expect(admin.getByTestId('test-clock-result')).toHaveCount(0);
	await admin.getByRole('button', { name: 'Advance the clock' }).click();
	await confirm.getByRole('button', { name: 'Advance the clock' }).click();
	await expect(admin.getByTestId('test-clock-result')).toContainText('past due', { timeout: 60_000 });
	const pastDue = admin.getByTestId('billing-past-due').getByTestId('billing-row').filter({ hasText: 'Travel blog' });
	await expect(pastDue).toHaveCount(1);
	// A refused grace extension is told in its dialog below each input it names, not in a notice
	// apart from them (nor again on the page behind it).
	await pastDue.getByRole('button', { name: 'Extend grace' }).click();
	const grace = admin.getByRole('dialog', { name: /^Extend the grace period/ });
	await grace.getByLabel('Days').fill('61');
	await grace.getByRole('button', { name: 'Extend grace' }).click();
	await expect(grace.getByLabel('Days')).toHaveAccessibleDescription('Enter a whole number of days from 1 to 60');
	await expect(grace.getByLabel('Reason (shown to the customer)')).toHaveAccessibleDescription(
		'Give a reason of at least 5 characters'
	);
	await expect(admin.getByRole('alert')).toHaveCount(0);
	await grace.getByRole('button', { name: 'Cancel' }).click();
	await staff.close();

	// The customer still runs the app, and is told what is missing.
	await page.reload();
	const banner = page.getByTestId('past-due-banner');
	await expect(banner).toContainText('The renewal of Travel blog is unpaid.');
	await expect(banner.getByTestId('past-due-shortfall')).toHaveText('Rp 18.000');
	// The forecast beside it says the same: the renewal is owed now, not one to come.
	await expect(page.getByTestId('forecast-covered')).toHaveText(
		'Renewals of Rp 59.000 are past due and unpaid; your credit is Rp 18.000 short of them.'
	);
	await expect(page.getByTestId('forecast-first-uncovered')).toContainText('Travel blog next renews on ');
	await expect(page.getByTestId('forecast-first-uncovered')).toContainText(
		'Rp 77.000 more would cover it and the Rp 59.000 past due.'
	);
	// With the renewal unpaid there is no period left to cancel at: the page offers ending it now.
	await visit(page, subscriptionUrl);
	await expect(page.getByRole('button', { name: 'Terminate now' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Cancel at period end' })).toHaveCount(0);
	await expect(page.getByRole('switch', { name: 'Auto-renew' })).toHaveCount(0);
	// The wallet shows the banner too; its link pre-fills the form on the same page, over what
	// the form held before.
	await visit(page, '/wallet');
	const amount = page.getByLabel('Or enter an amount (Rp)');
	await expect(amount).toHaveValue('100000');
	await banner.getByRole('link', { name: 'Top up Rp 18.000' }).click();
	await expect(page).toHaveURL(/\/wallet\?amount=18000$/);
	await expect(amount).toHaveValue('18000');
	await page.getByRole('radio', { name: /Bank transfer/ }).check();
	await page.getByRole('radio', { name: 'BCA', exact: true }).check();
	await page.getByRole('button', { name: 'Top up Rp 18.000' }).click();
	await expect(page.getByRole('heading', { name: 'Pay your order' })).toBeVisible();
	await page.getByRole('button', { name: 'Continue' }).click();
	await page.getByRole('button', { name: 'Pay Rp 18.000' }).click();
	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'COMPLETED');

	// The credit retries the renewal at once, in a job: the page shows it once that job has run
	// (the subscription page has no live update, so it is loaded again until then).
	await expect(async () => {
		await visit(page, subscriptionUrl);
		await expect(page.getByTestId('subscription-status')).toHaveText('Active', { timeout: 1_000 });
	}).toPass({ timeout: scaled(30_000) });
	await expect(page.getByTestId('subscription-past-due')).toHaveCount(0);
	await visit(page, '/instances');
	await expect(page.getByTestId('past-due-banner')).toHaveCount(0);
	await visit(page, '/wallet');
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 0');
});
