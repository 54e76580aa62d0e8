// Midtrans HTTP notifications. Each one is recorded first, then checked: signature, known
// order, amount, and finally the Get Status API, whose answer (not the notification's
// claim) is applied to the top-up. A notification can therefore be repeated, late, out of
// order or forged without moving money wrongly; the reply tells Midtrans whether to retry.
// A signed notice is kept whole; a refused one only as its metadata and a short excerpt, so
// strangers cannot fill the database. One address may send so many notices a minute.
import { eq } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import { paymentEvents, transactions } from '../db/schema';
import { parseGrossAmount } from '../payments/signature';
import { consumeLimits } from '../rate-limit';
import { AppError } from '../errors';
import { findControlCharacter } from '../validation';
import { applyGatewayStatus, flagAmountMismatch, type StatusOutcome } from './gateway-status';

export type WebhookOutcome =
	| StatusOutcome
	| 'malformed'
	| 'rejected_signature'
	| 'unknown_order'
	| 'amount_mismatch'
	| 'status_unavailable'
	| 'too_many_requests'
	| 'too_large';

export type WebhookResult = { status: number; outcome: WebhookOutcome };

const MAX_BODY_BYTES = 64 * 1024;
/** What is kept of a refused notice's body. */
const EXCERPT_CHARS = 500;

const HTTP_STATUS: Partial<Record<WebhookOutcome, number>> = {
	malformed: 400,
	rejected_signature: 403,
	unknown_order: 404,
	amount_mismatch: 422,
	too_many_requests: 429,
	too_large: 413,
	// Midtrans retries a notification that was not answered with 2xx.
	status_unavailable: 503
};

/** Control characters cannot be stored (PostgreSQL refuses NUL) and have no business in a notice. */
const printable = (value: string) => value.replace(/\p{Cc}/gu, '\uFFFD');
const text = (value: unknown, max = 100) => (typeof value === 'string' ? printable(value.slice(0, max)) : null);

/** Handles one notification body; the HTTP route and tests' servers share it. */
export async function handleMidtransNotification(runtime: Runtime, body: string): Promise<WebhookResult> {
	const { db, log, payments } = runtime;
	let payload: Record<string, unknown> | null = null;
	try {
		const parsed: unknown = JSON.parse(body);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) payload = parsed as Record<string, unknown>;
	} catch {
		payload = null;
	}

	// A notice with control characters in it is not one Midtrans sent.
	if (payload && findControlCharacter(payload)) payload = null;
	const signatureValid = payload ? payments.gateway.verifySignature(payload) : false;
	const [event] = await db
		.insert(paymentEvents)
		.values({
			orderId: text(payload?.order_id),
			transactionStatus: text(payload?.transaction_status, 40),
			fraudStatus: text(payload?.fraud_status, 40),
			statusCode: text(payload?.status_code, 10),
			grossAmount: text(payload?.gross_amount, 40),
			signatureValid,
			payload: signatureValid && payload ? payload : { excerpt: printable(body.slice(0, EXCERPT_CHARS)), bytes: body.length }
		})
		.returning({ id: paymentEvents.id });

	const finish = async (outcome: WebhookOutcome, transactionId?: string): Promise<WebhookResult> => {
		await db
			.update(paymentEvents)
			.set({ outcome, ...(transactionId ? { transactionId } : {}) })
			.where(eq(paymentEvents.id, event.id));
		return { status: HTTP_STATUS[outcome] ?? 200, outcome };
	};

	if (!payload) return finish('malformed');
	const orderId = text(payload.order_id);
	// Only the order and the claimed status are logged: never the signature or the body.
	const context = { orderId, claimedStatus: text(payload.transaction_status, 40) };
	if (!signatureValid) {
		log.warn(context, 'Midtrans notification with an invalid signature rejected');
		return finish('rejected_signature');
	}

	const [row] = orderId ? await db.select().from(transactions).where(eq(transactions.orderId, orderId)) : [undefined];
	if (!row) {
		log.warn(context, 'Midtrans notification for an unknown order');
		return finish('unknown_order');
	}
	if (parseGrossAmount(payload.gross_amount) !== row.amount) {
		await flagAmountMismatch(db, row, String(payload.gross_amount));
		log.warn(context, 'Midtrans notification amount does not match the top-up');
		return finish('amount_mismatch', row.id);
	}

	// The notification only says "look again": Get Status is the source of truth.
	let status;
	try {
		status = await payments.gateway.getStatus(row.orderId!);
	} catch (error) {
		log.warn({ ...context, err: error }, 'could not confirm a Midtrans notification');
		return finish('status_unavailable', row.id);
	}
	if (!status) return finish('status_unavailable', row.id);

	const result = await applyGatewayStatus(runtime, row.id, status, 'webhook');
	// A notice claiming something other than what the gateway now says is out of date.
	const stale = result.outcome.startsWith('ignored_') && payload.transaction_status !== status.transactionStatus;
	return finish(stale ? 'ignored_stale' : result.outcome, row.id);
}

const reply = (outcome: WebhookOutcome, status = HTTP_STATUS[outcome] ?? 200) =>
	Response.json({ ok: status < 300, outcome }, { status });

/**
 * `POST /api/webhooks/midtrans` as a fetch handler: a Request in, a JSON Response out.
 * `address` is the rate-limit key of the sender's address (null when exempt).
 */
export async function handleMidtransWebhook(
	runtime: Runtime,
	request: Request,
	address: string | null = null
): Promise<Response> {
	try {
		await consumeLimits(runtime.db, [{ limit: 'webhook:address', key: address }]);
	} catch (error) {
		if (error instanceof AppError && error.code === 'TOO_MANY_ATTEMPTS') return reply('too_many_requests');
		throw error;
	}
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > MAX_BODY_BYTES) return reply('too_large');
	const body = await request.text();
	if (body.length > MAX_BODY_BYTES) return reply('too_large');
	const result = await handleMidtransNotification(runtime, body);
	return reply(result.outcome, result.status);
}
