import { z } from 'zod';
import { BILLING_PROFILE_KINDS } from '$lib/statuses';
import { idSchema } from '../validation';
import { m } from '$lib/paraglide/messages';
import { render, say, says } from '../sentences';
import { receiptCoverage, unprintable } from './font';

/** Separators people type into an NPWP (00.000.000.0-000.000); only the digits are kept. */
const NPWP_SEPARATORS = /[\s.-]/g;

/**
 * Refuses text with characters the receipt font has no glyph for (CJK, emoji: font.ts), naming
 * them: a receipt is a legal document and would print them as "?". The NPWP needs no such
 * check: only its digits are kept, and anything else is refused. The check is asynchronous
 * (the font is read on first use), so the schema is parsed with parseAsync, as tRPC does.
 */
function printsOnReceipt(message: typeof m.txt15_receipt_name_unprintable) {
	return async (value: string, context: z.RefinementCtx) => {
		const found = unprintable(value, await receiptCoverage());
		if (found.length > 0) context.addIssue({ code: 'custom', message: render(say(message, { characters: found.join(' ') })) });
	};
}

export const billingProfileInput = z.object({
	kind: z.enum(BILLING_PROFILE_KINDS, says(m.srv2_profile_kind)),
	name: z
		.string()
		.trim()
		.min(2, says(m.srv2_receipt_name))
		.max(200, says(m.srv2_receipt_name_max))
		.superRefine(printsOnReceipt(m.txt15_receipt_name_unprintable)),
	address: z
		.string()
		.trim()
		.min(5, says(m.srv2_billing_address))
		.max(500, says(m.srv2_billing_address_max))
		.superRefine(printsOnReceipt(m.txt15_billing_address_unprintable)),
	npwp: z
		.string()
		.trim()
		.max(40, says(m.srv2_npwp_digits))
		.transform((value) => value.replace(NPWP_SEPARATORS, ''))
		// The 15-digit NPWP, or the 16-digit one (the NIK) used since 2024 (PMK 112/2022).
		.refine((value) => value === '' || /^\d{15,16}$/.test(value), says(m.srv2_npwp_digits))
		.transform((value) => value || null)
		.nullish()
		.transform((value) => value ?? null)
});
export type BillingProfileInput = z.infer<typeof billingProfileInput>;

export const receiptInput = z.object({ id: idSchema });
