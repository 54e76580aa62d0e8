// Which payment gateway this process talks to: Midtrans itself when a server key is
// configured, otherwise a loopback simulator started here, with a fresh server key shared
// with the adapter, whose notifications come back to this process's own webhook.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { MidtransSimulator } from '$standins/midtrans';
import { createMidtransGateway, type PaymentGateway } from './midtrans';

export type Payments = {
	gateway: PaymentGateway;
	/** The simulator standing in for Midtrans; null when real keys are configured. */
	simulator: MidtransSimulator | null;
	close(): Promise<void>;
};

/** The webhook as reached over loopback (`localhost` may resolve to ::1, so spell out 127.0.0.1). */
export function loopbackWebhookUrl(config: Pick<Config, 'host' | 'port'>): string {
	const wildcard = ['', '0.0.0.0', '::', 'localhost'].includes(config.host);
	const host = wildcard ? '127.0.0.1' : config.host;
	return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/api/webhooks/midtrans`;
}

export async function startPayments(config: Config, log: Logger): Promise<Payments> {
	const { midtrans } = config;
	if (midtrans.serverKey) {
		const gateway = createMidtransGateway({
			serverKey: midtrans.serverKey,
			clientKey: midtrans.clientKey,
			isProduction: midtrans.isProduction,
			apiBaseUrl: midtrans.apiBaseUrl,
			snapBaseUrl: midtrans.snapBaseUrl
		});
		return { gateway, simulator: null, close: async () => undefined };
	}

	// Loaded only here, so a deployment with Midtrans keys never loads the stand-in.
	const { startMidtransSimulator } = await import('$standins/midtrans');
	const simulator = await startMidtransSimulator({ webhookUrl: loopbackWebhookUrl(config) });
	log.info({ url: simulator.url, webhook: simulator.webhookUrl }, 'no MIDTRANS_SERVER_KEY: using the Midtrans simulator');
	const gateway = createMidtransGateway({
		serverKey: simulator.serverKey,
		isProduction: false,
		apiBaseUrl: simulator.apiBaseUrl,
		snapBaseUrl: simulator.snapBaseUrl
	});
	return { gateway, simulator, close: () => simulator.close() };
}
