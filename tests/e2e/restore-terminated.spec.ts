import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { scaled } from '../support/timeouts';
import { login, logout, register, uniqueEmail, visit } from './helpers';

test('an administrator restores a terminated app from the subscriptions page after confirming with a reason', async ({
	page
}) => {
	const email = uniqueEmail('restored');
	await register(page, 'Sari Wulandari', email);
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });
	await logout(page);

	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	const filtered = `/admin/subscriptions?q=${encodeURIComponent(email)}`;
	await visit(page, filtered);
	const row = page.getByTestId('admin-subscription-row');
	await expect(row).toHaveCount(1);
	await row.getByRole('button', { name: 'Terminate' }).click();
	const terminate = page.getByRole('dialog', { name: /^Terminate Uptime Kuma/ });
	await terminate.getByLabel('Reason').fill('Asked by the customer');
	// The customer's address is what to type: the word names whose app goes, in any language.
	await terminate.getByLabel(/Type/).fill(email);
	await terminate.getByRole('button', { name: 'Terminate' }).click();
	await expect(row).toContainText('Cancelled');

	// Once the app is gone and its termination backup is ready, the row offers the restore:
	// the page follows the termination, without a reload.
	const restore = row.getByRole('button', { name: 'Restore terminated app' });
	await expect(restore).toBeVisible({ timeout: scaled(60_000) });
	await restore.click();
	const dialog = page.getByRole('dialog', { name: 'Restore Uptime Kuma for Sari Wulandari' });
	await expect(dialog).toContainText('granted subscription on the same plan');
	await dialog.getByRole('button', { name: 'Restore' }).click();
	// The reason is required: refused, and the dialog says why.
	await expect(dialog).toContainText('at least 5 characters');
	await dialog.getByLabel('Reason (kept in the audit log)').fill('Terminated by mistake');
	await dialog.getByRole('button', { name: 'Restore' }).click();
	await expect(page.getByText('The app is being restored; the customer is told when it runs.')).toBeVisible();
	const rows = page.getByTestId('admin-subscription-row');
	await expect(rows).toHaveCount(2);
	await expect(rows.filter({ hasText: 'Active' })).toContainText('Granted');
});
