// Indonesian is the default; the language switch is remembered by cookie before login and by
// the account after it (the account's choice wins when logging in again).
import { expect, test, type Page } from '@playwright/test';
import { hydrated, uniqueEmail, visit } from './helpers';

// A new visitor: no language cookie (the other browser tests start with the English one).
test.use({ storageState: { cookies: [], origins: [] } });

const password = 'putri menanam rambutan 77';

async function loginInIndonesian(page: Page, email: string) {
	await visit(page, '/login');
	await expect(page.getByRole('heading', { name: 'Masuk' })).toBeVisible();
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Kata sandi').fill(password);
	await page.getByRole('button', { name: 'Masuk' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
}

test('a new visitor gets Indonesian and runs login, catalog and wallet in it; the choice follows the account', async ({
	page,
	context
}) => {
	const email = uniqueEmail('bahasa');
	await visit(page, '/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'id');
	await expect(page.getByRole('heading', { name: 'Aplikasi open-source, kami yang mengelola' })).toBeVisible();

	await visit(page, '/register');
	await page.getByLabel('Nama').fill('Putri Ayu');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Kata sandi').fill(password);
	await page.getByRole('button', { name: 'Buat akun' }).click();
	// Registration logs nobody in: it says, in Indonesian, to check the mail.
	await expect(page.getByRole('heading', { name: 'Periksa e-mail Anda' })).toBeVisible();
	await expect(page.getByTestId('register-sent')).toContainText(email);

	// The key journey in Indonesian.
	await loginInIndonesian(page, email);
	await visit(page, '/catalog');
	await expect(page.getByRole('heading', { name: 'Katalog aplikasi' })).toBeVisible();
	await expect(page.getByTestId('service-card').first()).toContainText(/Mulai Rp [\d.]+\/bulan|Tersedia paket gratis/);
	// The catalog's own texts are Indonesian too: an app's description, its plans' lines.
	// (The featured apps are listed first, and again in the full list.)
	const n8n = page.locator('[data-testid="service-card"][href="/catalog/n8n"]').first();
	await expect(n8n).toContainText('Otomasi alur kerja dengan 400+ integrasi dan editor visual.');
	await visit(page, '/catalog/n8n');
	const basic = page.locator('[data-plan-type="BASIC"]');
	await expect(basic).toContainText('Untuk proyek pribadi.');
	await expect(basic).toContainText('Cadangan harian (7 terakhir disimpan)');
	await visit(page, '/wallet');
	await expect(page.getByRole('heading', { name: 'Dompet', exact: true })).toBeVisible();
	await expect(page.getByText('Saldo', { exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Isi saldo Rp 100.000' })).toBeVisible();
	// Checked in the browser, in Indonesian.
	await page.getByLabel('Atau masukkan jumlah (Rp)').fill('10500');
	await expect(page.getByText('Isi saldo dalam kelipatan Rp 1.000')).toBeVisible();

	// Switching to English while logged in reloads the page in English and is remembered.
	await page.getByTestId('locale-switch').first().selectOption('en');
	await expect(page.getByRole('heading', { name: 'Wallet', exact: true })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('button', { name: 'Log out', exact: true }).click();
	await expect(page).toHaveURL(/\/login$/);

	// Another browser (no cookie) starts in Indonesian; logging in brings the account's English back.
	await context.clearCookies();
	await loginInIndonesian(page, email);
	await expect(page.getByRole('heading', { name: 'App catalog' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	// And back to Indonesian, which survives logging out and in again.
	await hydrated(page);
	await page.getByTestId('locale-switch').first().selectOption('id');
	await expect(page.getByRole('heading', { name: 'Katalog aplikasi' })).toBeVisible();
	await page.getByRole('button', { name: 'Keluar', exact: true }).click();
	await expect(page).toHaveURL(/\/login$/);
	await loginInIndonesian(page, email);
	await expect(page.getByRole('heading', { name: 'Katalog aplikasi' })).toBeVisible();
});

test('a visitor can switch to English before logging in', async ({ page }) => {
	await visit(page, '/login');
	await page.getByTestId('locale-switch').first().selectOption('en');
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
	await visit(page, '/register');
	await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
	// Every page says where to write for help (MINISPOD_SUPPORT_EMAIL), in the reader's language.
	const support = page.getByTestId('support');
	await expect(support).toHaveText('Need help? Write to support@minispod.test');
	await expect(support.getByRole('link', { name: 'support@minispod.test' })).toHaveAttribute(
		'href',
		'mailto:support@minispod.test'
	);
	await page.getByTestId('locale-switch').first().selectOption('id');
	await expect(support).toHaveText('Butuh bantuan? Kirim e-mail ke support@minispod.test');
});
