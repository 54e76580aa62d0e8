// Midtrans notifications: where MinisPod receives them, their signature and amount format,
// as pure code shared by the gateway adapter and the Midtrans simulator (which must not
// load midtrans-client).
import { createHash, timingSafeEqual } from 'node:crypto';

/** Where Midtrans notifications arrive (src/routes/api/webhooks/midtrans). */
export const WEBHOOK_PATH = '/api/webhooks/midtrans';

export type SignedFields = { order_id: string; status_code: string; gross_amount: string };

/** SHA-512(order_id + status_code + gross_amount + server key), hex, as Midtrans signs. */
export function midtransSignature(fields: SignedFields, serverKey: string): string {
	return createHash('sha512')
		.update(fields.order_id + fields.status_code + fields.gross_amount + serverKey)
		.digest('hex');
}

export function verifyMidtransSignature(notification: Record<string, unknown>, serverKey: string): boolean {
	const { order_id, status_code, gross_amount, signature_key } = notification;
	if (typeof order_id !== 'string' || typeof status_code !== 'string' || typeof gross_amount !== 'string') return false;
	if (typeof signature_key !== 'string' || !/^[0-9a-f]{128}$/i.test(signature_key)) return false;
	const expected = Buffer.from(midtransSignature({ order_id, status_code, gross_amount }, serverKey), 'hex');
	return timingSafeEqual(expected, Buffer.from(signature_key, 'hex'));
}

/** `"10000.00"` (Midtrans's format) or `10000` as whole rupiah; null for anything else. */
export function parseGrossAmount(value: unknown): number | null {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text !== 'string' || !/^\d{1,15}(\.0{1,2})?$/.test(text)) return null;
	const amount = Number(text.split('.')[0]);
	return Number.isSafeInteger(amount) ? amount : null;
}

/** Midtrans writes amounts with two decimals in notifications and status responses. */
export const formatGrossAmount = (amount: number) => `${amount}.00`;
