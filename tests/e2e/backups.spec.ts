import { expect, request, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { scaled } from '../support/timeouts';
import { register, subscribeToFreeUptimeKuma, uniqueEmail, visit } from './helpers';

test('an owner backs an app up now and sees the backup listed, ready, with its size', async ({ page }) => {
	await register(page, 'Rina Putri', uniqueEmail('backups'));
	await subscribeToFreeUptimeKuma(page, 'Status board');
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });

	const section = page.getByRole('region', { name: 'Backups' });
	await expect(section).toContainText('Your plan has no scheduled backups');
	await expect(section.getByTestId('backup')).toHaveCount(0);
	await section.getByRole('button', { name: 'Back up now' }).click();
	const backup = section.getByTestId('backup');
	await expect(backup).toHaveCount(1);
	await expect(backup.getByTestId('backup-kind')).toHaveText('Manual');
	await expect(backup.getByTestId('backup-status')).toHaveText('Ready', { timeout: scaled(20_000) });
	await expect(backup).toContainText('GB');
	// The owner deletes it after a dialog that names it.
	await backup.getByRole('button', { name: /^Delete the backup of .+ \(Manual\)$/ }).click();
	const remove = page.getByRole('dialog', { name: /^Delete the backup of .+ \(Manual\)\?$/ });
	await expect(remove).toContainText('the app cannot be restored from it afterwards');
	await remove.getByRole('button', { name: 'Delete backup' }).click();
	await expect(remove).toBeHidden();
	await expect(section.getByTestId('backup')).toHaveCount(0);
	await page.reload();
	await expect(section.getByTestId('backup')).toHaveCount(0);
	// On a small phone the list scrolls inside its card; the page itself keeps the phone's width.
	await page.setViewportSize({ width: 320, height: 640 });
	await expect(section.getByRole('button', { name: 'Back up now' })).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});

test('an owner restores a backup after confirming, follows its progress to the end and keeps the restored data', async ({
	page
}) => {
	await register(page, 'Rudi Hartono', uniqueEmail('restore'));
	await subscribeToFreeUptimeKuma(page, 'Monitor');
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });

	const section = page.getByRole('region', { name: 'Backups' });
	await section.getByRole('button', { name: 'Back up now' }).click();
	const backup = section.getByTestId('backup');
	await expect(backup.getByTestId('backup-status')).toHaveText('Ready', { timeout: scaled(20_000) });

	await backup.getByRole('button', { name: 'Restore' }).click();
	const confirm = page.getByRole('dialog', { name: /Restore the backup of/ });
	await expect(confirm).toContainText('The app will be stopped');
	await expect(confirm).toContainText('kept for 24 hours');
	await confirm.getByRole('button', { name: 'Stop the app and restore' }).click();

	const status = section.getByTestId('restore-status');
	await expect(status).toContainText('Restored from a backup', { timeout: scaled(30_000) });
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });
	await status.getByRole('button', { name: 'Keep restored data' }).click();
	const keep = page.getByRole('dialog', { name: 'Keep the restored data?' });
	await keep.getByRole('button', { name: 'Keep restored data' }).click();
	await expect(status).toContainText('The restored data was kept');
});

test('a suspended app’s backups cannot be taken or restored, and the page says it must be reactivated first', async ({
	page,
	baseURL
}) => {
	await register(page, 'Dewi Lestari', uniqueEmail('suspended-backups'));
	const subscriptionId = await subscribeToFreeUptimeKuma(page);
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });
	const section = page.getByRole('region', { name: 'Backups' });
	await section.getByRole('button', { name: 'Back up now' }).click();
	await expect(section.getByTestId('backup-status')).toHaveText('Ready', { timeout: scaled(20_000) });
	await expect(section.getByTestId('backups-suspended')).toHaveCount(0);
	// A control can be used: no note under them.
	await expect(page.getByTestId('controls-blocked')).toHaveCount(0);

	const admin = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
	expect((await admin.post('/api/trpc/auth.login', { data: { json: E2E_ADMIN } })).ok()).toBe(true);
	const suspended = await admin.post('/api/trpc/admin.subscriptions.suspend', {
		data: { json: { id: subscriptionId, reason: 'Checking a payment' } }
	});
	expect(suspended.ok(), await suspended.text()).toBe(true);
	await admin.dispose();

	await expect(page.getByTestId('instance-status')).toHaveText('Suspended', { timeout: scaled(30_000) });
	await visit(page, page.url());
	await expect(section.getByTestId('backups-suspended')).toHaveText(
		'The app is suspended: it can be backed up or restored once its subscription is reactivated.'
	);
	await expect(section.getByRole('button', { name: 'Back up now' })).toBeDisabled();
	await expect(section.getByTestId('backup').getByRole('button', { name: 'Restore' })).toBeDisabled();
	await expect(
		page.getByRole('group', { name: 'App controls' }).getByRole('button', { name: 'Start', exact: true })
	).toBeDisabled();
	// No control can be used, and the page says why in words a phone shows too (not only a tooltip).
	await expect(page.getByTestId('controls-blocked')).toHaveText(
		'The subscription is suspended; the app cannot be controlled until it is resumed.'
	);
});
