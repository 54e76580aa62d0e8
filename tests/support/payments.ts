// The Midtrans webhook behind a real loopback HTTP server, for tests and benchmarks that run
// without the SvelteKit server: the same handler the route uses, reached the way Midtrans
// (here, the simulator) reaches it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../../src/lib/server/runtime';
import type { MidtransSimulator } from '../../standins/midtrans';
import { handleMidtransWebhook } from '../../src/lib/server/wallet/webhook';
import { startTestRuntime, type TestRuntime } from './runtime';
import type { Env } from '../../src/lib/server/config';
import type { Logger } from 'pino';

export type WebhookServer = { url: string; close(): Promise<void> };

export async function serveWebhook(runtime: Runtime): Promise<WebhookServer> {
	const server = http.createServer(async (incoming, outgoing) => {
		try {
			if (incoming.method !== 'POST' || incoming.url !== '/api/webhooks/midtrans') {
				outgoing.writeHead(404).end();
				return;
			}
			const chunks: Buffer[] = [];
			for await (const chunk of incoming) chunks.push(chunk as Buffer);
			const headers = new Headers();
			for (const [name, value] of Object.entries(incoming.headers)) {
				if (typeof value === 'string') headers.set(name, value);
			}
			const request = new Request(`http://127.0.0.1${incoming.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) });
			const response = await handleMidtransWebhook(runtime, request);
			outgoing.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
			outgoing.end(Buffer.from(await response.arrayBuffer()));
		} catch (error) {
			outgoing.writeHead(500).end(error instanceof Error ? error.message : String(error));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/api/webhooks/midtrans`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

export type WalletTestRuntime = TestRuntime & { simulator: MidtransSimulator; webhook: WebhookServer };

/** A test runtime whose Midtrans simulator notifies a real webhook server of this runtime. */
export async function startWalletRuntime(
	options: { env?: Partial<Env>; work?: boolean; logger?: Logger } = {}
): Promise<WalletTestRuntime> {
	const runtime = await startTestRuntime({ catalog: false, ...options });
	const simulator = runtime.payments.simulator;
	if (!simulator) throw new Error('Wallet tests expect the Midtrans simulator (no MIDTRANS_SERVER_KEY)');
	const webhook = await serveWebhook(runtime);
	simulator.webhookUrl = webhook.url;
	const close = runtime.close;
	return Object.assign(runtime, {
		simulator,
		webhook,
		close: async () => {
			await simulator.idle();
			await webhook.close();
			await close();
		}
	});
}

/**
 * Walks the simulator's hosted payment page as a browser would: open it, pick a channel,
 * then pay, deny or let it expire. Returns where the page sends the customer back to.
 */
export async function completeHostedPayment(
	redirectUrl: string,
	channel: string,
	action: 'pay' | 'deny' | 'expire' = 'pay'
): Promise<{ page: string; returnTo: string | null }> {
	const page = await fetch(redirectUrl);
	if (page.status !== 200) throw new Error(`payment page answered ${page.status}`);
	const html = await page.text();
	const chosen = await fetch(`${redirectUrl}/choose`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ channel }).toString(),
		redirect: 'manual'
	});
	if (chosen.status !== 303) throw new Error(`choosing ${channel} answered ${chosen.status}`);
	const done = await fetch(`${redirectUrl}/${action}`, { method: 'POST', redirect: 'manual' });
	if (done.status !== 303) throw new Error(`${action} answered ${done.status}`);
	return { page: html, returnTo: done.headers.get('location') };
}
