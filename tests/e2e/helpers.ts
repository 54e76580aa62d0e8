import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { expect, request, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';

/** An address no other test uses, whichever worker it runs in. */
export function uniqueEmail(prefix = 'customer') {
	return `${prefix}-${randomUUID().slice(0, 13)}@example.com`;
}

/**
 * Waits until SvelteKit has hydrated the page: until then buttons that only work with
 * JavaScript (Log out, those that open a dialog) do nothing when clicked. SvelteKit's
 * router takes over scroll restoration when it starts, right after hydrating.
 */
export async function hydrated(page: Page) {
	await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/** Opens a page of MinisPod and waits until it is hydrated. */
export async function visit(page: Page, path: string) {
	const response = await page.goto(path);
	await hydrated(page);
	return response;
}

/** Fills in and sends the register form; the page then says "check your e-mail", logging nobody in. */
export async function submitRegistration(page: Page, name: string, email: string, password = 'correct horse battery') {
	await visit(page, '/register');
	await page.getByLabel('Name').fill(name);
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByTestId('register-sent')).toContainText(email);
}

let adminApi: Promise<APIRequestContext> | undefined;

/**
 * The administrator's API, logged in once per worker in its own cookie jar (not the page's).
 * Each call has a connection of its own: the worker goes on to other tests, and a request on a
 * connection left idle meanwhile can cross the server's close of it (a "socket hang up").
 * Playwright's client keeps idle connections without a timeout of its own.
 */
function admin(baseURL: string): Promise<APIRequestContext> {
	adminApi ??= (async () => {
		const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL, connection: 'close' } });
		const response = await api.post('/api/trpc/auth.login', { data: { json: E2E_ADMIN } });
		expect(response.ok(), await response.text()).toBe(true);
		return api;
	})();
	return adminApi;
}

/** The mails of a kind to an address as the admin Outbox page shows them, newest first (queued ones too). */
async function outboxMails(page: Page, to: string, kind: string): Promise<{ text: string }[]> {
	const api = await admin(new URL(page.url()).origin);
	const input = encodeURIComponent(JSON.stringify({ json: { page: 1, pageSize: 100 } }));
	const response = await api.get(`/api/trpc/admin.mail.outbox?input=${input}`);
	expect(response.ok(), await response.text()).toBe(true);
	const body = (await response.json()) as { result: { data: { json: { items: { to: string; kind: string; text: string }[] } } } };
	return body.result.data.json.items.filter((item) => item.to === to.toLowerCase() && item.kind === kind);
}

/** Credits a customer as an administrator does, through the API (not the page's session). */
/**
 * Subscribes the signed-in customer to Uptime Kuma's free plan (the app named `name` when given)
 * and waits for the subscription page; returns the subscription's id.
 */
export async function subscribeToFreeUptimeKuma(page: Page, name?: string): Promise<string> {
	await visit(page, '/catalog/uptime-kuma');
	await page.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Free' }).click();
	const dialog = page.getByRole('dialog', { name: 'Subscribe to Uptime Kuma Free' });
	if (name) await dialog.getByLabel('App name').fill(name);
	await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(page).toHaveURL(/\/subscriptions\//);
	return new URL(page.url()).pathname.split('/').pop()!;
}

export async function creditCustomer(page: Page, email: string, amount: number, reason = 'Goodwill credit') {
	const api = await admin(new URL(page.url()).origin);
	const input = encodeURIComponent(JSON.stringify({ json: { q: email, page: 1 } }));
	const found = await api.get(`/api/trpc/admin.customers.list?input=${input}`);
	expect(found.ok(), await found.text()).toBe(true);
	const [customer] = ((await found.json()) as { result: { data: { json: { items: { id: string }[] } } } }).result.data.json.items;
	const credited = await api.post('/api/trpc/admin.wallet.adjust', {
		data: { json: { userId: customer.id, direction: 'credit', amount, reason } }
	});
	expect(credited.ok(), await credited.text()).toBe(true);
}

/** The text of the newest mail of a kind to an address as the admin Outbox page shows it. */
export async function outboxText(page: Page, to: string, kind: string): Promise<string> {
	const [mail] = await outboxMails(page, to, kind);
	expect(mail, `a ${kind} mail to ${to}`).toBeTruthy();
	return mail.text;
}

/**
 * The link of the newest mail of a kind to an address. The admin Outbox page hides account
 * links' tokens; without SMTP_URL the whole mail is a file in the data directory's outbox
 * folder (written when the mail-send job runs), which is where a developer finds it too.
 * Returned as a path.
 */
export async function mailLink(page: Page, to: string, kind: string): Promise<string> {
	const folder = path.join(process.env.E2E_DATA_DIR!, 'outbox');
	// Every such mail queued so far, the newest included, must have been written out.
	const queued = (await outboxMails(page, to, kind)).length;
	let text = '';
	await expect
		.poll(
			async () => {
				const files = await readdir(folder).catch(() => [] as string[]);
				const mails = await Promise.all(
					files.map(async (file) => ({
						file,
						...(await stat(path.join(folder, file))),
						text: await readFile(path.join(folder, file), 'utf8')
					}))
				);
				const written = mails
					.filter((mail) => mail.text.includes(`To: ${to.toLowerCase()}\n`) && mail.text.includes(`Kind: ${kind}\n`))
					.sort((a, b) => b.mtimeMs - a.mtimeMs);
				text = written[0]?.text ?? '';
				return written.length > 0 && written.length >= queued;
			},
			{ message: `a ${kind} mail to ${to}`, timeout: 30_000 }
		)
		.toBe(true);
	const url = text.match(/https?:\/\/\S+/g)!.find((link) => link.includes('token='))!;
	const link = new URL(url);
	return link.pathname + link.search;
}

/** Opens the verification link mailed to the address and confirms it. */
export async function verifyEmail(page: Page, email: string) {
	await visit(page, await mailLink(page, email, 'verify-email'));
	await page.getByRole('button', { name: 'Confirm e-mail address' }).click();
	await expect(page.getByTestId('email-confirmed')).toContainText(`${email.toLowerCase()} is verified`);
}

/** Registers, verifies the address from the mailed link and logs in: a customer who can top up. */
export async function register(page: Page, name: string, email: string, password = 'correct horse battery') {
	await submitRegistration(page, name, email, password);
	await verifyEmail(page, email);
	await login(page, email, password);
	await expect(page).toHaveURL(/\/catalog$/);
	await expect(page.getByTestId('current-user')).toHaveText(name);
}

export async function login(page: Page, email: string, password: string) {
	await visit(page, '/login');
	await page.getByLabel('E-mail').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByTestId('current-user')).toBeVisible();
}

export async function logout(page: Page) {
	await hydrated(page);
	await page.getByRole('button', { name: 'Log out', exact: true }).click();
	await expect(page).toHaveURL(/\/login$/);
}

/** Opens the wallet of a customer with no credit and starts a bank-transfer top-up. */
export async function startTopUp(page: Page, bank: string, amount: string) {
	await visit(page, '/wallet');
	await expect(page.getByTestId('wallet-balance')).toHaveText('Rp 0');
	await page.getByRole('button', { name: amount, exact: true }).click();
	await page.getByRole('radio', { name: /Bank transfer/ }).check();
	await page.getByRole('radio', { name: bank, exact: true }).check();
	await page.getByRole('button', { name: `Top up ${amount}` }).click();
	// The Midtrans simulator's hosted payment page, on its own loopback port.
	await expect(page.getByRole('heading', { name: 'Pay your order' })).toBeVisible();
	await expect(page.getByTestId('simulator-amount')).toHaveText(amount);
}

/** Tops up through the simulator's payment page and waits for the credit. */
export async function topUp(page: Page, amount: string) {
	await startTopUp(page, 'BCA', amount);
	await page.getByRole('button', { name: 'Continue' }).click();
	await page.getByRole('button', { name: `Pay ${amount}` }).click();
	await expect(page.getByTestId('topup-status')).toHaveAttribute('data-status', 'COMPLETED');
}
