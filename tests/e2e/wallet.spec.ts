import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { hydrated, login, logout, register, startTopUp, submitRegistration, uniqueEmail, verifyEmail, visit } from './helpers';

// The smallest valid PNG header plus some bytes: enough for MinisPod's type check.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

test('a customer tops up through the payment page and sees the new balance and history row', async ({ page }) => {
	await register(page, 'Wulan Sari', uniqueEmail('topup'));
	await startTopUp(page, 'BCA', 'Rp 250.000');
	await expect(page.getByRole('radio', { name: 'BCA Virtual Account' })).toBeChecked();
	await expect(page.getByRole('radio')).toHaveCount(1);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.getByTestId('va-number')).toHaveText(/^\d{11}$/);
	await page.getByRole('button', { name: 'Pay Rp 250.000' }).click();

	await expect(page).toHaveURL(/\/wallet\/topups\/[0-9a-f-]+\?order_id=TXMP-/);
	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'COMPLETED');
	await expect(page.getByText('Payment received')).toBeVisible();
	await expect(page.getByTestId('topup-new-balance')).toHaveText('Rp 250.000');

	await page.getByRole('link', { name: 'Back to the wallet' }).click();
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 250.000');
	await expect(page.getByTestId('wallet-total-top-up')).toHaveText('Rp 250.000');
	const row = page.getByTestId('transaction-row').first();
	await expect(row).toContainText('Top-up by bank transfer (BCA)');
	await expect(row).toContainText('Completed');
	await expect(row).toContainText('+Rp 250.000');

	await page.getByRole('link', { name: 'All transactions' }).click();
	await page.getByLabel('Status').selectOption('COMPLETED');
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page.getByTestId('transaction-count')).toHaveText('1 transaction match');
	await page.getByRole('link', { name: 'Top-up by bank transfer (BCA)', exact: true }).click();
	await expect(page.getByTestId('transaction-detail')).toContainText('Rp 250.000');
	await expect(page.getByTestId('transaction-detail')).toContainText('BCA');
});

test('a top-up amount is read as people write rupiah, and a fraction is refused by name', async ({ page }) => {
	await register(page, 'Dewi Anggraini', uniqueEmail('amount-text'));
	await visit(page, '/wallet');
	await hydrated(page);
	const amount = page.getByLabel('Or enter an amount (Rp)');
	for (const [typed, read] of [
		['50.000', 'Rp 50.000'],
		['1.500.000', 'Rp 1.500.000'],
		['Rp 25.000', 'Rp 25.000']
	]) {
		await amount.fill(typed);
		await expect(page.getByTestId('top-up-amount-reads')).toHaveText(`Reads as ${read}.`);
		await expect(page.getByRole('button', { name: `Top up ${read}` })).toBeEnabled();
	}
	await amount.fill('50000');
	await expect(page.getByTestId('top-up-amount-reads')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Top up Rp 50.000' })).toBeEnabled();
	await expect(page.getByRole('button', { name: 'Rp 50.000', exact: true })).toHaveAttribute('aria-pressed', 'true');
	await amount.fill('50.000,50');
	await expect(amount).toHaveAccessibleDescription('Rupiah amounts have no cents: enter a whole amount, such as 50.000');
	// The English grouping is fifty in Indonesian: refused, saying how to write the figure typed.
	await amount.fill('50,000');
	await expect(amount).toHaveAccessibleDescription('Write thousands with dots: 50.000');
	await expect(page.getByRole('button', { name: 'Top up', exact: true })).toBeDisabled();
	await amount.fill('lima puluh ribu');
	await expect(amount).toHaveAccessibleDescription('Enter the amount in digits, such as 50000 or 50.000');
	await expect(page.getByRole('button', { name: 'Top up', exact: true })).toBeDisabled();
});

test('a customer who changes their mind cancels a pending top-up after confirming', async ({ page }) => {
	await register(page, 'Bayu Pratama', uniqueEmail('cancel'));
	await startTopUp(page, 'Mandiri', 'Rp 100.000');
	await page.getByRole('button', { name: 'Continue' }).click();
	await page.getByRole('link', { name: 'Back to the merchant' }).click();

	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'PENDING');
	await expect(page.getByTestId('va-number')).toBeVisible();
	// Back from the payment page is a new page load; Cancel opens its dialog only once hydrated.
	await hydrated(page);
	await page.getByRole('button', { name: 'Cancel top-up' }).click();
	const dialog = page.getByRole('dialog', { name: 'Cancel this top-up?' });
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Cancel top-up' }).click();
	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'FAILED');
	await expect(page.getByText('You cancelled this top-up.')).toBeVisible();
	await visit(page, '/wallet');
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 0');
});

test('a manual transfer proof is approved by an administrator, who cannot debit below zero', async ({ page }) => {
	const email = uniqueEmail('proof');
	await register(page, 'Citra Kirana', email);
	await visit(page, '/wallet');
	await page.getByRole('link', { name: 'Upload a transfer proof' }).click();
	await expect(page).toHaveURL(/\/wallet\/transfer$/);
	// The accounts to pay into (MINISPOD_TRANSFER_ACCOUNTS), each number copied as digits.
	const accounts = page.getByTestId('transfer-accounts').getByRole('listitem');
	await expect(accounts).toHaveCount(2);
	await expect(accounts.nth(0)).toContainText('BCA');
	await expect(accounts.nth(0)).toContainText('123 456 7890');
	await expect(accounts.nth(1)).toContainText('in the name of PT MinisPod Uji');
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await hydrated(page);
	await page.getByRole('button', { name: 'Copy the Mandiri account number' }).click();
	await expect(page.getByText('The Mandiri account number is copied.')).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('1370012345678');
	const transferred = page.getByLabel('Amount transferred (Rp)');
	await transferred.fill('75,50');
	await expect(transferred).toHaveAccessibleDescription('Rupiah amounts have no cents: enter a whole amount, such as 50.000');
	await transferred.fill('5000');
	await page.getByLabel('Receipt').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
	await page.getByRole('button', { name: 'Upload proof' }).click();
	await expect(page.getByText('The smallest top-up is Rp 10.000')).toBeVisible();
	// Written the Indonesian way, with a dot between thousands.
	await transferred.fill('75.000');
	await page.getByLabel('Receipt').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
	await page.getByRole('button', { name: 'Upload proof' }).click();
	await expect(page.getByText('Proof received.')).toBeVisible();
	await expect(page.getByText('Waiting for staff to check your transfer.')).toHaveCount(0);
	await expect(page.getByTestId('transaction-detail')).toContainText('receipt.png');
	const proofUrl = new URL(page.url()).pathname + '/proof';
	// The wallet lists the proof as waiting for staff, not for a payment the customer has made.
	await visit(page, '/wallet');
	await expect(page.getByRole('heading', { name: 'Waiting for staff review' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Waiting for payment' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'View proof' })).toHaveAttribute('href', proofUrl.replace(/\/proof$/, ''));
	await page.getByRole('link', { name: 'View proof' }).click();
	await expect(page.getByText('Waiting for staff to check your transfer.')).toBeVisible();
	expect((await page.request.get(proofUrl)).status()).toBe(200);
	await logout(page);
	expect((await page.request.get(proofUrl)).status()).toBe(401);

	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin/wallet/proofs');
	const proof = page.getByTestId('pending-proof').filter({ hasText: email });
	await expect(proof).toContainText('Rp 75.000');
	await expect(proof.getByRole('img')).toBeVisible();
	// A reason too short to send back stays in the dialog, under its field, as typed.
	await proof.getByRole('button', { name: 'Reject' }).click();
	const rejecting = page.getByRole('dialog', { name: 'Reject this proof?' });
	await rejecting.getByLabel('Reason').fill('ab');
	await rejecting.getByRole('button', { name: 'Reject' }).click();
	await expect(rejecting.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
	await expect(rejecting).toBeVisible();
	await expect(rejecting.getByLabel('Reason')).toHaveValue('ab');
	await rejecting.getByRole('button', { name: 'Cancel' }).click();
	await proof.getByRole('button', { name: 'Approve' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Approve and credit' }).click();
	await expect(page.getByText(`Approved Rp 75.000 for ${email}.`)).toBeVisible();
	await expect(page.getByTestId('pending-proof').filter({ hasText: email })).toHaveCount(0);

	await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Adjustments' }).click();
	await page.getByLabel('Find a customer by e-mail or name').fill(email);
	await page.getByRole('button', { name: 'Search customers' }).click();
	await page.getByRole('button', { name: 'Select' }).click();
	await expect(page.getByTestId('adjust-balance')).toHaveText('Rp 75.000');
	await page.getByRole('radio', { name: 'Debit' }).check();
	await page.getByLabel('Amount (Rp)').fill('80.000');
	await page.getByLabel('Reason').fill('Testing a debit that is too large');
	await page.getByRole('button', { name: 'Review adjustment' }).click();
	await expect(page.getByRole('dialog').getByTestId('adjust-review-balance')).toHaveText(
		'The balance is only Rp 75.000: this debit will be refused, as a balance cannot go below zero.'
	);
	await page.getByRole('dialog').getByRole('button', { name: 'Debit' }).click();
	await expect(page.getByText('This debit would take the balance below zero; the customer has Rp 75.000.')).toBeVisible();
	await expect(page.getByTestId('adjust-balance')).toHaveText('Rp 75.000');
	await logout(page);

	await login(page, email, 'correct horse battery');
	await visit(page, '/wallet');
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 75.000');
	await logout(page);

	// Nobody else gets to see the receipt.
	await register(page, 'Someone Else', uniqueEmail('stranger'));
	expect((await page.request.get(proofUrl)).status()).toBe(404);
});

test('an unverified customer is asked to verify before uploading a proof, and a refused upload keeps what was typed', async ({
	page
}) => {
	const email = uniqueEmail('proof-limit');
	await submitRegistration(page, 'Eka Putri', email);
	await login(page, email, 'correct horse battery');
	// Not a form the server can only refuse: the notice, and the way to get the link again.
	await visit(page, '/wallet/transfer');
	await expect(page.getByTestId('verify-email-notice')).toContainText(email);
	await expect(page.getByRole('button', { name: 'Resend verification e-mail' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Upload proof' })).toHaveCount(0);

	await verifyEmail(page, email);
	await visit(page, '/wallet/transfer');
	await expect(page.getByTestId('verify-email-notice')).toHaveCount(0);
	const transferred = page.getByLabel('Amount transferred (Rp)');
	const note = page.getByLabel('Note (optional)');
	const upload = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
		await page.getByLabel('Receipt').setInputFiles(file);
		await Promise.all([
			page.waitForResponse((response) => response.request().method() === 'POST' && response.url().includes('/wallet/transfer')),
			page.getByRole('button', { name: 'Upload proof' }).click()
		]);
	};
	// An account uploads ten proofs an hour, counting those refused once read (not an image here).
	await transferred.fill('75.000');
	for (let attempt = 0; attempt < 10; attempt++) {
		await upload({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a receipt') });
		await expect(page.getByLabel('Receipt')).toHaveAccessibleDescription('Upload a PNG, JPEG or WebP image, or a PDF.');
	}
	await note.fill('BCA, 09.30');
	await upload({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
	// Said on the form, not an error page, with the amount and the note as typed.
	await expect(page.getByRole('alert')).toContainText('Too many attempts. Try again in');
	await expect(page).toHaveURL(/\/wallet\/transfer$/);
	await expect(transferred).toHaveValue('75.000');
	await expect(note).toHaveValue('BCA, 09.30');
});
