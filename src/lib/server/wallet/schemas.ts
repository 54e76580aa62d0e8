import { z } from 'zod';
import { transactionStatusEnum, transactionTypeEnum } from '../db/schema';
import { BANKS, E_WALLETS, TOP_UP_METHODS } from './topup-rules';
import { MIN_TOP_UP, AMOUNT_SANITY_MAX, TOP_UP_STEP } from '$lib/money';
import { minTopUpMessage, topUpStepMessage } from '$lib/topup';
import { idSchema, reasonSchema, rupiahSchema, rupiahTextSchema } from '../validation';

/**
 * The plan a top-up was started for (the subscribe dialog's shortfall link): the status page
 * offers to continue subscribing to it. Only ids; names are read from the catalog when shown.
 */
const resumeSchema = z.object({
	planId: idSchema,
	serviceSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Must be an app of the catalog')
});

const amountSchema = rupiahSchema.min(MIN_TOP_UP, minTopUpMessage).multipleOf(TOP_UP_STEP, topUpStepMessage);

export const topUpInput = z
	.object({
		amount: amountSchema,
		method: z.enum(TOP_UP_METHODS, { error: 'Choose a payment method' }),
		bank: z.enum(BANKS, { error: 'Choose BCA, BNI, BRI, Mandiri or Permata' }).optional(),
		wallet: z.enum(E_WALLETS, { error: 'Choose GoPay or ShopeePay' }).optional(),
		resume: resumeSchema.optional()
	})
	.superRefine((input, context) => {
		if (input.bank && input.method !== 'BANK_TRANSFER') {
			context.addIssue({ code: 'custom', path: ['bank'], message: 'A bank only goes with a bank transfer' });
		}
		if (input.wallet && input.method !== 'E_WALLET') {
			context.addIssue({ code: 'custom', path: ['wallet'], message: 'An e-wallet only goes with the e-wallet method' });
		}
	});

const dateSchema = z.iso.date('Use a date like 2025-01-31');

export const transactionsInput = z
	.object({
		type: z.enum(transactionTypeEnum.enumValues).optional(),
		status: z.enum(transactionStatusEnum.enumValues).optional(),
		from: dateSchema.optional(),
		to: dateSchema.optional(),
		page: z.number().int().min(1).max(100_000).optional(),
		pageSize: z.number().int().min(1).max(100).optional()
	})
	.refine((input) => !input.from || !input.to || input.from <= input.to, {
		path: ['to'],
		message: 'The end date is before the start date'
	})
	.optional();

export const transactionIdInput = z.object({ id: z.uuid('Not a valid transaction id') });

/**
 * A transfer proof arrives as multipart form data (tRPC passes FormData through untouched):
 * the fields are read out of it and validated like any other input, naming the field.
 */
export const proofUploadInput = z
	.instanceof(FormData, { message: 'Send the proof as multipart form data' })
	.transform((form): Record<string, unknown> => ({
		amount: form.get('amount'),
		file: form.get('file'),
		note: form.get('note') ?? undefined
	}))
	.pipe(
		z.object({
			amount: rupiahTextSchema.pipe(
				z.number().min(MIN_TOP_UP, minTopUpMessage).max(AMOUNT_SANITY_MAX, 'That amount is too large')
			),
			file: z.instanceof(File, { message: 'Choose a file to upload' }).refine((file) => file.size > 0, 'Choose a file to upload'),
			note: z
				.string()
				.trim()
				.max(500, 'Keep the note under 500 characters')
				.optional()
				.transform((note) => note || undefined)
		})
	);

// -- Administrators ------------------------------------------------------------------------

export const adjustmentInput = z.object({
	userId: z.uuid('Choose a customer'),
	direction: z.enum(['credit', 'debit'], { error: 'Choose credit or debit' }),
	amount: rupiahSchema.min(1, 'Enter an amount above zero'),
	reason: reasonSchema,
	requestId: z.uuid().optional(),
	/** Credit past MINISPOD_BALANCE_MAX; recorded in the audit log. */
	override: z.boolean().optional()
});

export const rejectProofInput = z.object({ id: z.uuid('Not a valid transaction id'), reason: reasonSchema });

export const resolveFlagInput = z.object({
	id: z.uuid('Not a valid transaction id'),
	note: z.string().trim().min(3, 'Say what was done (at least 3 characters)').max(500, 'Keep the note under 500 characters')
});

export const customerSearchInput = z.object({
	q: z.string().trim().min(2, 'Type at least 2 characters').max(100, 'Keep the search under 100 characters')
});

export const flaggedInput = z.object({ includeResolved: z.boolean().optional() }).optional();
