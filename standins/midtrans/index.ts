// A loopback stand-in for Midtrans that speaks its wire protocol: Snap transactions, the
// Core API's Get Status and Cancel, a hosted payment page, and HTTP notifications signed
// like Midtrans signs them. It is not a mock of MinisPod: the app reaches it through the
// real midtrans-client and receives its notifications over HTTP. Tests drive it through the
// control methods (settle, deny, expire, refund, duplicates, stale and forged notices, …).
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { formatGrossAmount, midtransSignature } from '../../src/lib/server/payments/signature';
import { CHANNELS, CHANNEL_CODES } from './channels';
import { loadTransactions, saveTransactions } from './persistence';
import { renderPaymentPage } from './page';

export type SimulatedStatus =
	| 'pending'
	| 'capture'
	| 'settlement'
	| 'deny'
	| 'cancel'
	| 'expire'
	| 'failure'
	| 'refund'
	| 'partial_refund'
	| 'chargeback'
	| 'partial_chargeback';

export type FraudStatus = 'accept' | 'challenge' | 'deny';

export type SimulatedTransaction = {
	orderId: string;
	token: string;
	/** Whole rupiah, as the gateway will report it (tests may tamper with it). */
	grossAmount: number;
	enabledPayments: string[];
	customer: { firstName: string; lastName?: string; email?: string; phone?: string };
	callbacks: { finish?: string; unfinish?: string; error?: string };
	createdAt: Date;
	expiresAt: Date;
	transactionId: string;
	/** Chosen payment channel (`bca_va`, `gopay`, …); null until the customer picks one. */
	channel: string | null;
	/** Null until a payment exists at the gateway (Get Status answers 404 until then). */
	status: SimulatedStatus | null;
	fraudStatus: FraudStatus | null;
	transactionTime: Date | null;
	settlementTime: Date | null;
	vaNumber: string | null;
	refundAmount: number | null;
};

export type Delivery = {
	orderId: string;
	transactionStatus: string;
	/** HTTP status the webhook answered; 0 when it could not be reached. */
	status: number;
	body: string;
};

export type NotifyOptions = {
	/** Send this many identical copies at once. */
	copies?: number;
	/** Override what the notice claims (a stale `pending` after settlement, …). */
	transactionStatus?: SimulatedStatus;
	fraudStatus?: FraudStatus | null;
	statusCode?: string;
	/** Claim another amount; the notice is still correctly signed for it. */
	grossAmount?: string;
	/** Sign with a key that is not the merchant's. */
	forgeSignature?: boolean;
};

type ChangeOptions = { notify?: boolean; channel?: string };

export type SimulatorOptions = {
	/** Server key the simulated merchant account uses; random when omitted. */
	serverKey?: string;
	/** Where notifications go; none are sent while it is null. */
	webhookUrl?: string | null;
	host?: string;
	/** Port to listen on; a free one when absent. */
	port?: number;
	/** Keep the merchant's server key and every transaction in this file across restarts. */
	stateFile?: string;
};

const PAID: SimulatedStatus[] = ['capture', 'settlement'];
const REVERSIBLE: SimulatedStatus[] = ['capture', 'settlement', 'refund', 'partial_refund', 'chargeback', 'partial_chargeback'];

/** Midtrans's `status_code` for a status (Get Status answers 407 for an expired one). */
export function statusCodeFor(status: string, fraudStatus: string | null, forStatusApi = false): string {
	switch (status) {
		case 'pending':
			return '201';
		case 'capture':
			return fraudStatus === 'challenge' ? '201' : fraudStatus === 'deny' ? '202' : '200';
		case 'deny':
		case 'failure':
			return '202';
		case 'expire':
			return forStatusApi ? '407' : '202';
		default:
			return '200';
	}
}

/** `2025-01-31 14:05:09` in Jakarta time, as Midtrans writes timestamps. */
export function midtransTime(date: Date): string {
	return new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export class MidtransSimulator {
	readonly serverKey: string;
	/** Where notifications are sent; settable so tests can point it at their own server. */
	webhookUrl: string | null;
	/** Every notification sent, in order. */
	readonly deliveries: Delivery[] = [];
	#server: http.Server | null = null;
	#url = '';
	#byOrder = new Map<string, SimulatedTransaction>();
	#byToken = new Map<string, SimulatedTransaction>();
	#inFlight = new Set<Promise<unknown>>();
	#stateFile: string | undefined;
	#saveTimer: NodeJS.Timeout | undefined;

	constructor(options: SimulatorOptions = {}) {
		const saved = options.stateFile ? loadTransactions(options.stateFile) : undefined;
		this.serverKey = options.serverKey ?? saved?.serverKey ?? `SB-Mid-server-${randomBytes(18).toString('base64url')}`;
		this.webhookUrl = options.webhookUrl ?? null;
		this.#stateFile = options.stateFile;
		for (const record of saved?.transactions ?? []) {
			this.#byOrder.set(record.orderId, record);
			this.#byToken.set(record.token, record);
		}
		this.#save();
	}

	/** `http://127.0.0.1:<port>` */
	get url() {
		return this.#url;
	}
	get snapBaseUrl() {
		return `${this.#url}/snap/v1`;
	}
	get apiBaseUrl() {
		return this.#url;
	}

	async listen(host = '127.0.0.1', port = 0): Promise<this> {
		const server = http.createServer((request, response) => {
			this.#route(request, response).catch(() => {
				if (!response.headersSent) sendJson(response, 500, { status_code: '500', status_message: 'Simulator error' });
				else response.end();
			});
		});
		server.keepAliveTimeout = 1_000;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve());
		});
		this.#server = server;
		const address = server.address() as AddressInfo;
		this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
		return this;
	}

	async close() {
		await this.idle();
		if (this.#saveTimer) this.#save();
		const server = this.#server;
		this.#server = null;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Waits for notifications sent in the background (after a Core API cancel, an expiry). */
	async idle() {
		while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
	}

	// -- Reading -----------------------------------------------------------------------

	transaction(orderId: string): SimulatedTransaction | undefined {
		const record = this.#byOrder.get(orderId);
		return record ? { ...record } : undefined;
	}

	/** The Get Status body for an order, or null when the gateway would answer 404. */
	statusBody(orderId: string): Record<string, unknown> | null {
		const record = this.#byOrder.get(orderId);
		if (!record) return null;
		this.#expireIfDue(record);
		if (!record.status) return null;
		return this.#describe(record, {}, true);
	}

	// -- Control API (for tests and the hosted page) ------------------------------------

	/** The customer picks a channel; non-card channels then wait for payment (`pending`). */
	choose(orderId: string, channel: string, options: ChangeOptions = {}) {
		const record = this.#require(orderId);
		if (!record.enabledPayments.includes(channel)) throw new Error(`${channel} is not enabled for ${orderId}`);
		record.channel = channel;
		this.#changed();
		if (CHANNELS[channel].kind === 'card') return Promise.resolve([]);
		record.vaNumber = CHANNELS[channel].kind === 'bank' ? vaNumber() : null;
		return this.#change(record, 'pending', null, options);
	}

	/** The money arrives (`settlement`). */
	settle(orderId: string, options: ChangeOptions = {}) {
		return this.#change(this.#withChannel(orderId, options.channel), 'settlement', null, options);
	}

	/** A card payment is captured with the given fraud verdict. */
	capture(orderId: string, fraudStatus: FraudStatus = 'accept', options: ChangeOptions = {}) {
		return this.#change(this.#withChannel(orderId, options.channel ?? 'credit_card'), 'capture', fraudStatus, options);
	}

	/** A card payment held for review by fraud detection. */
	captureChallenge(orderId: string, options: ChangeOptions = {}) {
		return this.capture(orderId, 'challenge', options);
	}

	deny(orderId: string, options: ChangeOptions = {}) {
		return this.#change(this.#withChannel(orderId, options.channel), 'deny', null, options);
	}

	expire(orderId: string, options: ChangeOptions = {}) {
		return this.#change(this.#withChannel(orderId, options.channel), 'expire', null, options);
	}

	/** Money goes back to the customer after payment; the whole amount unless `amount` is less. */
	refund(orderId: string, options: ChangeOptions & { amount?: number } = {}) {
		return this.#reverse(orderId, 'refund', options);
	}

	chargeback(orderId: string, options: ChangeOptions & { amount?: number } = {}) {
		return this.#reverse(orderId, 'chargeback', options);
	}

	/** Makes the gateway report another amount than was ordered. */
	tamper(orderId: string, change: { grossAmount: number }) {
		this.#require(orderId).grossAmount = change.grossAmount;
		this.#changed();
	}

	/**
	 * Sends a notification about the order's current state, or about the state given in
	 * `options` (stale, forged or tampered), `copies` times at once.
	 */
	notify(orderId: string, options: NotifyOptions = {}): Promise<Delivery[]> {
		const record = this.#require(orderId);
		const transactionStatus = options.transactionStatus ?? record.status;
		if (!transactionStatus) throw new Error(`${orderId} has no payment to notify about`);
		const fraudStatus = options.fraudStatus !== undefined ? options.fraudStatus : record.fraudStatus;
		const body = this.#describe(
			record,
			{
				transaction_status: transactionStatus,
				fraud_status: fraudStatus ?? undefined,
				status_code: options.statusCode ?? statusCodeFor(transactionStatus, fraudStatus),
				...(options.grossAmount ? { gross_amount: options.grossAmount } : {})
			},
			false
		);
		if (options.forgeSignature) {
			body.signature_key = midtransSignature(body as SignedBody, `${this.serverKey}-forged`);
		}
		const copies = Math.max(1, options.copies ?? 1);
		return Promise.all(Array.from({ length: copies }, () => this.#deliver(orderId, body)));
	}

	// -- Internals ----------------------------------------------------------------------

	/** Saves the transactions shortly after a change, when they are kept on disk. */
	#changed() {
		if (this.#stateFile) this.#saveTimer ??= setTimeout(() => this.#save(), 200);
	}

	#save() {
		if (this.#saveTimer) clearTimeout(this.#saveTimer);
		this.#saveTimer = undefined;
		if (this.#stateFile)
			saveTransactions(this.#stateFile, { serverKey: this.serverKey, transactions: [...this.#byOrder.values()] });
	}

	#require(orderId: string) {
		const record = this.#byOrder.get(orderId);
		if (!record) throw new Error(`The simulator has no order ${orderId}`);
		return record;
	}

	#withChannel(orderId: string, channel?: string) {
		const record = this.#require(orderId);
		const chosen = channel ?? record.channel ?? record.enabledPayments.find((code) => CHANNELS[code].kind !== 'card');
		record.channel = chosen ?? record.enabledPayments[0];
		return record;
	}

	#change(record: SimulatedTransaction, status: SimulatedStatus, fraudStatus: FraudStatus | null, options: ChangeOptions) {
		const now = new Date();
		record.status = status;
		record.fraudStatus = status === 'capture' ? fraudStatus : PAID.includes(status) ? 'accept' : null;
		record.transactionTime ??= now;
		if (status === 'settlement') record.settlementTime = now;
		this.#changed();
		return options.notify === false ? Promise.resolve([]) : this.notify(record.orderId);
	}

	#reverse(orderId: string, kind: 'refund' | 'chargeback', options: ChangeOptions & { amount?: number }) {
		const record = this.#require(orderId);
		if (!record.status || !REVERSIBLE.includes(record.status)) {
			throw new Error(`${orderId} is not paid, so it cannot be ${kind === 'refund' ? 'refunded' : 'charged back'}`);
		}
		const amount = options.amount ?? record.grossAmount;
		record.refundAmount = amount;
		const partial = amount < record.grossAmount;
		return this.#change(record, partial ? `partial_${kind}` : kind, null, options);
	}

	#expireIfDue(record: SimulatedTransaction) {
		if (record.status === 'pending' && Date.now() > record.expiresAt.getTime()) {
			this.#background(this.expire(record.orderId));
		}
	}

	#background(work: Promise<unknown>) {
		const tracked = work.catch(() => undefined).finally(() => this.#inFlight.delete(tracked));
		this.#inFlight.add(tracked);
	}

	#describe(record: SimulatedTransaction, overrides: Record<string, unknown>, forStatusApi: boolean) {
		const channel = record.channel ? CHANNELS[record.channel] : undefined;
		const status = record.status ?? 'pending';
		const body: Record<string, unknown> = {
			status_code: statusCodeFor(status, record.fraudStatus, forStatusApi),
			status_message: forStatusApi ? 'Success, transaction is found' : 'midtrans payment notification',
			transaction_id: record.transactionId,
			order_id: record.orderId,
			merchant_id: 'M-SIMULATOR',
			gross_amount: formatGrossAmount(record.grossAmount),
			currency: 'IDR',
			payment_type: channel?.paymentType,
			transaction_time: midtransTime(record.transactionTime ?? record.createdAt),
			transaction_status: status,
			fraud_status: record.fraudStatus ?? undefined,
			expiry_time: midtransTime(record.expiresAt),
			...(record.settlementTime ? { settlement_time: midtransTime(record.settlementTime) } : {}),
			...(record.refundAmount !== null ? { refund_amount: formatGrossAmount(record.refundAmount) } : {}),
			...vaFields(record),
			...overrides
		};
		for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
		body.signature_key = midtransSignature(body as SignedBody, this.serverKey);
		return body;
	}

	async #deliver(orderId: string, body: Record<string, unknown>): Promise<Delivery> {
		const transactionStatus = String(body.transaction_status);
		if (!this.webhookUrl) return { orderId, transactionStatus, status: 0, body: 'no webhook configured' };
		let delivery: Delivery;
		try {
			const response = await fetch(this.webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'Veritrans' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(15_000)
			});
			delivery = { orderId, transactionStatus, status: response.status, body: await response.text() };
		} catch (error) {
			delivery = { orderId, transactionStatus, status: 0, body: error instanceof Error ? error.message : String(error) };
		}
		this.deliveries.push(delivery);
		return delivery;
	}

	async #route(request: http.IncomingMessage, response: http.ServerResponse) {
		const url = new URL(request.url ?? '/', this.#url);
		const method = request.method ?? 'GET';
		let match: RegExpMatchArray | null;

		if (method === 'POST' && url.pathname === '/snap/v1/transactions') {
			if (!this.#authorized(request)) {
				return sendJson(response, 401, {
					error_messages: ['Access denied due to unauthorized transaction, please check client or server key']
				});
			}
			return this.#createSnap(await readJson(request), response);
		}
		if ((match = url.pathname.match(/^\/v2\/([^/]+)\/(status|cancel)$/))) {
			if (!this.#authorized(request)) {
				return sendJson(response, 401, { status_code: '401', status_message: 'Unknown Merchant server_key/id' });
			}
			const orderId = decodeURIComponent(match[1]);
			if (match[2] === 'status' && method === 'GET') return this.#status(orderId, response);
			if (match[2] === 'cancel' && method === 'POST') return this.#cancel(orderId, response);
		}
		if ((match = url.pathname.match(/^\/snap\/v4\/redirection\/([\w-]+)(?:\/(choose|pay|deny|expire))?$/))) {
			const record = this.#byToken.get(match[1]);
			if (!record) return sendHtml(response, 404, '<!doctype html><title>Not found</title><h1>Payment not found</h1>');
			if (method === 'GET' && !match[2]) return this.#page(record, response);
			if (method === 'POST' && match[2]) return this.#pageAction(record, match[2], await readForm(request), response);
		}
		sendJson(response, 404, { status_code: '404', status_message: 'The requested resource is not found' });
	}

	#authorized(request: http.IncomingMessage) {
		const header = request.headers.authorization ?? '';
		if (!header.startsWith('Basic ')) return false;
		const [user] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
		return user === this.serverKey;
	}

	#createSnap(body: unknown, response: http.ServerResponse) {
		const problems: string[] = [];
		const parameter = (body ?? {}) as Record<string, Record<string, unknown> | undefined>;
		const details = parameter.transaction_details ?? {};
		const orderId = details.order_id;
		const grossAmount = details.gross_amount;
		if (typeof orderId !== 'string' || !/^[\w\-~.]{1,50}$/.test(orderId)) {
			problems.push('transaction_details.order_id is required and may only hold letters, digits and - _ ~ . (at most 50)');
		} else if (this.#byOrder.has(orderId)) {
			problems.push('transaction_details.order_id sudah digunakan');
		}
		if (typeof grossAmount !== 'number' || !Number.isSafeInteger(grossAmount) || grossAmount < 1) {
			problems.push('transaction_details.gross_amount must be a whole amount of at least 1');
		}
		const items = Array.isArray(parameter.item_details)
			? (parameter.item_details as { price?: number; quantity?: number }[])
			: [];
		if (items.length && items.reduce((sum, item) => sum + (item.price ?? 0) * (item.quantity ?? 0), 0) !== grossAmount) {
			problems.push('transaction_details.gross_amount is not equal to the sum of item_details');
		}
		if (problems.length) return sendJson(response, 400, { error_messages: problems });

		const requested = Array.isArray(parameter.enabled_payments) ? (parameter.enabled_payments as unknown[]) : [];
		const enabled = requested.filter((code): code is string => typeof code === 'string' && CHANNEL_CODES.includes(code));
		const customer = (parameter.customer_details ?? {}) as Record<string, string | undefined>;
		const callbacks = (parameter.callbacks ?? {}) as Record<string, string | undefined>;
		const createdAt = new Date();
		const record: SimulatedTransaction = {
			orderId: orderId as string,
			token: randomUUID(),
			grossAmount: grossAmount as number,
			enabledPayments: enabled.length ? enabled : CHANNEL_CODES,
			customer: {
				firstName: customer.first_name ?? '',
				lastName: customer.last_name,
				email: customer.email,
				phone: customer.phone
			},
			callbacks: { finish: callbacks.finish, unfinish: callbacks.unfinish, error: callbacks.error },
			createdAt,
			expiresAt: new Date(createdAt.getTime() + expiryMs(parameter.expiry)),
			transactionId: randomUUID(),
			channel: null,
			status: null,
			fraudStatus: null,
			transactionTime: null,
			settlementTime: null,
			vaNumber: null,
			refundAmount: null
		};
		this.#byOrder.set(record.orderId, record);
		this.#byToken.set(record.token, record);
		this.#changed();
		sendJson(response, 201, { token: record.token, redirect_url: `${this.#url}/snap/v4/redirection/${record.token}` });
	}

	#status(orderId: string, response: http.ServerResponse) {
		const body = this.statusBody(orderId);
		if (!body) return sendJson(response, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
		sendJson(response, 200, body);
	}

	#cancel(orderId: string, response: http.ServerResponse) {
		const record = this.#byOrder.get(orderId);
		if (!record || !record.status) {
			return sendJson(response, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
		}
		const cancellable = record.status === 'pending' || (record.status === 'capture' && record.fraudStatus === 'challenge');
		if (!cancellable) {
			return sendJson(response, 412, {
				status_code: '412',
				status_message: 'Merchant cannot modify the status of the transaction'
			});
		}
		record.status = 'cancel';
		record.fraudStatus = null;
		this.#changed();
		this.#background(this.notify(orderId));
		sendJson(response, 200, { ...this.#describe(record, {}, true), status_message: 'Success, transaction is canceled' });
	}

	#page(record: SimulatedTransaction, response: http.ServerResponse) {
		this.#expireIfDue(record);
		sendHtml(response, 200, renderPaymentPage(record, Date.now() > record.expiresAt.getTime()));
	}

	async #pageAction(record: SimulatedTransaction, action: string, form: URLSearchParams, response: http.ServerResponse) {
		const final = record.status !== null && record.status !== 'pending';
		const expired = Date.now() > record.expiresAt.getTime();
		if (final || (expired && action !== 'expire')) return redirect(response, `/snap/v4/redirection/${record.token}`);
		if (action === 'choose') {
			const channel = form.get('channel') ?? '';
			if (!record.enabledPayments.includes(channel)) return redirect(response, `/snap/v4/redirection/${record.token}`);
			await this.choose(record.orderId, channel);
			return redirect(response, `/snap/v4/redirection/${record.token}`);
		}
		if (!record.channel) return redirect(response, `/snap/v4/redirection/${record.token}`);
		if (action === 'pay') {
			if (CHANNELS[record.channel].kind === 'card') await this.capture(record.orderId, 'accept');
			else await this.settle(record.orderId);
			return redirect(response, callbackUrl(record, record.callbacks.finish));
		}
		if (action === 'deny') {
			await this.deny(record.orderId);
			return redirect(response, callbackUrl(record, record.callbacks.error ?? record.callbacks.finish));
		}
		await this.expire(record.orderId);
		return redirect(response, callbackUrl(record, record.callbacks.unfinish ?? record.callbacks.finish));
	}
}

type SignedBody = { order_id: string; status_code: string; gross_amount: string };

export async function startMidtransSimulator(options: SimulatorOptions = {}): Promise<MidtransSimulator> {
	return new MidtransSimulator(options).listen(options.host, options.port);
}

function vaFields(record: SimulatedTransaction): Record<string, unknown> {
	const channel = record.channel ? CHANNELS[record.channel] : undefined;
	if (!channel?.bank || !record.vaNumber) return {};
	if (channel.bank === 'mandiri') return { biller_code: '70012', bill_key: record.vaNumber };
	if (channel.bank === 'permata') return { permata_va_number: record.vaNumber };
	return { va_numbers: [{ bank: channel.bank, va_number: record.vaNumber }] };
}

function vaNumber() {
	return Array.from(randomBytes(11), (byte) => String(byte % 10)).join('');
}

function expiryMs(expiry: unknown): number {
	const { unit, duration } = (expiry ?? {}) as { unit?: string; duration?: number };
	const units: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
	const size = units[(unit ?? '').replace(/s$/, '')];
	return size && typeof duration === 'number' && duration > 0 ? size * duration : 86_400_000;
}

function callbackUrl(record: SimulatedTransaction, target: string | undefined) {
	if (!target) return `/snap/v4/redirection/${record.token}`;
	const url = new URL(target);
	url.searchParams.set('order_id', record.orderId);
	url.searchParams.set('status_code', statusCodeFor(record.status ?? 'pending', record.fraudStatus));
	url.searchParams.set('transaction_status', record.status ?? 'pending');
	return url.toString();
}

async function readBody(request: http.IncomingMessage, limit = 1_000_000): Promise<string> {
	let size = 0;
	const chunks: Buffer[] = [];
	for await (const chunk of request) {
		size += (chunk as Buffer).length;
		if (size > limit) throw new Error('Request body too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
	try {
		return JSON.parse(await readBody(request));
	} catch {
		return null;
	}
}

async function readForm(request: http.IncomingMessage) {
	return new URLSearchParams(await readBody(request));
}

function sendJson(response: http.ServerResponse, status: number, body: unknown) {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

function sendHtml(response: http.ServerResponse, status: number, html: string) {
	response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
	response.end(html);
}

function redirect(response: http.ServerResponse, location: string) {
	response.writeHead(303, { location });
	response.end();
}
