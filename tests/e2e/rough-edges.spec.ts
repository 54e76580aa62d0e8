// Rough edges found by trying MinisPod in a browser (issue 12): each test would have caught one.
import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { hydrated, login, logout, mailLink, register, startTopUp, topUp, uniqueEmail, visit } from './helpers';

test('a cancelled top-up reads Cancelled; opening a notification and Mark all as read clear the bell at once', async ({
	page
}) => {
	await register(page, 'Wulan Sari', uniqueEmail('bell'));
	await startTopUp(page, 'BCA', 'Rp 50.000');
	await page.getByRole('button', { name: 'Continue' }).click();
	await page.getByRole('link', { name: 'Back to the merchant' }).click();
	await hydrated(page);
	await page.getByRole('button', { name: 'Cancel top-up' }).click();
	await page.getByRole('dialog', { name: 'Cancel this top-up?' }).getByRole('button', { name: 'Cancel top-up' }).click();
	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'FAILED');

	await visit(page, '/wallet');
	await expect(page.getByTestId('transaction-row').getByTestId('transaction-status')).toHaveText('Cancelled');
	// The amount of a top-up that did not complete is muted but still readable (WCAG AA, 4.5:1 on white).
	const contrast = await page.getByTestId('transaction-amount').evaluate((cell) => {
		const context = document.createElement('canvas').getContext('2d')!;
		context.fillStyle = getComputedStyle(cell).color;
		context.fillRect(0, 0, 1, 1);
		const channel = (value: number) => {
			const c = value / 255;
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
		};
		const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
		const luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
		return 1.05 / (luminance + 0.05);
	});
	expect(contrast).toBeGreaterThanOrEqual(4.5);
	// On a phone the row is a stacked card: its amount and status are on screen, not scrolled off.
	const desktop = page.viewportSize()!;
	await page.setViewportSize({ width: 390, height: 844 });
	for (const cell of ['transaction-amount', 'transaction-status']) {
		const box = (await page.getByTestId(cell).boundingBox())!;
		expect(box.x + box.width, cell).toBeLessThanOrEqual(390);
	}
	// The card names the balance after the row, apart from the figure.
	await expect(page.getByTestId('transaction-balance-after')).toHaveText('Balance after —');
	await page.setViewportSize(desktop);
	// The first Tab reaches a link that skips the navigation.
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

	// Opening the notification reads it: the badge goes without a reload.
	await visit(page, '/notifications');
	const badge = page.getByTestId('unread-count').first();
	await expect(badge).toHaveText('1');
	await page.getByRole('link', { name: 'Top-up not completed' }).click();
	await expect(page).toHaveURL(/\/wallet\/transactions\//);
	await expect(page.getByTestId('transaction-status')).toHaveText('Cancelled');
	await expect(page.getByTestId('unread-count')).toHaveCount(0);

	await topUp(page, 'Rp 50.000');
	await visit(page, '/notifications');
	await expect(badge).toHaveText('1');
	await page.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(page.getByTestId('unread-count')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
});

test('top-up amounts are checked as typed, and each error is told once, without field names', async ({ page }) => {
	await visit(page, '/register');
	await page.getByLabel('Name').fill('Joko Susilo');
	await page.getByLabel('E-mail').fill(uniqueEmail('short'));
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByText('Use at least 8 characters')).toHaveCount(1);
	await expect(page.getByText(/password:/i)).toHaveCount(0);

	await register(page, 'Joko Susilo', uniqueEmail('amount'));
	await visit(page, '/wallet');
	const amount = page.getByLabel('Or enter an amount (Rp)');
	await amount.fill('5000');
	await expect(page.getByText('The smallest top-up is Rp 10.000')).toHaveCount(1);
	await expect(page.getByRole('button', { name: 'Top up Rp 5.000' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Top up', exact: true })).toBeDisabled();
	await amount.fill('10500');
	await expect(page.getByText('Top up in steps of Rp 1.000')).toHaveCount(1);
	await expect(page.getByRole('button', { name: 'Top up', exact: true })).toBeDisabled();
	await amount.fill('12000');
	await expect(page.getByRole('button', { name: 'Top up Rp 12.000' })).toBeEnabled();
	await expect(amount).not.toHaveAttribute('aria-invalid');
});

test('missing and forbidden pages keep the layout and a way back; an unknown category is a 404', async ({ page }) => {
	await register(page, 'Rudi Hartono', uniqueEmail('lost'));
	const missing = await visit(page, '/no-such-page');
	expect(missing?.status()).toBe(404);
	await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
	await expect(page.getByTestId('current-user')).toHaveText('Rudi Hartono');
	await page.getByRole('link', { name: 'Back to MinisPod' }).click();
	await expect(page).toHaveURL(/\/catalog$/);

	expect((await visit(page, '/catalog?category=nope'))?.status()).toBe(404);
	await expect(page.getByTestId('error-page')).toBeVisible();

	expect((await visit(page, '/admin'))?.status()).toBe(403);
	await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Back to MinisPod' })).toHaveAttribute('href', '/catalog');
});

test('an administrator lands on the admin panel; a new error replaces the last success message', async ({ page }) => {
	await register(page, 'Adjusted Customer', uniqueEmail('adjusted'));
	await logout(page);
	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await expect(page).toHaveURL(/\/admin$/);

	await visit(page, '/admin/customers?q=Adjusted%20Customer');
	await page.getByRole('link', { name: 'Adjusted Customer' }).first().click();
	await hydrated(page);
	await page.getByRole('button', { name: 'Credit or debit' }).click();
	const dialog = page.getByRole('dialog', { name: /^Credit or debit/ });
	const amount = dialog.getByLabel('Amount (Rp)');
	const review = dialog.getByRole('button', { name: 'Review adjustment' });
	// Read as rupiah are written, as the top-up reads them; what is no whole amount above zero is
	// refused beside the field before anything is sent.
	for (const [refused, sentence] of [
		['50,5', 'Rupiah amounts have no cents: enter a whole amount, such as 50.000'],
		['abc', 'Enter the amount in digits, such as 50000 or 50.000'],
		['-1', 'Enter the amount in digits, such as 50000 or 50.000'],
		['10,000', 'Write thousands with dots: 10.000'],
		['0', 'Enter an amount above zero']
	]) {
		await amount.fill(refused);
		await expect(amount).toHaveAccessibleDescription(sentence);
		await expect(review).toBeDisabled();
	}
	await amount.fill('Rp 10.000');
	await dialog.getByLabel('Reason (shown to the customer)').fill('Goodwill');
	await review.click();
	// Nothing moves until the review is confirmed: direction, amount, whose wallet, the balance after.
	const confirm = page.getByRole('dialog', { name: 'Credit this customer?' });
	await expect(confirm.getByTestId('adjust-review')).toHaveText(/^Add Rp 10.000 to the wallet of .+@.+\.$/);
	await expect(confirm.getByTestId('adjust-review-balance')).toHaveText('The balance goes from Rp 0 to Rp 10.000.');
	await confirm.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByTestId('customer-balance')).toHaveText('Rp 0');
	await review.click();
	await confirm.getByRole('button', { name: 'Credit' }).click();
	await expect(page.getByText('Credited Rp 10.000.')).toBeVisible();
	await expect(page.getByTestId('customer-balance')).toHaveText('Rp 10.000');

	await page.getByRole('button', { name: 'Credit or debit' }).click();
	await dialog.getByRole('radio', { name: 'Debit' }).check();
	await amount.fill('50000');
	await dialog.getByLabel('Reason (shown to the customer)').fill('Too much');
	await review.click();
	const debit = page.getByRole('dialog', { name: 'Debit this customer?' });
	await expect(debit.getByTestId('adjust-review-balance')).toHaveText(
		'The balance is only Rp 10.000: this debit will be refused, as a balance cannot go below zero.'
	);
	await debit.getByRole('button', { name: 'Debit' }).click();
	await expect(amount).toHaveAccessibleDescription('This debit would take the balance below zero; the customer has Rp 10.000.');
	await expect(page.getByText('Credited Rp 10.000.')).toHaveCount(0);
	// The refusal was about that debit: a credit, or another amount, is not refused by it.
	await dialog.getByRole('radio', { name: 'Credit' }).check();
	await expect(dialog).not.toContainText('below zero');
	await dialog.getByRole('radio', { name: 'Debit' }).check();
	await amount.fill('1000');
	await expect(dialog).not.toContainText('below zero');

	// A reason refused as too long is no longer refused once it is cleared.
	const reason = dialog.getByLabel('Reason (shown to the customer)');
	await reason.fill('x'.repeat(501));
	await review.click();
	await debit.getByRole('button', { name: 'Debit' }).click();
	await expect(dialog).toContainText('The reason can be at most 500 characters');
	await reason.fill('');
	await expect(dialog).not.toContainText('The reason can be at most 500 characters');
	await expect(page.getByTestId('customer-balance')).toHaveText('Rp 10.000');
});

// n8n's plans: no other browser test uses them.
test('a customer who has the app joins the waitlist of a sold-out higher plan', async ({ page }) => {
	const email = uniqueEmail('waiter');
	await register(page, 'Sinta Dewi', email);
	await visit(page, '/catalog/n8n');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	await logout(page);

	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin/quota');
	const premium = page.getByTestId('quota-row-n8n-PREMIUM');
	await premium.getByRole('button', { name: 'Change total' }).click();
	await premium.getByLabel('Total slots for Premium').fill('0');
	await premium.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Saved: 0 slots available.')).toBeVisible();
	await logout(page);

	await login(page, email, 'correct horse battery');
	await visit(page, '/catalog/n8n');
	await page.locator('[data-plan-type="PREMIUM"]').getByRole('button', { name: 'Sold out: join waitlist' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to n8n Premium' });
	await expect(dialog.getByText('This plan is sold out right now.')).toBeVisible();
	await expect(dialog.getByRole('link', { name: 'Upgrade my subscription' })).toHaveCount(0);
	await dialog.getByRole('button', { name: 'Join the waitlist' }).click();
	await expect(dialog.getByText('You are on the waitlist.')).toBeVisible();

	// Leaving gives up the place in line: asked first, and cancelling keeps it.
	await visit(page, '/subscriptions');
	await page.getByRole('button', { name: 'Leave waitlist' }).click();
	const leave = page.getByRole('dialog', { name: 'Leave the waitlist for n8n Premium?' });
	await expect(leave).toContainText(/You lose your place in line \(position \d+\)/);
	await leave.getByRole('button', { name: 'Cancel' }).click();
	await expect(leave).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Leave waitlist' })).toHaveCount(1);
	await page.getByRole('button', { name: 'Leave waitlist' }).click();
	await leave.getByRole('button', { name: 'Leave waitlist' }).click();
	await expect(page.getByRole('button', { name: 'Leave waitlist' })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Waitlists' })).toHaveCount(0);
});

test('a verification link opened again says it was used, and offers the way on instead of the button that failed', async ({
	page
}) => {
	const email = uniqueEmail('used-link');
	await register(page, 'Sekar Ayu', email);
	await visit(page, await mailLink(page, email, 'verify-email'));
	await page.getByRole('button', { name: 'Confirm e-mail address' }).click();
	await expect(page.getByTestId('verify-failure')).toContainText('already used');
	await expect(page.getByRole('button', { name: 'Confirm e-mail address' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Account' }).last().click();
	await expect(page).toHaveURL(/\/account$/);
});

test('the phone menu closes on Escape and gives focus back to its toggle', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await visit(page, '/login');
	const toggle = page.getByRole('button', { name: 'Toggle menu' });
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	const menuLink = page.getByRole('banner').getByRole('link', { name: 'Create account' });
	await expect(menuLink).toBeVisible();
	await menuLink.focus();
	await page.keyboard.press('Escape');
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await expect(menuLink).toHaveCount(0);
	await expect(toggle).toBeFocused();
});
