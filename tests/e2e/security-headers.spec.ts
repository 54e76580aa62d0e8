// Item 10 of the hardening issue on the built app: pages carry a Content-Security-Policy with
// a nonce for SvelteKit's own scripts and the other security headers, and the app works under
// them (no violation while registering, browsing, following live notifications and paying).
import { expect, test, type Page } from '@playwright/test';
import { register, startTopUp, uniqueEmail, visit } from './helpers';

function collectViolations(page: Page) {
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
	});
	return violations;
}

test('pages send a nonce-based CSP and the security headers', async ({ page }) => {
	const response = await visit(page, '/login');
	const headers = response!.headers();
	const csp = headers['content-security-policy'];
	expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toContain("object-src 'none'");
	expect(headers['x-frame-options']).toBe('DENY');
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['referrer-policy']).toBe('same-origin');
	expect(headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
	// No ETag: a page that holds a fresh nonce can never match one (scripts/page-etag.js).
	await expect(response!.text()).resolves.toContain(csp.match(/'nonce-([^']+)'/)![1]);
	expect(headers['etag']).toBeUndefined();
	// The nonce is fresh on every page.
	const again = (await visit(page, '/login'))!.headers()['content-security-policy'];
	expect(again).not.toBe(csp);
});

test('the app works under the policy: register, catalog, wallet, live notifications, payment page', async ({ page }) => {
	const violations = collectViolations(page);
	await register(page, 'Csp Checker', uniqueEmail('csp'));
	await visit(page, '/catalog');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await visit(page, '/account');
	await expect(page.getByTestId('sessions')).toContainText('This browser');
	// Leaving for the payment page (the simulator's own server) is a navigation the policy allows.
	await startTopUp(page, 'BCA', 'Rp 100.000');
	await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
	expect(violations).toEqual([]);
});

// ingress-nginx, the entrance deploy/kubernetes ships, reads a response's header block into
// one proxy_buffer_size buffer, 4 KB by default, and answers a larger one with a 502
// ("upstream sent too big header"; https://github.com/sveltejs/kit/issues/11084). SvelteKit's
// `link` header of preloads took every signed-in page past it; the preloads are <link> tags in
// the page's <head> instead (src/lib/server/http/page-head.ts).
test('signed-in pages send a header block that fits ingress-nginx’s default 4 KB buffer', async ({ page }) => {
	await register(page, 'Header Measurer', uniqueEmail('headers'));
	for (const path of ['/catalog', '/subscriptions', '/instances', '/wallet', '/account', '/notifications']) {
		const response = (await visit(page, path))!;
		expect(response.status(), path).toBe(200);
		const headers = await response.headersArray();
		expect(
			headers.map(({ name }) => name.toLowerCase()),
			path
		).not.toContain('link');
		// "Name: value\r\n" for each header, after the status line.
		const bytes = headers.reduce((sum, { name, value }) => sum + Buffer.byteLength(`${name}: ${value}\r\n`), 0);
		expect(bytes, path).toBeLessThan(3 * 1024);
		// The modules are still preloaded, from the head, and the files are there.
		const preloads = [...(await response.text()).matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
		expect(preloads.length, path).toBeGreaterThan(3);
		for (const href of preloads.slice(0, 3)) {
			expect((await page.request.get(new URL(href, response.url()).href)).status(), href).toBe(200);
		}
	}
});
