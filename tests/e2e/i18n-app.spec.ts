// The instance and subscription pages, and the notifications written while the app was set
// up, in Indonesian once the customer switches language.
import { expect, test } from '@playwright/test';
import { scaled } from '../support/timeouts';
import { register, uniqueEmail, visit } from './helpers';

test('after switching to Indonesian, the instance page, the subscription page and the notifications speak it', async ({
	page
}) => {
	await register(page, 'Sari Wulandari', uniqueEmail('bahasa-app'));
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Uptime Kuma Free' });
	await dialog.getByLabel('App name').fill('Papan status');
	await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	const subscriptionUrl = new URL(page.url()).pathname;

	await page.getByTestId('locale-switch').first().selectOption('id');
	await expect(page.locator('html')).toHaveAttribute('lang', 'id');
	// The header's longer Indonesian words stay on one line each at 1280 px (each item is one
	// line high, and nothing is pushed out of the header).
	expect(page.viewportSize()!.width).toBe(1280);
	const header = page.getByRole('navigation', { name: 'Utama' });
	for (const item of await header.locator('a, button, [data-testid="current-user"]').filter({ visible: true }).all()) {
		expect((await item.boundingBox())!.height, (await item.textContent()) ?? '').toBeLessThanOrEqual(44);
	}
	expect(await header.evaluate((nav) => nav.scrollWidth - nav.clientWidth)).toBe(0);

	// The subscription page.
	await expect(page.getByRole('heading', { name: 'Paket', exact: true })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Tagihan', exact: true })).toBeVisible();
	await expect(page.getByText('Periode saat ini')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Hentikan sekarang' })).toBeVisible();
	await expect(page.getByText('Tidak ada pembayaran: langganan ini gratis.')).toBeVisible();
	// Dates in sentences and lists are WIB days with Indonesian month names, never ISO.
	await expect(page.getByTestId('next-billing')).toHaveText(/^\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4}$/);

	// The instance page, once the app runs.
	await page.getByRole('link', { name: 'Buka kontrol dan log aplikasi' }).click();
	await expect(page).toHaveURL(/\/instances\/[0-9a-f-]{36}$/);
	await expect(page.getByTestId('instance-status')).toHaveText('Berjalan', { timeout: scaled(30_000) });
	await expect(page.getByRole('heading', { name: 'Progres penyiapan' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Pemakaian sumber daya' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Domain kustom' })).toBeVisible();
	await expect(page.getByTestId('open-app')).toHaveText('Buka aplikasi');
	// The app's first-run steps are the catalog's Indonesian ones.
	await expect(page.getByTestId('first-run-steps')).toContainText(
		'pada kunjungan pertama, Uptime Kuma meminta Anda membuat akun admin'
	);
	await expect(page.getByTestId('log-status')).toHaveText('Langsung');
	// What the log stream says about itself is Indonesian too.
	await expect(page.getByTestId('log-lines')).toContainText(/Menampilkan log papan-status-/);
	await page.getByRole('button', { name: 'Mulai ulang', exact: true }).click();
	const restart = page.getByRole('dialog', { name: 'Mulai ulang aplikasi ini?' });
	await expect(restart.getByRole('button', { name: 'Batal' })).toBeVisible();
	await restart.getByRole('button', { name: 'Batal' }).click();

	// The notifications were written while the page was in English; they are read in Indonesian.
	await visit(page, '/notifications');
	await expect(page.getByText('Uptime Kuma Free sedang disiapkan').first()).toBeVisible();
	await expect(page.getByText('Papan status sudah berjalan').first()).toBeVisible();

	// And back in English, the same rows read in English.
	await page.getByTestId('locale-switch').first().selectOption('en');
	await expect(page.getByText('Papan status is running').first()).toBeVisible();
	await visit(page, subscriptionUrl);
	await expect(page.getByRole('heading', { name: 'Billing', exact: true })).toBeVisible();
});
