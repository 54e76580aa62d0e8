import { z } from 'zod';
import { BILLING_PROFILE_KINDS } from '$lib/statuses';
import { idSchema } from '../validation';

/** Separators people type into an NPWP (00.000.000.0-000.000); only the digits are kept. */
const NPWP_SEPARATORS = /[\s.-]/g;

export const billingProfileInput = z.object({
	kind: z.enum(BILLING_PROFILE_KINDS, { error: 'Choose personal or company' }),
	name: z.string().trim().min(2, 'Enter the name for your receipts').max(200, 'Keep the name under 200 characters'),
	address: z.string().trim().min(5, 'Enter the billing address').max(500, 'Keep the address under 500 characters'),
	npwp: z
		.string()
		.trim()
		.max(40, 'An NPWP has 15 or 16 digits')
		.transform((value) => value.replace(NPWP_SEPARATORS, ''))
		// The 15-digit NPWP, or the 16-digit one (the NIK) used since 2024 (PMK 112/2022).
		.refine((value) => value === '' || /^\d{15,16}$/.test(value), 'An NPWP has 15 or 16 digits')
		.transform((value) => value || null)
		.nullish()
		.transform((value) => value ?? null)
});
export type BillingProfileInput = z.infer<typeof billingProfileInput>;

export const receiptInput = z.object({ id: idSchema });
