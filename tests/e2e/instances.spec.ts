import { expect, test } from '@playwright/test';
import { scaled } from '../support/timeouts';
import { hydrated, register, subscribeToFreeUptimeKuma, uniqueEmail, visit } from './helpers';

test('a customer subscribes, watches the set-up reach RUNNING, and sees log lines arrive', async ({ page }) => {
	// It waits for the health job's first usage sample, taken once a minute: longer than one page flow.
	test.setTimeout(scaled(180_000));
	await register(page, 'Lestari Dewi', uniqueEmail('instance'));
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Uptime Kuma Free' });
	await dialog.getByLabel('App name').fill('Uptime board');
	await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);

	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page).toHaveURL(/\/instances\/[0-9a-f-]{36}$/);
	// Progress updates live until the app is running.
	const steps = page.getByTestId('provisioning-steps');
	await expect(steps.locator('[data-step="namespace"]')).toHaveAttribute('data-status', 'done');
	await expect(page.getByTestId('instance-status')).toHaveText('Running', { timeout: scaled(30_000) });
	await expect(steps.locator('[data-step="rollout"]')).toHaveAttribute('data-status', 'done');
	// Set up, the steps are history: the section says when they ended.
	await expect(page.getByTestId('set-up-at')).toHaveText(
		/^Set up on \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} WIB: these are the steps it took, not what the app is doing now\.$/
	);
	await expect(page.getByTestId('public-url')).toContainText(/^https:\/\/uptime-board-[a-z0-9]{6}\./);
	await expect(page.getByTestId('pod-name')).toHaveText(/^uptime-board-/);
	// The image is shown by its tag; it runs pinned by digest.
	await expect(page.getByText('louislam/uptime-kuma:2.0.2', { exact: true })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Resource use' })).toBeVisible();
	// Just set up, the app has no usage history yet: the section says when it comes, not an empty
	// chart (whether or not the first sample has come already).
	const usageEmpty = page.getByTestId('usage-empty');
	await expect(usageEmpty).toContainText('appears after the first few minutes');

	// Log lines of the running pod arrive over the live stream.
	await expect(page.getByTestId('log-status')).toHaveText('Live');
	const lines = page.getByTestId('log-lines');
	await expect(lines).toContainText('Welcome to Uptime Kuma 2.0.2', { timeout: scaled(20_000) });

	// The health job's first sample (it samples once a minute) gives the meters; the chart needs a
	// second, and says so until then.
	await expect(async () => {
		await visit(page, page.url());
		await expect(page.getByTestId('usage-now')).toBeVisible({ timeout: 1_000 });
	}).toPass({ timeout: scaled(90_000) });
	await expect(usageEmpty).toHaveText('The chart of the last 24 hours appears after the first few minutes.');
	await expect(page.getByText(/the last 24 hours:$/)).toHaveCount(0);

	// Stop asks for confirmation, then the status follows the app down.
	await page.getByRole('button', { name: 'Stop', exact: true }).click();
	await page.getByRole('dialog', { name: 'Stop this app?' }).getByRole('button', { name: 'Stop app' }).click();
	await expect(page.getByTestId('instance-status')).toHaveText('Stopped', { timeout: scaled(30_000) });
	await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
	await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeDisabled();

	// On a phone the list of apps fits the screen: a long address is cut, not scrolled sideways.
	await page.setViewportSize({ width: 390, height: 844 });
	await visit(page, '/instances');
	await expect(page.getByTestId('instance-card')).toHaveCount(1);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('an app being deleted with its ended subscription offers no controls, only its status', async ({ page }) => {
	await register(page, 'Wulan Sari', uniqueEmail('ending'));
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Uptime Kuma Free' });
	await dialog.getByLabel('App name').fill('Old board');
	await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	const controls = page.getByRole('link', { name: 'Open app controls and logs' });
	const instancePath = (await controls.getAttribute('href'))!;

	// On a phone the status badge keeps its own width under the header's column.
	await page.setViewportSize({ width: 390, height: 844 });
	const badge = page.getByTestId('subscription-status').locator('xpath=..');
	expect((await badge.boundingBox())!.width).toBeLessThan(150);
	await page.setViewportSize({ width: 1280, height: 720 });

	await page.getByRole('button', { name: 'Terminate now' }).click();
	const terminate = page.getByRole('dialog', { name: 'Terminate Old board now?' });
	// A free plan's period was not paid for: nothing is promised back.
	await expect(terminate).toContainText('right away. Nothing is refunded to your credit.');
	await expect(terminate).not.toContainText('unused part');
	// Its data is not gone at once: the last backup is kept for a restore, and the dialog says so.
	await expect(terminate).toContainText('is kept for 7 days');
	await terminate.getByLabel(/Type/).fill('Old board');
	await terminate.getByRole('button', { name: 'Terminate now' }).click();
	await expect(page.getByTestId('subscription-status')).toHaveText('Cancelled');
	// Being deleted or gone, the app is shown by its status, without the controls that no longer work.
	await expect(page.getByText(/^(Terminating|Terminated)$/)).toBeVisible();
	await expect(controls).toHaveCount(0);
	// An ended subscription has no current period: the page says when it ended.
	await expect(page.getByTestId('ended-on')).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
	await expect(page.getByText('Current period')).toHaveCount(0);

	// Its page says it is going or gone, without an address, credentials or set-up steps.
	await visit(page, instancePath);
	await expect(page.getByTestId('instance-ending')).toHaveText(
		/^This app (is being deleted\. .+|was deleted on \d{1,2} [A-Z][a-z]{2} \d{4}\.)$/
	);
	await expect(page.getByTestId('app-access')).toHaveCount(0);
	await expect(page.getByText('The address appears once the app is running.')).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Set-up progress' })).toHaveCount(0);

	await visit(page, '/subscriptions');
	await expect(page.getByTestId('subscription-row').filter({ hasText: 'Old board' })).toContainText(/App: Terminat(ing|ed)/);
	await expect(page.getByTestId('subscription-row').filter({ hasText: 'Old board' })).toContainText(
		'Uptime Kuma · Free · no charge'
	);
	await expect(page.locator(`a[href="${instancePath}"]`)).toHaveCount(0);
	// The dashboard lists it while it is being deleted, as a card that links nowhere and shows no address.
	await visit(page, '/instances');
	await expect(page.locator(`a[href="${instancePath}"]`)).toHaveCount(0);
	await expect(page.getByText(/old-board-[a-z0-9]{6}/)).toHaveCount(0);
});

test('an app’s page sits under the dashboard: the header marks it, the back link goes there by its name', async ({ page }) => {
	await register(page, 'Sekar Ayu', uniqueEmail('app-page'));
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Uptime Kuma Free' });
	await dialog.getByLabel('App name').fill('Status page');
	await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	const subscriptionPath = new URL(page.url()).pathname;

	// Opened from its subscription or from the dashboard, the app's page belongs to the dashboard.
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await expect(page).toHaveURL(/\/instances\/[0-9a-f-]{36}$/);
	await hydrated(page);
	const nav = page.getByRole('navigation', { name: 'Main' });
	await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
	await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
	const main = page.getByRole('main');
	const back = main.getByRole('link', { name: 'Dashboard', exact: true });
	await expect(back).toHaveAttribute('href', '/instances');
	// The subscription (plan, billing, cancelling) is a link of its own, named for where it goes.
	await expect(main.getByRole('link', { name: 'Subscription and billing' })).toHaveAttribute('href', subscriptionPath);
	await back.click();
	await expect(page).toHaveURL(/\/instances$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Your apps' })).toBeVisible();
	await expect(nav.getByRole('link', { name: 'Dashboard' })).toHaveAttribute('aria-current', 'page');
});

test('a link clicked while the subscription page follows the set-up is not lost to its next refresh', async ({ page }) => {
	// The page's clock is Playwright's, so its refresh (every 3 s while the app is set up) falls due
	// exactly while the app page's data is loading.
	await page.clock.install();
	await register(page, 'Rudi Hartono', uniqueEmail('poll-click'));
	await subscribeToFreeUptimeKuma(page);
	await page.clock.pauseAt(Date.now() + 1_000);

	// The app page's data is held until a refresh has fallen due.
	let loading!: () => void;
	const requested = new Promise<void>((resolve) => (loading = resolve));
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route(/\/instances\/[0-9a-f-]{36}\/__data\.json/, async (route) => {
		loading();
		await held;
		await route.continue();
	});
	await page.getByRole('link', { name: 'Open app controls and logs' }).click();
	await requested;
	await page.clock.runFor(3_500);
	release();
	await expect(page).toHaveURL(/\/instances\/[0-9a-f-]{36}$/);
	await expect(page.getByTestId('instance-status')).toBeVisible();
	await page.clock.resume();
});
