import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { login, visit } from './helpers';

test('an administrator opens the analytics, picks a range and exports a report as CSV', async ({ page }) => {
	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin');
	await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Analytics' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();
	await expect(page.getByTestId('overview-mrr')).toHaveText(/^Rp /);
	// The churn rate says what it is a share of.
	await expect(page.getByTestId('overview-churn-note')).toHaveText(
		/^Churn rate (—|[\d.]+%): \d+ of the \d+ paid subscriptions live at the start of the range stopped within it\.$/
	);
	await expect(page.getByRole('figure', { name: 'Customer growth' })).toBeVisible();

	await page.getByRole('navigation', { name: 'Date range' }).getByRole('link', { name: 'This year' }).click();
	await expect(page).toHaveURL(/preset=year/);
	const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date()).slice(0, 4);
	await expect(page.getByText(`From 1 Jan ${year} to`)).toBeVisible();

	const report = page.getByTestId('report-customers');
	// Headers in the reader's language; the CSV keeps the columns' own names.
	await expect(report.getByRole('columnheader')).toHaveText(['Period', 'New', 'Total']);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		report.getByRole('link', { name: 'Export “Customer growth” as CSV' }).click()
	]);
	expect(download.suggestedFilename()).toMatch(new RegExp(`^minispod-customers-${year}-01-01-to-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
	const lines = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
	expect(lines[0]).toBe('period,new,total');
	expect(lines.length).toBeGreaterThan(1);
	expect(lines.at(-1)).toMatch(/^\d{4}-\d{2}-\d{2},\d+,\d+$/);
});

test('the reports write dates and amounts as the rest of the app does', async ({ page }) => {
	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(page, '/admin/analytics?preset=30d');
	const report = page.getByTestId('report-customers');
	await expect(report.getByRole('cell').first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
	const xLabels = report.locator('.lc-axis.placement-bottom .lc-axis-tick-label');
	await expect(xLabels.first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
	await expect(page.getByTestId('report-mrr').locator('.lc-axis.placement-left .lc-axis-tick-label').first()).toHaveText(/^Rp /);
});

test('the analytics fit the screen at 1280, 1400 and 390 px, their axis labels apart', async ({ page }) => {
	await login(page, E2E_ADMIN.email, E2E_ADMIN.password);
	for (const width of [1280, 1400, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await visit(page, '/admin/analytics?preset=90d');
		await expect(page.getByTestId('report-customers').locator('.lc-axis-tick-label').first()).toBeVisible();
		expect(
			await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
			`${width} px`
		).toBeLessThanOrEqual(0);
		// Within each chart, no two labels of the date axis overlap.
		const overlaps = () =>
			page.evaluate(() =>
				[...document.querySelectorAll('.lc-axis.placement-bottom')].flatMap((axis) => {
					const boxes = [...axis.querySelectorAll('.lc-axis-tick-label')]
						.map((label) => label.getBoundingClientRect())
						.filter((box) => box.width > 0)
						.sort((a, b) => a.left - b.left);
					return boxes
						.slice(1)
						.filter((box, index) => box.left < boxes[index].right)
						.map((box) => box.left);
				})
			);
		await expect.poll(overlaps, { message: `${width} px` }).toEqual([]);
	}
});
