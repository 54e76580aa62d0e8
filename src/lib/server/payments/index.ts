// Which payment gateway this process talks to: Midtrans itself when a server key is
// configured, otherwise a loopback simulator started here, with a fresh server key shared
// with the adapter, whose notifications come back to this process's own webhook.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { MidtransSimulator } from '$standins/midtrans';
import { createMidtransGateway, type PaymentGateway } from './midtrans';
import { WEBHOOK_PATH } from './signature';
import { loopbackOrigin } from '../util/net';
import { notConfigured } from '../unconfigured';

export type Payments = {
	gateway: PaymentGateway;
	/** The simulator standing in for Midtrans; null when real keys are configured. */
	simulator: MidtransSimulator | null;
	close(): Promise<void>;
};

/** The webhook of the MinisPod on this machine, as reached over loopback. */
export function loopbackWebhookUrl(config: Pick<Config, 'host' | 'port'>): string {
	return `${loopbackOrigin(config.host, config.port)}${WEBHOOK_PATH}`;
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

	// Never in the built app (see kube/connect.ts): there `npm start` runs the stand-ins process.
	if (!import.meta.env.DEV) throw new Error(notConfigured('MIDTRANS_SERVER_KEY'));
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
