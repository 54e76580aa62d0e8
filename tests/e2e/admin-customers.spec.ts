import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { hydrated, login, register, uniqueEmail, visit } from './helpers';

test('an administrator blocks a customer, who is logged out at once and cannot log in again', async ({ browser }) => {
	const customer = await (await browser.newContext()).newPage();
	const email = uniqueEmail('blocked');
	await register(customer, 'Blocked Customer', email);

	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	// Hydrated before typing, so the filter's text is not the server's empty value put back.
	await visit(admin, '/admin/customers');
	await admin.getByRole('search', { name: 'Find customers' }).getByLabel('Name or e-mail').fill(email);
	await admin.getByRole('button', { name: 'Filter' }).click();
	await expect(admin.getByTestId('customer-row')).toHaveCount(1);
	await admin.getByRole('link', { name: 'Blocked Customer' }).click();
	await expect(admin.getByTestId('customer-name')).toHaveText('Blocked Customer');
	await expect(admin.getByText(/^Joined .+ · 1 active session$/)).toBeVisible();

	await admin.getByRole('button', { name: 'Block', exact: true }).click();
	const dialog = admin.getByRole('dialog', { name: 'Block Blocked Customer?' });
	await dialog.getByLabel('Reason (kept in the audit log)').fill('Card fraud reported by the bank');
	await dialog.getByRole('button', { name: 'Block' }).click();
	await expect(admin.getByText('Blocked: their sessions have ended and they cannot log in.')).toBeVisible();
	await expect(admin.getByTestId('customer-status')).toHaveText('Blocked');
	await expect(admin.getByTestId('customer-audit-entry').first()).toContainText('Blocked a customer');
	// The audit log says it in words: the action's label and its details as a list.
	const customerId = new URL(admin.url()).pathname.split('/').at(-1)!;
	await visit(admin, `/admin/operations/audit?entityId=${customerId}`);
	const entry = admin.getByTestId('audit-entry').first();
	await expect(entry.getByTestId('audit-action')).toHaveText('Blocked a customer');
	await expect(entry.getByTestId('audit-details')).toContainText('Reason: Card fraud reported by the bank');
	await expect(entry.getByTestId('audit-details')).toContainText('Sessions ended:');
	await expect(entry.getByTestId('audit-details')).not.toContainText('{');

	// The customer's open session is gone: the next page sends them to the login page.
	await visit(customer, '/wallet');
	await expect(customer).toHaveURL(/\/login\?redirectTo=%2Fwallet/);
	await customer.getByLabel('E-mail').fill(email);
	await customer.getByLabel('Password').fill('correct horse battery');
	await customer.getByRole('button', { name: 'Log in' }).click();
	await expect(customer.getByText('This account is disabled.')).toBeVisible();
	await expect(customer).toHaveURL(/\/login/);
});

test('an administrator grants a customer a bonus subscription from the customer page', async ({ browser }) => {
	const customer = await (await browser.newContext()).newPage();
	const email = uniqueEmail('granted');
	await register(customer, 'Granted Customer', email);

	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(admin, `/admin/customers?q=${encodeURIComponent(email)}`);
	await admin.getByRole('link', { name: 'Granted Customer' }).click();
	await expect(admin).toHaveURL(/\/admin\/customers\/[0-9a-f-]{36}$/);
	// The dialog opens with JavaScript: only once the customer's page is hydrated.
	await hydrated(admin);
	await admin.getByRole('button', { name: 'Grant a subscription' }).click();
	const dialog = admin.getByRole('dialog', { name: 'Grant Granted Customer a subscription' });
	// Memos' Basic plan, by its group (its free count depends on the other tests).
	const basic = dialog.locator('optgroup[label="Memos"] option', { hasText: 'Memos · Basic' });
	await dialog.getByLabel('Plan').selectOption((await basic.getAttribute('value'))!);
	// Closed, the select shows the picked option alone: it names the app as well as the plan.
	expect(await dialog.getByLabel('Plan').evaluate((select: HTMLSelectElement) => select.selectedOptions[0].text)).toMatch(
		/^Memos · Basic \(\d+ slots left\)$/
	);
	await dialog.getByLabel('Months').fill('2');
	// What the grant turns into once its months end, at the chosen plan's price.
	await expect(dialog.getByTestId('grant-then')).toHaveText(
		/^When the free months end, the subscription renews like any other at Rp \d{1,3}(\.\d{3})* a month from the customer's credit\./
	);
	// A refused number of months is told below it, not in a notice apart from it.
	await dialog.getByLabel('Months').fill('40');
	await dialog.getByRole('button', { name: 'Grant' }).click();
	await expect(dialog.getByLabel('Months')).toHaveAccessibleDescription('Enter a whole number of months from 1 to 36');
	await expect(dialog.getByRole('alert')).toHaveCount(0);
	// Opened again, the dialog does not carry the last attempt's refusal.
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await admin.getByRole('button', { name: 'Grant a subscription' }).click();
	await expect(dialog.getByLabel('Months')).not.toHaveAccessibleDescription('Enter a whole number of months from 1 to 36');
	await dialog.getByLabel('Months').fill('2');
	// A double click sends one grant, not a second one to be refused.
	const grants: string[] = [];
	admin.on('request', (request) => {
		if (request.url().includes('admin.subscriptions.grant')) grants.push(request.url());
	});
	await dialog.getByRole('button', { name: 'Grant' }).dblclick();
	await expect(admin.getByText('Subscription granted; the app is being set up.')).toBeVisible();
	expect(grants).toHaveLength(1);
	await expect(admin.getByText('Granted', { exact: true })).toBeVisible();

	// The customer reads what the grant is worth to them: free until a WIB day, no price now, and
	// what follows it: renewals from the credit at the plan's price.
	const grantedUntil = /^Free \(granted\) until \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/;
	await visit(customer, '/subscriptions');
	const row = customer.getByTestId('live-subscriptions').getByTestId('subscription-row');
	await expect(row).toContainText('Memos · Basic · free (granted)');
	await expect(row).not.toContainText('/month');
	await row.click();
	await expect(customer.getByTestId('granted-until')).toHaveText(grantedUntil);
	await expect(customer.getByTestId('grant-renewal')).toHaveText(
		/^Free until \d{1,2} [A-Z][a-z]{2} \d{4}, then renews at Rp \d{1,3}(\.\d{3})* a month from your credit$/
	);
	await expect(customer.getByText('Renews on')).toHaveCount(0);
	await expect(
		customer.getByText(/^No payments yet: this subscription was granted free until \d{1,2} [A-Z][a-z]{2} \d{4}\.$/)
	).toBeVisible();
	await expect(customer.getByText(/\/month/)).toHaveCount(0);
	await customer.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(customer.getByTestId('granted-until')).toHaveText(grantedUntil);
});

test('a customer list page past the end offers the way back to the last page', async ({ browser }) => {
	const email = uniqueEmail('past-end');
	await register(await (await browser.newContext()).newPage(), 'Past End Customer', email);
	const page = await (await browser.newContext()).newPage();
	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, `/admin/customers?q=${encodeURIComponent(email)}&page=999`);
	await expect(page.getByTestId('customer-row')).toHaveCount(0);
	await page.getByTestId('page-past-end').getByRole('link', { name: 'Go to the last page (1)' }).click();
	await expect(page).not.toHaveURL(/page=/);
	await expect(page.getByTestId('customer-row')).toHaveCount(1);
});
