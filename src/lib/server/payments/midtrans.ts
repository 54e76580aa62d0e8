// The Midtrans gateway adapter: Snap starts a payment, the Core API reports and cancels
// it, and notifications are checked against their SHA-512 signature. It always uses the
// real `midtrans-client`; in development and tests the runtime points its base URLs at the
// loopback simulator instead of Midtrans.
import type midtransClient from 'midtrans-client';
import { verifyMidtransSignature } from './signature';

export type MidtransSettings = {
	serverKey: string;
	clientKey?: string;
	isProduction: boolean;
	/** Core API base, e.g. `https://api.sandbox.midtrans.com`; Midtrans's own when unset. */
	apiBaseUrl?: string;
	/** Snap base, e.g. `https://app.sandbox.midtrans.com/snap/v1`; Midtrans's own when unset. */
	snapBaseUrl?: string;
	/** Milliseconds before a Snap call gives up. */
	snapTimeoutMs?: number;
	/** Milliseconds before a status or cancel call gives up (webhooks wait on it). */
	coreTimeoutMs?: number;
};

export type SnapTransactionRequest = {
	orderId: string;
	/** Whole rupiah. */
	grossAmount: number;
	/** Snap payment channel codes (`bca_va`, `gopay`, `credit_card`, `other_qris`, …). */
	enabledPayments: string[];
	customer: { name: string; email: string; phone?: string | null };
	itemName: string;
	callbacks: { finish: string; unfinish: string; error: string };
	/** The payment page stops accepting payment after this many hours. */
	expiryHours: number;
};

export type SnapTransaction = { token: string; redirectUrl: string };

/** What the gateway says about an order (Get Status or Cancel response, or a notification). */
export type GatewayStatus = {
	orderId: string;
	transactionStatus: string;
	fraudStatus: string | null;
	statusCode: string;
	grossAmount: string;
	paymentType: string | null;
	transactionId: string | null;
	statusMessage: string | null;
	raw: Record<string, unknown>;
};

export interface PaymentGateway {
	createSnapTransaction(request: SnapTransactionRequest): Promise<SnapTransaction>;
	/** The order as the gateway knows it; null while the gateway has no such transaction. */
	getStatus(orderId: string): Promise<GatewayStatus | null>;
	/** Cancels an unpaid order; null when the gateway has no such transaction. */
	cancel(orderId: string): Promise<GatewayStatus | null>;
	/** Whether a notification carries a valid signature for this merchant's server key. */
	verifySignature(notification: Record<string, unknown>): boolean;
}

/** The gateway refused or could not be reached; `httpStatus` is null for network failures. */
export class PaymentGatewayError extends Error {
	readonly httpStatus: number | null;
	readonly gatewayMessages: string[];

	constructor(message: string, httpStatus: number | null, gatewayMessages: string[] = []) {
		super(message);
		this.name = 'PaymentGatewayError';
		this.httpStatus = httpStatus;
		this.gatewayMessages = gatewayMessages;
	}
}

export function toGatewayStatus(raw: Record<string, unknown>): GatewayStatus {
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
	return {
		orderId: String(raw.order_id ?? ''),
		transactionStatus: String(raw.transaction_status ?? ''),
		fraudStatus: text(raw.fraud_status),
		statusCode: String(raw.status_code ?? ''),
		grossAmount: String(raw.gross_amount ?? ''),
		paymentType: text(raw.payment_type),
		transactionId: text(raw.transaction_id),
		statusMessage: text(raw.status_message),
		raw
	};
}

// ---------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------

type MidtransClient = typeof midtransClient;

/**
 * midtrans-client (4.4 MiB of heap, with its axios) is loaded with the first call to Midtrans,
 * not at start: most requests never pay (issue 16, "what the live heap holds" in the README).
 */
export function createMidtransGateway(settings: MidtransSettings): PaymentGateway {
	let loaded: Promise<ReturnType<typeof clientsOf>> | undefined;
	const clients = () => (loaded ??= import('midtrans-client').then(({ default: client }) => clientsOf(client, settings)));

	return {
		async createSnapTransaction(request) {
			const { snap, MidtransError } = await clients();
			const response = await call(MidtransError, () => snap.createTransaction(snapParameter(request)));
			if (typeof response?.token !== 'string' || typeof response?.redirect_url !== 'string') {
				throw new PaymentGatewayError('Snap answered without a token or redirect URL.', null);
			}
			return { token: response.token, redirectUrl: response.redirect_url };
		},
		async getStatus(orderId) {
			const { core, MidtransError } = await clients();
			return orNullWhenMissing(MidtransError, () => core.transaction.status(encodeURIComponent(orderId)));
		},
		async cancel(orderId) {
			const { core, MidtransError } = await clients();
			return orNullWhenMissing(MidtransError, () => core.transaction.cancel(encodeURIComponent(orderId)));
		},
		verifySignature: (notification) => verifyMidtransSignature(notification, settings.serverKey)
	};
}

function clientsOf(client: MidtransClient, settings: MidtransSettings) {
	const options = { isProduction: settings.isProduction, serverKey: settings.serverKey, clientKey: settings.clientKey ?? '' };
	const snap = new client.Snap(options);
	const core = new client.CoreApi(options);
	// midtrans-client builds every URL from its ApiConfig's base-URL getters, whose defaults
	// are static constants shared by all clients; overriding the getters on these two
	// instances redirects them without touching any other client in the process.
	for (const instance of [snap, core]) {
		const { apiBaseUrl, snapBaseUrl } = settings;
		if (apiBaseUrl) instance.apiConfig.getCoreApiBaseUrl = () => apiBaseUrl.replace(/\/$/, '');
		if (snapBaseUrl) instance.apiConfig.getSnapApiBaseUrl = () => snapBaseUrl.replace(/\/$/, '');
	}
	snap.httpClient.http_client.defaults.timeout = settings.snapTimeoutMs ?? 15_000;
	core.httpClient.http_client.defaults.timeout = settings.coreTimeoutMs ?? 4_000;
	return { snap, core, MidtransError: client.MidtransError };
}
export function snapParameter(request: SnapTransactionRequest) {
	const [firstName, ...rest] = request.customer.name.trim().split(/\s+/);
	return {
		transaction_details: { order_id: request.orderId, gross_amount: request.grossAmount },
		item_details: [{ id: 'credit-top-up', price: request.grossAmount, quantity: 1, name: request.itemName.slice(0, 50) }],
		customer_details: {
			first_name: firstName.slice(0, 255),
			last_name: rest.join(' ').slice(0, 255) || undefined,
			email: request.customer.email,
			phone: request.customer.phone ?? undefined
		},
		enabled_payments: request.enabledPayments,
		callbacks: request.callbacks,
		expiry: { unit: 'hour', duration: request.expiryHours }
	};
}

async function orNullWhenMissing(
	MidtransError: MidtransClient['MidtransError'],
	request: () => Promise<Record<string, unknown>>
): Promise<GatewayStatus | null> {
	try {
		return toGatewayStatus(await call(MidtransError, request));
	} catch (error) {
		if (error instanceof PaymentGatewayError && error.httpStatus === 404) return null;
		throw error;
	}
}

/**
 * Runs a midtrans-client call, turning its errors into PaymentGatewayError. Only the status
 * and the gateway's messages are kept: the client's raw error holds the request, whose
 * basic-auth user is the server key, and must never reach a log.
 */
async function call<T>(MidtransError: MidtransClient['MidtransError'], request: () => Promise<T>): Promise<T> {
	try {
		return await request();
	} catch (error) {
		if (error instanceof MidtransError) {
			const status = Number(error.httpStatusCode);
			const body = (error.ApiResponse ?? {}) as { error_messages?: unknown; status_message?: unknown };
			const messages = Array.isArray(body.error_messages)
				? body.error_messages.map(String)
				: typeof body.status_message === 'string'
					? [body.status_message]
					: [];
			const httpStatus = Number.isInteger(status) && status > 0 ? status : null;
			throw new PaymentGatewayError(
				httpStatus
					? `Midtrans answered ${httpStatus}${messages.length ? `: ${messages.join('; ')}` : ''}`
					: 'Midtrans is not reachable.',
				httpStatus,
				messages
			);
		}
		throw new PaymentGatewayError('Midtrans is not reachable.', null);
	}
}
