import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { login, register, uniqueEmail, visit } from './helpers';

test('the audit log and a customer’s audit trail name the customer and the plan an entry is about', async ({ browser }) => {
	const email = uniqueEmail('audited');
	await register(await (await browser.newContext()).newPage(), 'Audited Customer', email);

	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(admin, `/admin/customers?q=${encodeURIComponent(email)}`);
	await admin.getByRole('link', { name: 'Audited Customer' }).click();
	await expect(admin).toHaveURL(/\/admin\/customers\/[0-9a-f-]{36}$/);
	const customerPage = new URL(admin.url()).pathname;
	await admin.getByRole('button', { name: 'Grant a subscription' }).click();
	const dialog = admin.getByRole('dialog', { name: 'Grant Audited Customer a subscription' });
	const basic = dialog.locator('optgroup[label="Memos"] option', { hasText: 'Basic' });
	await dialog.getByLabel('Plan').selectOption((await basic.getAttribute('value'))!);
	await dialog.getByRole('button', { name: 'Grant' }).click();
	await expect(admin.getByText('Subscription granted; the app is being set up.')).toBeVisible();

	// The customer's audit trail reads the entry's details, names rather than ids.
	const trail = admin.getByTestId('customer-audit-entry').first();
	await expect(trail.getByTestId('audit-details')).toContainText(`Customer: Audited Customer (${email})`);
	await expect(trail.getByTestId('audit-details')).toContainText('Plan: Memos Basic');

	await visit(admin, `/admin/operations/audit?action=subscription.grant&actor=${encodeURIComponent(E2E_ADMIN.email)}`);
	const entry = admin.getByTestId('audit-entry').filter({ hasText: email }).first();
	await expect(entry.getByTestId('audit-target-kind')).toHaveText('Subscription');
	const target = entry.getByTestId('audit-target');
	await expect(target).toHaveText(`Memos Basic · Audited Customer (${email})`);
	await expect(target).toHaveAttribute('href', customerPage);
	await expect(entry.getByTestId('audit-details')).toContainText('Plan: Memos Basic');
	await expect(entry.getByTestId('audit-details')).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
});

test('a range ending before it starts is told beside its end, on the audit log and the wallet history', async ({ browser }) => {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	// It was an error page on the audit log, and "to: …" in a banner on the wallet history.
	for (const path of ['/admin/operations/audit', '/wallet/transactions']) {
		await visit(admin, `${path}?from=2026-12-31&to=2026-01-01`);
		const to = admin.getByLabel('To', { exact: true });
		await expect(to).toHaveAttribute('aria-invalid', 'true');
		await expect(to).toHaveAccessibleDescription('The end date is before the start date');
		await expect(admin.getByText(/to: /)).toHaveCount(0);
	}
});
