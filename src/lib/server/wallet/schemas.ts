import { z } from 'zod';
import { transactionStatusEnum, transactionTypeEnum } from '../db/schema';
import { BANKS, E_WALLETS, TOP_UP_METHODS } from './topup-rules';
import { MIN_TOP_UP, AMOUNT_SANITY_MAX, TOP_UP_STEP } from '$lib/money';
import { formatRupiah } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { says } from '../sentences';
import { idSchema, reasonSchema, rupiahSchema, rupiahTextSchema } from '../validation';

/**
 * The plan a top-up was started for (the subscribe dialog's shortfall link): the status page
 * offers to continue subscribing to it. Only ids; names are read from the catalog when shown.
 */
const resumeSchema = z.object({
	planId: idSchema,
	serviceSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, says(m.srv_app_of_catalog))
});

const amountSchema = rupiahSchema
	.min(MIN_TOP_UP, says(m.topup_min, { amount: formatRupiah(MIN_TOP_UP) }))
	.multipleOf(TOP_UP_STEP, says(m.topup_step, { amount: formatRupiah(TOP_UP_STEP) }));

export const topUpInput = z
	.object({
		amount: amountSchema,
		method: z.enum(TOP_UP_METHODS, says(m.srv_choose_method)),
		bank: z.enum(BANKS, says(m.srv_choose_bank)).optional(),
		wallet: z.enum(E_WALLETS, says(m.srv_choose_ewallet)).optional(),
		resume: resumeSchema.optional()
	})
	.superRefine((input, context) => {
		if (input.bank && input.method !== 'BANK_TRANSFER') {
			context.addIssue({ code: 'custom', path: ['bank'], message: says(m.srv_bank_only_transfer).error() });
		}
		if (input.wallet && input.method !== 'E_WALLET') {
			context.addIssue({ code: 'custom', path: ['wallet'], message: says(m.srv_ewallet_only).error() });
		}
	});

const dateSchema = z.iso.date(says(m.srv_date_format));

export const transactionsInput = z
	.object({
		type: z.enum(transactionTypeEnum.enumValues, says(m.txt11a_choose_transaction_type)).optional(),
		status: z.enum(transactionStatusEnum.enumValues, says(m.txt11a_choose_transaction_status)).optional(),
		from: dateSchema.optional(),
		to: dateSchema.optional(),
		page: z.number().int().min(1).max(100_000).optional(),
		pageSize: z.number().int().min(1).max(100).optional()
	})
	.refine((input) => !input.from || !input.to || input.from <= input.to, {
		path: ['to'],
		...says(m.srv_end_before_start)
	})
	.optional();

export const transactionIdInput = z.object({ id: z.uuid(says(m.srv_transaction_id_invalid)) });

/**
 * A transfer proof arrives as multipart form data (tRPC passes FormData through untouched):
 * the fields are read out of it and validated like any other input, naming the field.
 */
export const proofUploadInput = z
	.instanceof(FormData, says(m.srv_proof_multipart))
	.transform((form): Record<string, unknown> => ({
		amount: form.get('amount'),
		file: form.get('file'),
		note: form.get('note') ?? undefined
	}))
	.pipe(
		z.object({
			amount: rupiahTextSchema.pipe(
				z
					.number()
					.min(MIN_TOP_UP, says(m.topup_min, { amount: formatRupiah(MIN_TOP_UP) }))
					.max(AMOUNT_SANITY_MAX, says(m.srv_amount_too_large))
			),
			file: z.instanceof(File, says(m.srv_choose_file)).refine((file) => file.size > 0, says(m.srv_choose_file)),
			note: z
				.string()
				.trim()
				.max(500, says(m.srv_note_max))
				.optional()
				.transform((note) => note || undefined)
		})
	);

// -- Administrators ------------------------------------------------------------------------

export const adjustmentInput = z.object({
	userId: z.uuid(says(m.srv2_choose_customer)),
	direction: z.enum(['credit', 'debit'], says(m.srv2_credit_or_debit)),
	amount: rupiahSchema.min(1, says(m.srv2_amount_above_zero)),
	reason: reasonSchema,
	requestId: z.uuid().optional(),
	/** Credit past MINISPOD_BALANCE_MAX; recorded in the audit log. */
	override: z.boolean().optional()
});

export const rejectProofInput = z.object({ id: z.uuid(says(m.srv_transaction_id_invalid)), reason: reasonSchema });

export const resolveFlagInput = z.object({
	id: z.uuid(says(m.srv_transaction_id_invalid)),
	note: z.string().trim().min(3, says(m.srv2_note_min)).max(500, says(m.srv_note_max))
});

export const customerSearchInput = z.object({
	q: z.string().trim().min(2, says(m.srv_search_min)).max(100, says(m.srv_search_max))
});

export const flaggedInput = z.object({ includeResolved: z.boolean().optional() }).optional();
