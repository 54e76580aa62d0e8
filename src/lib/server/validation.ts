// Input pieces every domain's zod schemas share, so the same field is checked the same way
// (and answered with the same sentence) wherever it appears.
import { z } from 'zod';
import { AMOUNT_SANITY_MAX } from '$lib/money';

export const idSchema = z.uuid('Must be a valid id');

/** Why an administrator did something: recorded in the audit log and often shown to the customer. */
export const reasonSchema = z
	.string()
	.trim()
	.min(5, 'Give a reason of at least 5 characters')
	.max(500, 'Keep the reason under 500 characters');

/** Whole rupiah, positive, below any sane bound. */
export const rupiahSchema = z
	.number({ error: 'Enter an amount in rupiah' })
	.int('Use whole rupiah')
	.max(AMOUNT_SANITY_MAX, 'That amount is too large');
