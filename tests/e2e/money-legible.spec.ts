// Money made legible (issue 12): the balance in the header, and a customer short of credit
// who tops up from the subscribe dialog and is brought back to finish subscribing, in
// Indonesian (the default) and in English. Texts are read from the message files, so the
// test checks the journey, not one wording.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { login, register, uniqueEmail, visit } from './helpers';
import { E2E_ADMIN } from '../../playwright.config';

type Locale = 'id' | 'en';
const messages: Record<Locale, Record<string, string>> = {
	id: JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../messages/id.json'), 'utf8')),
	en: JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../messages/en.json'), 'utf8'))
};
const text =
	(locale: Locale) =>
	(key: string, params: Record<string, string> = {}) =>
		messages[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => params[name]);

for (const locale of ['id', 'en'] as const) {
	test(`(${locale}) a customer short of credit tops up from the dialog, sees the header balance change and continues subscribing`, async ({
		page
	}) => {
		const t = text(locale);
		await register(page, 'Wulan Sari', uniqueEmail(`continue-${locale}`));
		if (locale === 'id') {
			await page.getByTestId('locale-switch').first().selectOption('id');
			await expect(page.locator('html')).toHaveAttribute('lang', 'id');
		}
		await expect(page.getByTestId('header-balance')).toHaveText('Rp 0');

		// Not Ghost's or Vaultwarden's Basic plan: other tests count their free slots.
		await visit(page, '/catalog/hedgedoc');
		await page
			.locator('[data-plan-type="BASIC"]')
			.getByRole('button', { name: t('service_subscribe_to', { plan: 'Basic' }) })
			.click();
		const dialog = page.getByRole('dialog', { name: t('subscribe_title', { app: 'HedgeDoc', plan: 'Basic' }) });
		await dialog.getByRole('link', { name: t('subscribe_top_up', { amount: 'Rp 19.000' }) }).click();
		await expect(page.getByLabel(t('topup_other_amount'))).toHaveValue('19000');
		await page.getByRole('radio', { name: new RegExp(t('topup_method_bank_transfer')) }).check();
		await page.getByRole('radio', { name: 'BCA', exact: true }).check();
		await page.getByRole('button', { name: t('topup_submit', { amount: 'Rp 19.000' }) }).click();

		// The Midtrans simulator's payment page (English, like Midtrans' own).
		await expect(page.getByRole('heading', { name: 'Pay your order' })).toBeVisible();
		await page.getByRole('button', { name: 'Continue' }).click();
		await page.getByRole('button', { name: 'Pay Rp 19.000' }).click();
		await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'COMPLETED');
		await expect(page.getByTestId('header-balance')).toHaveText('Rp 19.000');

		const resume = page.getByTestId('continue-subscribing');
		await expect(resume).toHaveText(t('topup_continue_subscribing', { app: 'HedgeDoc', plan: 'Basic' }));
		await resume.click();
		await expect(dialog).toBeVisible();
		await expect(dialog.getByTestId('balance-after')).toHaveText('Rp 0');
		await dialog.getByLabel(t('subscribe_app_name')).fill('Catatan tim');
		await dialog.getByRole('button', { name: t('subscribe_confirm') }).click();
		await expect(page).toHaveURL(/\/subscriptions\/[0-9a-f-]{36}$/);
		await expect(page.getByRole('heading', { level: 1, name: 'Catatan tim' })).toBeVisible();
		await expect(page.getByTestId('header-balance')).toHaveText('Rp 0');
	});
}

// DocuSeal (no other browser test uses it) with its Free plan no longer offered: its card
// shows the cheapest plan still offered, Basic at Rp 49.000, in each language's words.
test('a catalog card without a free plan says "from Rp X/month" in Indonesian and English', async ({ browser }) => {
	test.setTimeout(120_000);
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(admin, '/admin/catalog');
	await admin.getByRole('link', { name: 'Edit DocuSeal' }).click();
	await admin.getByRole('button', { name: 'Edit Free' }).click();
	const plan = admin.getByRole('form', { name: 'Edit Free' });
	await plan.getByLabel('Offered (visible)').setChecked(false);
	await plan.getByRole('button', { name: 'Save plan' }).click();
	await expect(admin.getByTestId('editor-plan-FREE')).toContainText('Hidden');

	const page = await (await browser.newContext()).newPage();
	await register(page, 'Dewi Lestari', uniqueEmail('from-price'));
	for (const locale of ['id', 'en'] as const) {
		await page.getByTestId('locale-switch').first().selectOption(locale);
		await expect(page.locator('html')).toHaveAttribute('lang', locale);
		await visit(page, '/catalog');
		const card = page.getByTestId('service-list').getByTestId('service-card').filter({ hasText: 'DocuSeal' });
		await expect(card).toContainText(text(locale)('price_from_per_month', { price: 'Rp 49.000' }));
		await expect(card).not.toContainText(text(locale)('free_plan_available'));
	}
	// Indonesian and English differ here, so each check above read its own language.
	expect(text('id')('price_from_per_month', { price: 'Rp 49.000' })).toBe('Mulai Rp 49.000/bulan');
});
