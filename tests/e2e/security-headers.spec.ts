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
