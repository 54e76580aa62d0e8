import { expect, test } from '@playwright/test';

// The server keeps an idle connection open longer than the proxy in front of it does
// (ingress-nginx: 60 s), so that the proxy, not the server, closes it: a request sent on a
// connection as the server closes it gets a reset (scripts/start.js).
test('an idle connection stays open 65 s, longer than ingress-nginx keeps one', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.ok()).toBe(true);
	expect(response.headers()['keep-alive']).toBe('timeout=65');
});
