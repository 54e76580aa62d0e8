import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';
import { hydrated, login, register, uniqueEmail, visit } from './helpers';

// Each test drives two browsers (an administrator and a customer) through several pages.
test.describe.configure({ timeout: 150_000 });

test('an administrator creates a service in the editor, previews its objects, adds a plan, and a customer subscribes', async ({
	browser
}) => {
	const slug = `notes-${Date.now().toString(36)}`;
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(admin, '/admin/catalog');
	await admin.getByRole('link', { name: 'New service' }).click();

	const form = admin.getByRole('form', { name: 'Service template' });
	await form.getByLabel('Name').fill('Team Notes');
	await form.getByLabel('Slug').fill(slug);
	await form.getByLabel('Category').selectOption({ label: 'Productivity' });
	await form.getByLabel('Short description').fill('Shared notes for small teams.');
	await form.getByLabel('Image').fill('ghcr.io/example/team-notes:1.4.2');
	await form.getByLabel('Version').fill('1.4.2');
	await form.getByLabel('Container port').fill('3000');
	await form.getByLabel('Health-check path').fill('/health');
	await form.getByLabel('Volume mount path').fill('/var/lib/notes');
	await form.getByRole('button', { name: 'Add a variable' }).click();
	await form.getByLabel('Variable', { exact: true }).fill('NOTES_SECRET');
	await form.getByLabel('Value comes from').selectOption('secret');

	// A sysctl refused is told by its line and what is on it; blank lines go as it is sent, so the
	// line counted is the one the operator sees.
	const sysctls = form.getByLabel('Kernel settings (sysctls)');
	await sysctls.fill('net.ipv4.ip_unprivileged_port_start=80\n\nnet.ipv4.tcp_syncookies=1\nnet.ipv4.foo=1\n');
	await admin.getByRole('button', { name: 'Preview Kubernetes objects' }).click();
	await expect(sysctls).toHaveAccessibleDescription(/^Line 3: net\.ipv4\.foo is not allowed; use one of the safe sysctls: /);
	await expect(sysctls).toHaveValue('net.ipv4.ip_unprivileged_port_start=80\nnet.ipv4.tcp_syncookies=1\nnet.ipv4.foo=1');
	await sysctls.fill('net.ipv4.ip_unprivileged_port_start=80');
	await admin.getByRole('button', { name: 'Preview Kubernetes objects' }).click();
	const preview = admin.getByTestId('manifest-preview');
	await expect(preview).toContainText('Sample plan — valid');
	await expect(preview).toContainText('kind: Deployment');
	await expect(preview).toContainText('image: ghcr.io/example/team-notes:1.4.2');
	await expect(preview).toContainText('NOTES_SECRET: "<generated: 32 alphanumeric>"');

	await admin.getByRole('button', { name: 'Create service' }).click();
	await expect(admin.getByText('Service created. Add its plans below.')).toBeVisible();
	// Said once: the address loses ?created=1, so a reload does not say it again.
	await expect(admin).toHaveURL(/\/admin\/catalog\/services\/[0-9a-f-]+$/);
	await admin.reload();
	await hydrated(admin);
	await expect(admin.getByText('Service created. Add its plans below.')).toHaveCount(0);
	await admin.getByRole('button', { name: 'Add a plan' }).click();
	const plan = admin.getByRole('form', { name: 'New plan' });
	await plan.getByLabel('Tier').selectOption('FREE');
	await plan.getByLabel('Plan name').fill('Starter');
	await plan.getByLabel('Monthly price (Rp)').fill('0');
	await plan.getByRole('button', { name: 'Add plan' }).click();
	await expect(admin.getByText('Starter added.')).toBeVisible();
	await expect(admin.getByTestId('editor-plan-FREE')).toContainText('Starter');

	const customer = await (await browser.newContext()).newPage();
	await register(customer, 'Notes Customer', uniqueEmail('notes'));
	await visit(customer, `/catalog/${slug}`);
	await expect(customer.getByRole('heading', { level: 1, name: 'Team Notes' })).toBeVisible();
	await customer.locator('[data-plan-type="FREE"]').getByRole('button', { name: 'Subscribe to Starter' }).click();
	await customer.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
	await expect(customer).toHaveURL(/\/subscriptions\//);
	await expect(customer.getByRole('heading', { level: 1 })).toContainText('Team Notes');
});

// Gitea's Basic plan: no other browser test uses it, and they run in parallel.
test('a new plan price shows in the catalog at once and reaches the subscriber as a notice with its date', async ({
	browser
}) => {
	const email = uniqueEmail('priced');
	const customer = await (await browser.newContext()).newPage();
	await register(customer, 'Priced Customer', email);

	// Credit from the customer page, so they can pay for a plan.
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(admin, `/admin/customers?q=${encodeURIComponent(email)}`);
	await admin.getByRole('link', { name: 'Priced Customer' }).click();
	await admin.getByRole('button', { name: 'Credit or debit' }).click();
	const credit = admin.getByRole('dialog', { name: 'Credit or debit Priced Customer' });
	// Past the balance cap the refusal says to tick the override, which is there to tick.
	await credit.getByLabel('Amount (Rp)').fill('200000000');
	await credit.getByLabel('Reason (shown to the customer)').fill('Welcome credit for the pilot');
	const confirmCredit = admin.getByRole('dialog', { name: 'Credit this customer?' });
	await credit.getByRole('button', { name: 'Review adjustment' }).click();
	await confirmCredit.getByRole('button', { name: 'Credit' }).click();
	await expect(credit).toContainText('Tick the override to credit it anyway');
	await expect(credit.getByLabel('Allow a balance above the cap (recorded in the audit log)')).not.toBeChecked();
	await credit.getByLabel('Amount (Rp)').fill('Rp 100.000');
	// Another amount: the cap's refusal was about the last one.
	await expect(credit).not.toContainText('Tick the override');
	await credit.getByRole('button', { name: 'Review adjustment' }).click();
	await expect(confirmCredit.getByTestId('adjust-review')).toHaveText(`Add Rp 100.000 to the wallet of ${email}.`);
	await confirmCredit.getByRole('button', { name: 'Credit' }).click();
	await expect(admin.getByTestId('customer-balance')).toHaveText('Rp 100.000');

	await visit(customer, '/catalog/gitea');
	await customer.locator('[data-plan-type="BASIC"]').getByRole('button', { name: 'Subscribe to Basic' }).click();
	await customer.getByRole('dialog').getByRole('button', { name: 'Confirm and pay' }).click();
	await expect(customer).toHaveURL(/\/subscriptions\//);
	const subscriptionUrl = customer.url();

	await visit(admin, '/admin/catalog');
	await admin.getByRole('link', { name: 'Edit Gitea' }).click();
	await admin.getByRole('button', { name: 'Edit Basic' }).click();
	const plan = admin.getByRole('form', { name: 'Edit Basic' });
	const price = plan.getByLabel('Monthly price (Rp)');
	// A change of what the plan sells is said to reach new subscriptions and upgrades only.
	const domains = plan.getByLabel('Custom domains per app');
	const sold = await domains.inputValue();
	await expect(plan.getByTestId('plan-terms-change')).toHaveCount(0);
	await domains.fill(String(Number(sold) + 1));
	await expect(plan.getByTestId('plan-terms-change')).toContainText(
		/apply to new subscriptions and upgrades only: the plan’s \d+ current subscribers keep what they bought/
	);
	await domains.fill(sold);
	await expect(plan.getByTestId('plan-terms-change')).toHaveCount(0);
	// Read as rupiah are written, as the top-up reads them: what is no whole amount is refused
	// beside the field before anything is sent.
	for (const [refused, sentence] of [
		['45,5', 'Rupiah amounts have no cents: enter a whole amount, such as 50.000'],
		['abc', 'Enter the amount in digits, such as 50000 or 50.000'],
		['45,000', 'Write thousands with dots: 45.000']
	]) {
		await price.fill(refused);
		await plan.getByRole('button', { name: 'Save plan' }).click();
		await expect(price).toHaveAccessibleDescription(sentence);
		await expect(price).toBeFocused();
	}
	await expect(admin.getByRole('dialog')).toHaveCount(0);
	await price.fill('Rp 45.000');
	await expect(plan.getByText('Reads as Rp 45.000.')).toBeVisible();
	await expect(plan.getByText(/The price changes from Rp 39.000 to Rp 45.000/)).toBeVisible();
	await plan.getByLabel('Why (kept in the audit log)').fill('Bigger servers for everyone');
	await plan.getByRole('button', { name: 'Save plan' }).click();
	// The subscribers are e-mailed as it saves: confirmed first, naming how many and the prices.
	const announce = admin.getByRole('dialog', { name: /^Change the price and tell \d+ subscribers\?$/ });
	await expect(announce.getByTestId('plan-price-confirm')).toContainText('Basic changes from Rp 39.000 to Rp 45.000');
	// Cancelled: nothing saved, the form still open with the new price in it.
	await announce.getByRole('button', { name: 'Cancel' }).click();
	await expect(announce).toBeHidden();
	await expect(price).toHaveValue('Rp 45.000');
	await expect(admin.getByText(/subscribers were told the new price/)).toHaveCount(0);
	await plan.getByRole('button', { name: 'Save plan' }).click();
	await announce.getByRole('button', { name: 'Save and notify' }).click();
	await expect(admin.getByText(/subscribers were told the new price/)).toBeVisible();
	await expect(admin.getByTestId('editor-plan-BASIC').getByTestId('editor-plan-price')).toHaveText('Rp 45.000');

	await visit(customer, '/catalog/gitea');
	await expect(customer.locator('[data-plan-type="BASIC"]').getByTestId('plan-price')).toHaveText('Rp 45.000');
	await visit(customer, '/notifications');
	const notice = customer.getByTestId('notifications').getByText('New price for Gitea Basic: Rp 45.000 per month');
	await expect(notice).toBeVisible();
	await expect(customer.getByTestId('notifications')).toContainText(
		/From your renewal on \d+ \w+ \d{4}, Gitea Basic costs Rp 45.000 per month instead of Rp 39.000/
	);
	await visit(customer, subscriptionUrl);
	await expect(customer.getByTestId('pending-price')).toContainText('Rp 45.000 per month from your renewal on');

	// Terminating it, the administrator reads the refund before confirming, and it is what is given.
	await visit(admin, `/admin/subscriptions?q=${encodeURIComponent(email)}`);
	await admin.getByTestId('admin-subscription-row').getByRole('button', { name: 'Terminate' }).click();
	const terminate = admin.getByRole('dialog', { name: /^Terminate Gitea/ });
	const refund = terminate.getByTestId('terminate-refund');
	await expect(refund).toHaveText('The customer gets Rp 39.000 back to their balance.');
	await terminate.getByLabel('Refund the unused part of the period').uncheck();
	await expect(refund).toHaveText('Without a refund, the customer does not get the Rp 39.000 left of their period.');
	await terminate.getByLabel('Refund the unused part of the period').check();
	await terminate.getByLabel('Reason').fill('Asked by the customer');
	await terminate.getByLabel(/Type/).fill(email);
	await terminate.getByRole('button', { name: 'Terminate' }).click();
	await expect(admin.getByText("Terminated; Rp 39.000 refunded to the customer's credit.", { exact: false })).toBeVisible();
});

test('a new category is written in both languages, a taken name refused beside it; hiding it asks first and says what customers lose', async ({
	browser
}) => {
	const name = `Hideable ${Date.now().toString(36)}`;
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	await visit(admin, '/admin/catalog');
	// A new category is written in both languages at once, like an edited one.
	await admin.getByRole('button', { name: 'New category' }).click();
	const form = admin.getByRole('form', { name: 'New category' });
	await form.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
	await expect(form.getByRole('textbox', { name: 'Slug' })).toHaveValue(name.toLowerCase().replace(' ', '-'));
	await form.getByRole('textbox', { name: 'Name (Indonesian)' }).fill(`Tersembunyi ${name}`);
	await form.getByRole('button', { name: 'Add category' }).click();
	await expect(admin.getByText(`Category ${name} created.`)).toBeVisible();
	await expect(form).toHaveCount(0);
	const row = admin.getByTestId('catalog-category-row').filter({ hasText: name });
	await expect(row).toBeVisible();
	await row.getByRole('button', { name: `Edit ${name}` }).click();
	await expect(admin.getByRole('form', { name: `Edit ${name}` }).getByRole('textbox', { name: 'Name (Indonesian)' })).toHaveValue(
		`Tersembunyi ${name}`
	);
	await admin
		.getByRole('form', { name: `Edit ${name}` })
		.getByRole('button', { name: 'Cancel' })
		.click();

	await row.getByRole('button', { name: 'Hide', exact: true }).click();
	const dialog = admin.getByRole('dialog', { name: `Hide ${name} from customers?` });
	await expect(dialog).toContainText(`${name} and the services in it (0) leave the catalog`);
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toHaveCount(0);
	await admin.reload();
	await expect(row).toBeVisible();
	await expect(row).not.toContainText('Hidden');

	await hydrated(admin);
	await row.getByRole('button', { name: 'Hide', exact: true }).click();
	await dialog.getByRole('button', { name: 'Hide', exact: true }).click();
	await expect(admin.getByText(`${name} is hidden from customers.`)).toBeVisible();
	await expect(row).toContainText('Hidden');
	await expect(row.getByRole('button', { name: 'Show', exact: true })).toBeVisible();
});

/** A tRPC call as the page's signed-in user (the page's cookies), answered with its result. */
async function call<T>(page: Page, procedure: string, input: unknown, type: 'query' | 'mutation' = 'mutation'): Promise<T> {
	const json = JSON.stringify({ json: input });
	const origin = new URL(page.url()).origin;
	const response =
		type === 'query'
			? await page.request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(json)}`)
			: await page.request.post(`/api/trpc/${procedure}`, {
					data: json,
					headers: { origin, 'content-type': 'application/json' }
				});
	expect(response.ok(), await response.text()).toBe(true);
	return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

/**
 * A hidden service of its own (browser tests run in parallel) with one plan of the tier, named
 * after it ('Basic'), created through the API as the page's administrator.
 */
async function hiddenService(admin: Page, prefix: string, planType: 'FREE' | 'BASIC', fields: Record<string, unknown> = {}) {
	const [category] = await call<{ id: string }[]>(admin, 'admin.catalog.categories', undefined, 'query');
	const service = await call<{ id: string }>(admin, 'admin.catalog.createService', {
		name: 'Team Boards',
		slug: `${prefix}-${Date.now().toString(36)}`,
		categoryId: category.id,
		description: 'Kanban boards for small teams.',
		version: '2.1.0',
		dockerImage: 'ghcr.io/example/team-boards:2.1.0',
		defaultPort: 8080,
		healthCheckPath: '/',
		dataMountPath: '/data',
		podSecurityLevel: 'restricted',
		runAsUser: 1000,
		envTemplate: [],
		tags: [],
		isFeatured: false,
		isPublic: false,
		...fields
	});
	await call(admin, 'admin.catalog.createPlan', {
		serviceId: service.id,
		planType,
		name: planType === 'FREE' ? 'Free' : 'Basic',
		monthlyPrice: planType === 'FREE' ? 0 : 20_000,
		cpuMilli: 250,
		memoryMb: 256,
		storageGb: 1,
		bandwidthGb: 10,
		totalQuota: 1,
		features: ['Email support'],
		isPopular: false,
		isActive: true
	});
	return service;
}

/** A new administrator's page on a hidden service of its own, its one plan's editor open. */
async function planEditor(browser: Browser, prefix: string, planType: 'FREE' | 'BASIC') {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	const service = await hiddenService(admin, prefix, planType);
	await visit(admin, `/admin/catalog/services/${service.id}`);
	const name = planType === 'FREE' ? 'Free' : 'Basic';
	await admin.getByRole('button', { name: `Edit ${name}` }).click();
	return { admin, service, plan: admin.getByRole('form', { name: `Edit ${name}` }) };
}

test("an administrator writes a service's Indonesian description, kept after a reload; a plan's Indonesian line promising backups is refused beside it", async ({
	browser
}) => {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	const service = await hiddenService(admin, 'boards', 'BASIC');

	await visit(admin, `/admin/catalog/services/${service.id}`);
	const form = admin.getByRole('form', { name: 'Service template' });
	const description = form.getByLabel('Description (Indonesian)', { exact: true });
	// Empty, it shows what customers then read: the English text.
	await expect(description).toHaveValue('');
	await expect(description).toHaveAttribute('placeholder', 'Kanban boards for small teams.');
	await description.fill('Papan kanban untuk tim kecil.');
	await form.getByRole('button', { name: 'Save template' }).click();
	await expect(admin.getByText(/^Template saved\./)).toBeVisible();
	await admin.reload();
	await expect(form.getByLabel('Description (Indonesian)', { exact: true })).toHaveValue('Papan kanban untuk tim kecil.');

	await hydrated(admin);
	await admin.getByRole('button', { name: 'Edit Basic' }).click();
	const plan = admin.getByRole('form', { name: 'Edit Basic' });
	const features = plan.getByLabel('Features (Indonesian, one per line)');
	await features.fill('Dukungan email\nCadangan harian');
	// A list in Indonesian replaces the English one whole: a line more or less is pointed out.
	await expect(plan.getByTestId('line-count-warning')).toContainText('1 in English, 2 here');
	await plan.getByRole('button', { name: 'Save plan' }).click();
	await expect(features).toHaveAttribute('aria-invalid', 'true');
	await expect(plan).toContainText('Custom domains and backups are set in their own fields, not as a feature');
	await features.fill('Dukungan email');
	await expect(plan.getByTestId('line-count-warning')).toHaveCount(0);
	await plan.getByRole('button', { name: 'Save plan' }).click();
	await expect(admin.getByText('Basic saved.')).toBeVisible();
});

test('a plan description too long is refused beside it, the form left open and nothing saved', async ({ browser }) => {
	const { admin, service, plan } = await planEditor(browser, 'long-plan', 'FREE');
	await expect(plan).toContainText("In English, the catalog's base language");
	const description = plan.getByLabel('Description', { exact: true });
	await description.fill('Room for a small team to try the boards. '.repeat(8).padEnd(338, '.'));
	await plan.getByRole('button', { name: 'Save plan' }).click();
	await expect(description).toHaveAttribute('aria-invalid', 'true');
	await expect(plan).toContainText('Use at most 300 characters');
	const saved = await call<{ plans: { description: string | null }[] }>(
		admin,
		'admin.catalog.service',
		{ id: service.id },
		'query'
	);
	expect(saved.plans[0].description).toBeNull();
});

test('an emptied or negative number in the plan editor is refused beside it in the page language, not saved as 0', async ({
	browser
}) => {
	const { admin, service, plan } = await planEditor(browser, 'empty-numbers', 'BASIC');
	await plan.getByLabel('Total slots').fill('');
	await plan.getByLabel('Bandwidth (GB)').fill('');
	// The browser's own check (min="0") would stop this with a tooltip in the browser's language.
	await plan.getByLabel('Storage (GB)').fill('-1');
	await plan.getByRole('button', { name: 'Save plan' }).click();
	await expect(plan.getByLabel('Total slots')).toHaveAccessibleDescription('Enter a whole number of slots from 0 to 100000');
	await expect(plan.getByLabel('Bandwidth (GB)')).toHaveAccessibleDescription(
		'Enter the bandwidth as a whole number of GB from 0 to 1000000'
	);
	await expect(plan.getByLabel('Storage (GB)')).toHaveAccessibleDescription(
		'Enter the storage as a whole number of GB from 1 to 10000'
	);
	const saved = await call<{ plans: { totalQuota: number; bandwidthGb: number }[] }>(
		admin,
		'admin.catalog.service',
		{ id: service.id },
		'query'
	);
	expect(saved.plans[0].totalQuota).toBeGreaterThan(0);
	expect(saved.plans[0].bandwidthGb).toBeGreaterThan(0);
});

test('a port out of range in the service template is refused beside it in the page language, not by a browser tooltip', async ({
	browser
}) => {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	const service = await hiddenService(admin, 'port-range', 'BASIC');
	await visit(admin, `/admin/catalog/services/${service.id}`);
	const form = admin.getByRole('form', { name: 'Service template' });
	// The browser's own check (max="65535") would stop this with a tooltip in the browser's language.
	await form.getByLabel('Container port').fill('70000');
	await form.getByRole('button', { name: 'Save template' }).click();
	await expect(form).toContainText('Use 1 to 65535');
	const saved = await call<{ defaultPort: number }>(admin, 'admin.catalog.service', { id: service.id }, 'query');
	expect(saved.defaultPort).not.toBe(70000);
});

test('saving a template tells so beside the Save button, where the administrator is', async ({ browser }) => {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	const service = await hiddenService(admin, 'saved-note', 'BASIC');
	await visit(admin, `/admin/catalog/services/${service.id}`);
	const form = admin.getByRole('form', { name: 'Service template' });
	await form.getByLabel('Short description').fill('Kanban boards for small and growing teams.');
	await form.getByRole('button', { name: 'Save template' }).click();
	const status = form.getByRole('status');
	await expect(status).toHaveText(/^Template saved\./);
	await expect(status).toBeInViewport();
});

test('a renamed variable keeps its Indonesian description, saved under its new name', async ({ browser }) => {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, E2E_ADMIN.email, E2E_ADMIN.password);
	const service = await hiddenService(admin, 'renamed-env', 'BASIC', {
		envTemplate: [{ name: 'BOARD_TOKEN', source: 'secret', secretLength: 32, description: 'Signs board links.' }],
		translations: { id: { environment: { BOARD_TOKEN: 'Menandatangani tautan papan.' } } }
	});
	await visit(admin, `/admin/catalog/services/${service.id}`);
	const form = admin.getByRole('form', { name: 'Service template' });
	await form.getByLabel('Variable', { exact: true }).fill('BOARD_SIGNING_KEY');
	await expect(form.getByLabel('BOARD_SIGNING_KEY description (Indonesian)')).toHaveValue('Menandatangani tautan papan.');
	await form.getByRole('button', { name: 'Save template' }).click();
	await expect(form.getByRole('status')).toHaveText(/^Template saved\./);
	await admin.reload();
	await expect(form.getByLabel('BOARD_SIGNING_KEY description (Indonesian)')).toHaveValue('Menandatangani tautan papan.');
});
