import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { englishCookie } from '../../playwright.config';
import { pdfText } from '../support/pdf';
import { register, topUp, uniqueEmail, visit } from './helpers';

test('a customer downloads the receipt of a top-up and reads its number and amount; the header shows the balance', async ({
	page,
	browser,
	baseURL
}) => {
	await register(page, 'Rina Kusuma', uniqueEmail('receipt'));
	await topUp(page, 'Rp 250.000');
	await visit(page, '/wallet/transactions');
	await expect(page.getByTestId('header-balance')).toHaveText('Rp 250.000');
	// The row's kind and its receipt link, apart.
	await expect(page.getByTestId('transaction-row').first()).toContainText('Top-up · Receipt');

	const download = page.waitForEvent('download');
	await page.getByTestId('transaction-row').first().getByTestId('receipt-link').click();
	const file = await (await download).path();
	const text = pdfText(readFileSync(file));
	const number = text.find((line) => /^KW\/\d{4}\/\d{6}$/.test(line));
	expect(number).toBeDefined();
	expect(text).toContain('Rp 250.000');
	expect(text).toContain('Rina Kusuma');

	// Another customer asking for the same receipt finds nothing.
	const receiptUrl = await page.getByTestId('receipt-link').first().getAttribute('href');
	const otherContext = await browser.newContext({ baseURL, storageState: { cookies: [englishCookie], origins: [] } });
	const other = await otherContext.newPage();
	await register(other, 'Someone Else', uniqueEmail('other'));
	expect((await other.request.get(receiptUrl!)).status()).toBe(404);
	await otherContext.close();
});
