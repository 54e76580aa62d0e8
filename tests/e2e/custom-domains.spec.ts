import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { expect, test } from '@playwright/test';
import { scaled } from '../support/timeouts';
import { register, topUp, uniqueEmail, visit } from './helpers';

test('an owner adds a custom domain to an app and sees the two DNS records to create', async ({ page }) => {
	await register(page, 'Wulan Sari', uniqueEmail('domains'));
	await topUp(page, 'Rp 100.000');
	await visit(page, '/catalog/memos');
	await expect(page.locator('[data-plan-type="PRO"]')).toContainText('1 custom domain');
	await page.locator('[data-plan-type="PRO"]').getByRole('button', { name: 'Subscribe to Pro' }).click();
	const subscribe = page.getByRole('dialog', { name: 'Subscribe to Memos Pro' });
	await subscribe.getByLabel('App name').fill('Toko notes');
	await subscribe.getByRole('button', { name: 'Confirm and pay' }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page).toHaveURL(/\/instances\/[0-9a-f-]{36}$/);
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });
	// A domain is claimed once on the whole platform: each run claims its own.
	const shop = `tokoku-${randomUUID().slice(0, 8)}`;

	// A name that cannot be claimed (MinisPod's own domain, a private name, a URL) is refused
	// beside the field before any "Add?" question, and nothing is added.
	const field = page.getByRole('textbox', { name: 'Domain' });
	for (const [name, reason] of [
		['mine.apps.minispod.local', "MinisPod's own"],
		['printer.local', 'public'],
		['http://shop.example.co.id/path', 'without https://']
	]) {
		await field.fill(name);
		await page.getByRole('button', { name: 'Add domain' }).click();
		await expect(page.locator('#custom-domain-error'), name).toContainText(reason);
		await expect(field).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByRole('dialog')).toHaveCount(0);
	}
	// Typing again clears the refusal.
	await field.fill(`Notes.${shop.toUpperCase()}.co.id`);
	await expect(page.locator('#custom-domain-error')).toHaveCount(0);
	await expect(page.getByTestId('custom-domain')).toHaveCount(0);

	// The dialog names the domain as it will be stored.
	await page.getByRole('button', { name: 'Add domain' }).click();
	await page
		.getByRole('dialog', { name: `Add notes.${shop}.co.id?` })
		.getByRole('button', { name: 'Add domain' })
		.click();

	const domain = page.getByTestId('custom-domain');
	await expect(domain).toHaveCount(1);
	await expect(domain.getByRole('heading', { name: `notes.${shop}.co.id` })).toBeVisible();
	await expect(domain.getByTestId('domain-status')).toHaveText('Waiting for DNS');
	const records = domain.getByTestId('dns-records').locator('tbody tr');
	await expect(records).toHaveCount(2);
	await expect(records.nth(0)).toContainText('TXT');
	await expect(records.nth(0)).toContainText(`_minispod-challenge.notes.${shop}.co.id`);
	await expect(records.nth(0)).toContainText(/minispod-verify=[A-Za-z0-9_-]{20,}/);
	await expect(records.nth(1)).toContainText('CNAME');
	await expect(records.nth(1)).toContainText(/toko-notes-[a-z0-9]{6}\.apps\.minispod\.local/);
	// The plan's one domain is taken.
	await expect(page.getByRole('textbox', { name: 'Domain' })).toBeDisabled();

	await domain.getByRole('button', { name: 'Remove' }).click();
	await page
		.getByRole('dialog', { name: `Remove notes.${shop}.co.id?` })
		.getByRole('button', { name: 'Remove domain' })
		.click();
	await expect(page.getByTestId('custom-domain')).toHaveCount(0);
	await expect(page.getByRole('textbox', { name: 'Domain' })).toBeEnabled();

	// An international name reads as written, its ASCII form beside it and in the records to type.
	const international = `blog.bücher-${shop}.de`;
	const ascii = domainToASCII(international);
	expect(ascii).toMatch(/^blog\.xn--/);
	await page.getByRole('textbox', { name: 'Domain' }).fill(international);
	await page.getByRole('button', { name: 'Add domain' }).click();
	await page
		.getByRole('dialog', { name: `Add ${international}?` })
		.getByRole('button', { name: 'Add domain' })
		.click();
	await expect(domain.getByRole('heading')).toContainText(international);
	await expect(domain.getByTestId('domain-ascii')).toHaveText(ascii);
	await expect(records.nth(0)).toContainText(`_minispod-challenge.${ascii}`);
	await expect(records.nth(0).getByTestId('record-unicode-name')).toHaveText(`_minispod-challenge.${international}`);
	await expect(records.nth(1)).toContainText(ascii);
	await expect(records.nth(1).getByTestId('record-unicode-name')).toHaveText(international);
	await domain.getByRole('button', { name: 'Remove' }).click();
	await page
		.getByRole('dialog', { name: `Remove ${international}?` })
		.getByRole('button', { name: 'Remove domain' })
		.click();
	await expect(page.getByTestId('custom-domain')).toHaveCount(0);
});
