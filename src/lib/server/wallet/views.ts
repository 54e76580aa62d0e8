// What customers and administrators see of ledger rows: built here only, never a raw row,
// so tokens, files on disk and admin notes are never sent by accident. Procedures declare
// the schemas beside each view with `.output()`, which also strips any field it did not list.
import { z } from 'zod';
import type { Transaction } from '../db/schema';
import { GATEWAY_REVERSALS, PAYMENT_METHODS, TRANSACTION_STATUSES, TRANSACTION_TYPES } from '$lib/statuses';
import { hasReceipt, receiptPath } from '$lib/receipts';
import { meta } from './metadata';
import { renderLedgerText } from './ledger-texts';
import { topUpReasons } from './topup-reasons';
import { sentenceLocale } from '../sentences';
import { flagReasonFor } from './flag-reasons';

/** How a closed transaction ended, as a customer tells them apart (all are FAILED in the ledger). */
export const DISPLAY_STATUSES = [...TRANSACTION_STATUSES, 'EXPIRED', 'REJECTED'] as const;

export const transactionViewSchema = z.object({
	id: z.string(),
	type: z.enum(TRANSACTION_TYPES),
	status: z.enum(TRANSACTION_STATUSES),
	/** The status to show: a cancelled top-up, an expired one or a rejected transfer proof is not "Failed". */
	displayStatus: z.enum(DISPLAY_STATUSES),
	amount: z.number(),
	balanceBefore: z.number().nullable(),
	balanceAfter: z.number().nullable(),
	description: z.string(),
	paymentMethod: z.enum(PAYMENT_METHODS).nullable(),
	orderId: z.string().nullable(),
	createdAt: z.date(),
	completedAt: z.date().nullable(),
	underReview: z.boolean(),
	hasProof: z.boolean(),
	/** Where its receipt (kwitansi) is downloaded: completed top-ups and charges only. */
	receiptUrl: z.string().nullable()
});
export type TransactionView = z.infer<typeof transactionViewSchema>;

/**
 * The columns of a ledger row that its view reads: the history selects only these
 * (history.ts), a detail the whole row.
 */
export type TransactionListRow = Pick<
	Transaction,
	| 'id'
	| 'type'
	| 'status'
	| 'amount'
	| 'balanceBefore'
	| 'balanceAfter'
	| 'description'
	| 'text'
	| 'metadata'
	| 'paymentMethod'
	| 'orderId'
	| 'paymentProof'
	| 'flaggedAt'
	| 'flagResolvedAt'
	| 'createdAt'
	| 'completedAt'
>;

/** How a ledger row ended, as customers and administrators both read it. */
export function displayStatus(row: Pick<Transaction, 'status' | 'metadata'>): TransactionView['displayStatus'] {
	if (row.status !== 'FAILED') return row.status;
	const metadata = meta(row);
	if (metadata.rejectionReason) return 'REJECTED';
	// A cancel we asked for that the gateway (or the absence of a payment) confirmed.
	if (metadata.cancelReason && (metadata.gateway?.transactionStatus ?? 'cancel') === 'cancel') {
		return metadata.cancelSource === 'job' ? 'EXPIRED' : 'CANCELLED';
	}
	return 'FAILED';
}

/** A ledger row's description in the reader's language when it has a text; rows from before texts read as written. */
export const ledgerDescription = (row: Pick<Transaction, 'text' | 'description'>): string =>
	(row.text && renderLedgerText(row.text, sentenceLocale())) ?? row.description;

/** What a customer sees of a ledger row: never tokens, files on disk or admin notes. */
export function toTransactionView(row: TransactionListRow): TransactionView {
	return {
		id: row.id,
		type: row.type,
		status: row.status,
		displayStatus: displayStatus(row),
		amount: row.amount,
		balanceBefore: row.balanceBefore,
		balanceAfter: row.balanceAfter,
		description: ledgerDescription(row),
		paymentMethod: row.paymentMethod,
		orderId: row.orderId,
		createdAt: row.createdAt,
		completedAt: row.completedAt,
		/** A refund, chargeback or odd gateway report is being looked at by an administrator. */
		underReview: Boolean(row.flaggedAt && !row.flagResolvedAt),
		hasProof: Boolean(row.paymentProof),
		receiptUrl: hasReceipt(row) ? receiptPath(row.id) : null
	};
}

const nullableText = z.string().nullable();

export const transactionDetailSchema = transactionViewSchema.extend({
	paymentReference: nullableText,
	subscriptionId: nullableText,
	redirectUrl: nullableText,
	gatewayStatus: nullableText,
	paymentChannel: z.object({ paymentType: nullableText, bank: nullableText, vaNumber: nullableText }).nullable(),
	failureReason: nullableText,
	rejectionReason: nullableText,
	note: nullableText,
	proof: z.object({ fileName: z.string(), mimeType: z.string(), size: z.number() }).nullable(),
	/** The plan this top-up was started for, to continue subscribing once it is paid. */
	resume: z.object({ planId: z.string(), serviceSlug: z.string() }).nullable()
});
export type TransactionDetail = z.infer<typeof transactionDetailSchema>;

export function toTransactionDetail(row: Transaction): TransactionDetail {
	const metadata = meta(row);
	return {
		...toTransactionView(row),
		paymentReference: row.paymentReference,
		subscriptionId: row.subscriptionId,
		/** Where to continue paying a pending gateway top-up. */
		redirectUrl: row.status === 'PENDING' && row.orderId ? (metadata.redirectUrl ?? null) : null,
		gatewayStatus: metadata.gateway?.transactionStatus ?? null,
		paymentChannel: metadata.gateway
			? { paymentType: metadata.gateway.paymentType, bank: metadata.gateway.bank, vaNumber: metadata.gateway.vaNumber }
			: null,
		// In the reader's language when the row has a key; rows from before keys read as written.
		failureReason: topUpReasons.readFor(metadata.failureText, metadata.failureReason, sentenceLocale()),
		rejectionReason: metadata.rejectionReason ?? null,
		note: metadata.note ?? null,
		proof: metadata.proof
			? { fileName: metadata.proof.fileName, mimeType: metadata.proof.mimeType, size: metadata.proof.size }
			: null,
		resume: row.type === 'TOP_UP' && metadata.resume ? metadata.resume : null
	};
}

export const transactionPageSchema = z.object({
	items: z.array(transactionViewSchema),
	total: z.number(),
	page: z.number(),
	pageSize: z.number(),
	pageCount: z.number()
});

export const walletViewSchema = z.object({
	balance: z.number(),
	/** How many times the balance has moved: of two reads, the higher is the newer. */
	balanceVersion: z.number(),
	totalTopUp: z.number(),
	totalSpent: z.number(),
	pendingTopUps: z.number(),
	limits: z.object({ minTopUp: z.number(), maxTopUp: z.number(), maxBalance: z.number() })
});

export const topUpResultSchema = z.object({
	transactionId: z.string(),
	orderId: z.string(),
	snapToken: z.string(),
	redirectUrl: z.string()
});

export const refreshResultSchema = z.object({ outcome: z.string().nullable(), transaction: transactionDetailSchema });

// -- Administrators ------------------------------------------------------------------------

const customerRefSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const adjustmentResultSchema = transactionDetailSchema.extend({ replayed: z.boolean() });

export const adjustmentItemSchema = transactionDetailSchema.extend({ reason: nullableText, user: customerRefSchema });

export const pendingProofSchema = transactionDetailSchema.extend({ user: customerRefSchema });

export const flaggedPaymentSchema = transactionDetailSchema.extend({
	flaggedAt: z.date(),
	flagReason: nullableText,
	/**
	 * Each refund or chargeback the gateway reported, oldest first, with the amount it said it
	 * took back (null when it did not say): what an administrator may have to debit by hand.
	 */
	reversals: z.array(z.object({ kind: z.enum(GATEWAY_REVERSALS), amount: z.number().nullable(), at: z.string() })),
	flagResolvedAt: z.date().nullable(),
	adminNotes: nullableText,
	user: customerRefSchema
});
export type FlaggedPayment = z.infer<typeof flaggedPaymentSchema>;

const isReversal = (status: string): status is FlaggedPayment['reversals'][number]['kind'] =>
	(GATEWAY_REVERSALS as readonly string[]).includes(status);

export function toFlaggedPayment(row: Transaction, user: z.infer<typeof customerRefSchema>): FlaggedPayment {
	const metadata = meta(row);
	return {
		...toTransactionDetail(row),
		flaggedAt: row.flaggedAt!,
		flagReason: flagReasonFor(metadata.flagText, row.flagReason, sentenceLocale()),
		reversals: (metadata.reversals ?? []).flatMap(({ status, amount, at }) =>
			isReversal(status) ? [{ kind: status, amount, at }] : []
		),
		flagResolvedAt: row.flagResolvedAt,
		adminNotes: row.adminNotes,
		user
	};
}
