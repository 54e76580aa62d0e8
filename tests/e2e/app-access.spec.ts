import { expect, test } from '@playwright/test';
import { scaled } from '../support/timeouts';
import { register, uniqueEmail, visit } from './helpers';

test('the owner opens the app and reveals its admin token after typing the password again', async ({ page }) => {
	await register(page, 'Wayan Sari', uniqueEmail('access'));
	await visit(page, '/catalog/vaultwarden');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const subscribe = page.getByRole('dialog', { name: 'Subscribe to Vaultwarden Free' });
	await subscribe.getByLabel('App name').fill('Family vault');
	await subscribe.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });

	await expect(page.getByRole('link', { name: 'Open app' })).toHaveAttribute('href', /^https:\/\/family-vault-[a-z0-9]{6}\./);
	await expect(page.getByTestId('first-run-steps')).toContainText('/admin');
	await expect(page.getByTestId('secret-value-ADMIN_TOKEN')).toHaveCount(0);

	await page.getByTestId('reveal-secrets').click();
	const dialog = page.getByRole('dialog', { name: 'Reveal the credentials?' });
	await dialog.getByLabel('Your password').fill('not my password');
	await dialog.getByRole('button', { name: 'Reveal' }).click();
	await expect(dialog.getByRole('alert')).toContainText('not your password');
	await expect(page.getByTestId('secret-value-ADMIN_TOKEN')).toHaveCount(0);

	// Enter in the password field confirms, as the button does.
	await dialog.getByLabel('Your password').fill('correct horse battery');
	await dialog.getByLabel('Your password').press('Enter');
	await expect(dialog).toBeHidden();
	await expect(page.getByTestId('secret-value-ADMIN_TOKEN')).toHaveText(/^[A-Za-z0-9_-]{48}$/);

	// Once the app is being deleted its credentials are no longer offered.
	const instancePath = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Subscription and billing', exact: true }).click();
	await page.getByRole('button', { name: 'Terminate now' }).click();
	const terminate = page.getByRole('dialog', { name: 'Terminate Family vault now?' });
	await terminate.getByLabel(/Type/).fill('Family vault');
	await terminate.getByRole('button', { name: 'Terminate now' }).click();
	await expect(page.getByTestId('subscription-status')).toHaveText('Cancelled');
	await visit(page, instancePath);
	await expect(page.getByTestId('instance-ending')).toBeVisible();
	await expect(page.getByTestId('reveal-secrets')).toHaveCount(0);
	await expect(page.getByText('ADMIN_TOKEN')).toHaveCount(0);
});

test("replacing a key the app's notes warn about shows the warning and asks for its name", async ({ page }) => {
	await register(page, 'Wayan Sari', uniqueEmail('rotate'));
	await visit(page, '/catalog/n8n');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const subscribe = page.getByRole('dialog', { name: 'Subscribe to n8n Free' });
	await subscribe.getByLabel('App name').fill('Automations');
	await subscribe.getByRole('button', { name: 'Confirm', exact: true }).click();
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });

	// It was only "the old value stops working": nothing said n8n's stored credentials are lost.
	await page.locator('li', { hasText: 'N8N_ENCRYPTION_KEY' }).getByRole('button', { name: 'Rotate' }).click();
	const dialog = page.getByRole('dialog', { name: 'Replace N8N_ENCRYPTION_KEY?' });
	await expect(dialog.getByTestId('rotate-notes')).toContainText('rotating it makes stored credentials unreadable');
	const replace = dialog.getByRole('button', { name: 'Replace and restart' });
	await expect(replace).toBeDisabled();
	await dialog.getByLabel(/Type/).fill('N8N_ENCRYPTION_KEY');
	await expect(replace).toBeEnabled();
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
});
