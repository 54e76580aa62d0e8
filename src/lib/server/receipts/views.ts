// What customers see of receipts and billing profiles, built here only.
import { z } from 'zod';
import type { BillingProfile, Receipt } from '../db/schema';
import { BILLING_PROFILE_KINDS } from '$lib/statuses';
import { receiptPath } from '$lib/receipts';

export const billingProfileViewSchema = z.object({
	kind: z.enum(BILLING_PROFILE_KINDS),
	name: z.string(),
	address: z.string(),
	npwp: z.string().nullable()
});
export type BillingProfileView = z.infer<typeof billingProfileViewSchema>;

export function toBillingProfileView(row: BillingProfile): BillingProfileView {
	return { kind: row.kind, name: row.name, address: row.address, npwp: row.npwp };
}

export const receiptViewSchema = z.object({
	transactionId: z.string(),
	number: z.string(),
	issuedAt: z.date(),
	amount: z.number(),
	url: z.string()
});
export type ReceiptView = z.infer<typeof receiptViewSchema>;

export function toReceiptView(receipt: Receipt, amount: number): ReceiptView {
	return {
		transactionId: receipt.transactionId,
		number: receipt.number,
		issuedAt: receipt.issuedAt,
		amount: Math.abs(amount),
		url: receiptPath(receipt.transactionId)
	};
}
