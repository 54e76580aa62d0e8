import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { login, logout, register, uniqueEmail, visit } from './helpers';

test('an administrator suspends a subscription and changes a plan total', async ({ page }) => {
	const email = uniqueEmail('managed');
	await register(page, 'Managed Customer', email);
	await visit(page, '/catalog/memos');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	const subscriptionPath = new URL(page.url()).pathname;
	await logout(page);

	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin/subscriptions');
	await page.getByRole('search').getByLabel('Customer').fill(email);
	await page.getByRole('button', { name: 'Filter' }).click();
	const row = page.getByTestId('admin-subscription-row');
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('Memos Free');
	// A refused extension is told in its dialog, which stays open, below each input it names
	// (not in a notice apart from them); then it goes through.
	await row.getByRole('button', { name: 'Extend' }).click();
	const extending = page.getByRole('dialog', { name: /^Extend Memos/ });
	await extending.getByLabel('Days').fill('400');
	await extending.getByRole('button', { name: 'Extend' }).click();
	await expect(extending.getByLabel('Days')).toHaveAccessibleDescription('Enter a whole number of days from 1 to 366');
	await expect(extending.getByLabel('Reason')).toHaveAccessibleDescription('Give a reason of at least 5 characters');
	await expect(extending.getByRole('alert')).toHaveCount(0);
	await extending.getByLabel('Days').fill('7');
	await extending.getByLabel('Reason').fill('Outage compensation');
	await extending.getByLabel('Reason').press('Enter');
	await expect(page.getByText('Extended by 7 days.')).toBeVisible();
	await expect(extending).toBeHidden();
	await row.getByRole('button', { name: 'Suspend' }).click();
	const dialog = page.getByRole('dialog', { name: /^Suspend Memos/ });
	await dialog.getByLabel('Reason (shown to the customer)').fill('Payment dispute under review');
	await dialog.getByRole('button', { name: 'Suspend' }).click();
	await expect(page.getByText('Suspended; the app is being stopped.')).toBeVisible();
	await expect(row).toContainText('Suspended');
	await expect(row.getByRole('button', { name: 'Resume' })).toBeVisible();
	// Billing lists the staff suspension too; reactivating it there keeps the period it has.
	await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Billing' }).click();
	const suspended = page.getByTestId('billing-suspended').getByTestId('billing-row').filter({ hasText: email });
	await suspended.getByRole('button', { name: 'Reactivate without charge' }).click();
	const reactivating = page.getByRole('dialog', { name: /^Reactivate Memos/ });
	await expect(reactivating.getByTestId('reactivate-text')).toHaveText(
		'This takes a slot of the plan again and starts the app, without a charge; a period that ended meanwhile is replaced by a fresh month from today.'
	);
	await reactivating.getByRole('button', { name: 'Cancel' }).click();
	await expect(reactivating).toBeHidden();

	await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Slots' }).click();
	const premium = page.getByTestId('quota-row-gitea-PREMIUM');
	await premium.getByRole('button', { name: 'Change total' }).click();
	// A refused total is told below its input, not above the tables.
	await premium.getByLabel('Total slots for Premium').fill('100001');
	await premium.getByRole('button', { name: 'Save' }).click();
	await expect(premium.getByLabel('Total slots for Premium')).toHaveAccessibleDescription(
		'Enter a whole number of slots from 0 to 100000'
	);
	await expect(page.getByRole('alert')).toHaveCount(0);
	// An emptied total is refused the same way, not saved as 0 slots (a sold-out plan).
	await premium.getByLabel('Total slots for Premium').fill('');
	await premium.getByRole('button', { name: 'Save' }).click();
	await expect(premium.getByLabel('Total slots for Premium')).toHaveAccessibleDescription(
		'Enter a whole number of slots from 0 to 100000'
	);
	await expect(page.getByText(/^Saved:/)).toHaveCount(0);
	await premium.getByLabel('Total slots for Premium').fill('12');
	await premium.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Saved: 12 slots available.')).toBeVisible();
	await expect(premium).toContainText('12');

	// The customer reads why on the subscription itself, not only in the notification.
	await logout(page);
	await login(page, email, 'correct horse battery');
	await visit(page, subscriptionPath);
	await expect(page.getByTestId('suspension-note')).toHaveText('Reason: Payment dispute under review');
});
