// The notifications page pages through every notice, and shows one arriving while it is open.
import { expect, test, type Page } from '@playwright/test';
import { creditCustomer, register, uniqueEmail, visit } from './helpers';

/** Marks notices read as opening them would, through the page's own session. */
async function markRead(page: Page, ids: string[]) {
	const origin = new URL(page.url()).origin;
	const marked = await page.request.post('/api/trpc/notifications.markRead', { headers: { origin }, data: { json: { ids } } });
	expect(marked.ok(), await marked.text()).toBe(true);
}

/** The ids of a page of the customer's notices, newest first. */
async function noticeIds(page: Page, listPage: number): Promise<string[]> {
	const input = encodeURIComponent(JSON.stringify({ json: { page: listPage } }));
	const listed = await page.request.get(`/api/trpc/notifications.list?input=${input}`);
	expect(listed.ok(), await listed.text()).toBe(true);
	const body = (await listed.json()) as { result: { data: { json: { items: { id: string }[] } } } };
	return body.result.data.json.items.map((item) => item.id);
}

test('every notice is reachable page by page, and all can be marked read while the unread ones are on a later page', async ({
	page
}) => {
	const email = uniqueEmail('many-notices');
	await register(page, 'Rina Kusuma', email);
	// Two notices for the second page, then a full first page of newer ones.
	for (let credit = 1; credit <= 27; credit++) await creditCustomer(page, email, 1_000, `Goodwill credit ${credit}`);

	await visit(page, '/notifications');
	const bell = page.getByTestId('unread-count').first();
	await expect(bell).toHaveText('27');
	const list = page.getByTestId('notifications');
	await expect(list.getByRole('listitem')).toHaveCount(25);
	await expect(list.getByRole('listitem').first()).toContainText('Goodwill credit 27');
	// The newest is opened (which reads it), the rest of the first page read too.
	await list.getByRole('link').first().click();
	await expect(page).toHaveURL(/\/wallet\/transactions\//);
	await expect(bell).toHaveText('26');
	await markRead(page, await noticeIds(page, 1));

	await visit(page, '/notifications');
	await expect(bell).toHaveText('2');
	await expect(list.getByText('(unread)')).toHaveCount(0);
	// The two unread are further on: the page still offers to mark everything read, and leads to them.
	await expect(page.getByRole('button', { name: 'Mark all as read' })).toBeVisible();
	await expect(page.getByText('Page 1 of 2')).toBeVisible();
	await page.getByRole('link', { name: 'Older' }).click();
	await expect(page).toHaveURL(/\/notifications\?page=2$/);
	await expect(list.getByRole('listitem')).toHaveCount(2);
	await expect(list.getByText('(unread)')).toHaveCount(2);
	await expect(list.getByRole('listitem').last()).toContainText('Goodwill credit 1');

	await page.getByRole('link', { name: 'Newer' }).click();
	await expect(page).toHaveURL(/\/notifications$/);
	await page.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(page.getByTestId('unread-count')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
	await visit(page, '/notifications?page=2');
	await expect(list.getByText('(unread)')).toHaveCount(0);

	// In Indonesian the pages are named so too; a page past the last shows the last.
	await page.getByTestId('locale-switch').first().selectOption('id');
	await expect(page.locator('html')).toHaveAttribute('lang', 'id');
	await visit(page, '/notifications?page=9');
	await expect(page).toHaveURL(/\/notifications\?page=2$/);
	await expect(page.getByText('Halaman 2 dari 2')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Lebih baru' })).toBeVisible();
});

test('a notice arriving while the notifications page is open joins it at the top, without a reload', async ({ page }) => {
	const email = uniqueEmail('live-notices');
	await register(page, 'Sari Wulandari', email);
	await creditCustomer(page, email, 1_000, 'Goodwill credit before');
	await visit(page, '/notifications');
	const list = page.getByTestId('notifications');
	await expect(list.getByRole('listitem')).toHaveCount(1);
	// The bell's count comes from the live stream: once it shows, the stream is listening.
	const bell = page.getByTestId('unread-count').first();
	await expect(bell).toHaveText('1');

	await creditCustomer(page, email, 2_000, 'Goodwill credit while open');
	await expect(list.getByRole('listitem')).toHaveCount(2);
	await expect(list.getByRole('listitem').first()).toContainText('Goodwill credit while open');
	await expect(list.getByRole('listitem').first().getByText('(unread)')).toBeVisible();
	await expect(bell).toHaveText('2');
	// Marking all read reads the page again: both are there once, read.
	await page.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(bell).toHaveCount(0);
	await expect(list.getByRole('listitem')).toHaveCount(2);
	await expect(list.getByText('(unread)')).toHaveCount(0);
});

test('a credit made elsewhere shows in the header and on the open wallet page, without a reload', async ({ page }) => {
	const email = uniqueEmail('live-balance');
	await register(page, 'Bayu Saputra', email);
	await visit(page, '/catalog');
	const header = page.getByTestId('header-balance');
	await expect(header).toHaveText('Rp 0');

	await creditCustomer(page, email, 1_000, 'Goodwill credit while browsing');
	await expect(header).toHaveText('Rp 1.000');
	// The root layout's data is not read again on a link: the header keeps the newer balance.
	await page.getByRole('link', { name: 'My subscriptions', exact: true }).first().click();
	await expect(page).toHaveURL(/\/subscriptions$/);
	await expect(header).toHaveText('Rp 1.000');

	await visit(page, '/wallet');
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 1.000');
	await creditCustomer(page, email, 2_000, 'Goodwill credit on the wallet page');
	// The wallet page reads itself again: its balance and its recent history.
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 3.000');
	await expect(page.getByRole('row', { name: /\+Rp 2\.000 Rp 3\.000/ })).toBeVisible();
	await expect(header).toHaveText('Rp 3.000');
});
