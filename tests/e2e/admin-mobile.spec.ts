import { expect, test, type Page } from '@playwright/test';
import { E2E_ADMIN, englishCookie } from '../../playwright.config';
import { login, register, uniqueEmail, visit } from './helpers';

/** The page does not scroll sideways, and the row's cells stack as a card, each headed by its column. */
async function expectCard(page: Page, rowTestId: string, labels: string[]) {
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	const row = page.getByTestId(rowTestId);
	await expect(row).toHaveCount(1);
	let previousBottom = 0;
	for (const label of labels) {
		const cell = row.locator(`td[data-label="${label}"]`);
		await expect(cell).toBeVisible();
		const box = (await cell.boundingBox())!;
		expect(box.x, label).toBeGreaterThanOrEqual(0);
		expect(box.x + box.width, label).toBeLessThanOrEqual(390);
		// One cell under the other, not side by side.
		expect(box.y, label).toBeGreaterThanOrEqual(previousBottom - 1);
		previousBottom = box.y + box.height;
		const heading = await cell.evaluate((element) => getComputedStyle(element, '::before').content);
		expect(heading).toBe(JSON.stringify(label));
	}
}

test('on a phone, the customers and subscriptions tables are stacked cards, in English and in Indonesian', async ({
	browser
}) => {
	const email = uniqueEmail('phone');
	await register(await (await browser.newContext()).newPage(), 'Phone Customer', email);

	const context = await browser.newContext();
	const admin = await context.newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	// A subscription to list: granted from the customer's page.
	await visit(admin, `/admin/customers?q=${encodeURIComponent(email)}`);
	await admin.getByRole('link', { name: 'Phone Customer' }).click();
	await admin.getByRole('button', { name: 'Grant a subscription' }).click();
	const dialog = admin.getByRole('dialog', { name: 'Grant Phone Customer a subscription' });
	const plan = dialog.locator('#grant-plan option:not([disabled])').first();
	await dialog.getByLabel('Plan').selectOption((await plan.getAttribute('value'))!);
	await dialog.getByRole('button', { name: 'Grant' }).click();
	await expect(admin.getByText('Subscription granted; the app is being set up.')).toBeVisible();

	await admin.setViewportSize({ width: 390, height: 844 });
	await visit(admin, `/admin/customers?q=${encodeURIComponent(email)}`);
	await expectCard(admin, 'customer-row', ['Customer', 'Balance', 'Live subscriptions', 'Monthly spend', 'Joined']);
	await visit(admin, `/admin/subscriptions?q=${encodeURIComponent(email)}`);
	await expectCard(admin, 'admin-subscription-row', ['Customer', 'App', 'Status', 'Period ends']);
	await expect(admin.getByTestId('admin-subscription-row').getByRole('button', { name: 'Terminate' })).toBeInViewport();

	// The same pages in Indonesian, the operators' default.
	await context.addCookies([{ ...englishCookie, value: 'id' }]);
	await visit(admin, `/admin/customers?q=${encodeURIComponent(email)}`);
	await expect(admin.getByRole('heading', { name: 'Pelanggan', level: 1 })).toBeVisible();
	await expectCard(admin, 'customer-row', ['Pelanggan', 'Saldo', 'Langganan berjalan', 'Belanja bulanan', 'Bergabung']);
	await visit(admin, `/admin/subscriptions?q=${encodeURIComponent(email)}`);
	await expectCard(admin, 'admin-subscription-row', ['Pelanggan', 'Aplikasi', 'Status', 'Periode berakhir']);
	await expect(admin.getByTestId('admin-subscription-row')).toContainText('Diberikan');
	await expect(admin.getByTestId('admin-subscription-row').getByRole('button', { name: 'Hentikan' })).toBeVisible();
});

test('every admin tab is in view, on a laptop and on a phone, in English and in Indonesian', async ({ browser }) => {
	const context = await browser.newContext();
	const admin = await context.newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	const tabsFit = async (width: number) => {
		await admin.setViewportSize({ width, height: 900 });
		await visit(admin, '/admin');
		const nav = admin.getByRole('navigation', { name: 'Admin' });
		const tabs = nav.getByRole('link');
		await expect(tabs).toHaveCount(12);
		for (const tab of await tabs.all())
			await expect(tab, `${await tab.textContent()} at ${width} px`).toBeInViewport({ ratio: 1 });
		// Nothing hidden past the edge of the tabs or of the page.
		expect(await nav.evaluate((element) => element.scrollWidth - element.clientWidth), `${width} px`).toBeLessThanOrEqual(0);
		expect(await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
	};
	for (const width of [1280, 1400, 1440, 390]) await tabsFit(width);
	await context.addCookies([{ ...englishCookie, value: 'id' }]);
	for (const width of [1280, 390]) await tabsFit(width);
});
