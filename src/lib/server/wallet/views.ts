// What customers and administrators see of ledger rows: built here only, never a raw row,
// so tokens, files on disk and admin notes are never sent by accident.
import type { Transaction } from '../db/schema';
import { meta } from './metadata';

export type TransactionView = ReturnType<typeof toTransactionView>;

/** What a customer sees of a ledger row: never tokens, files on disk or admin notes. */
export function toTransactionView(row: Transaction) {
	return {
		id: row.id,
		type: row.type,
		status: row.status,
		amount: row.amount,
		balanceBefore: row.balanceBefore,
		balanceAfter: row.balanceAfter,
		description: row.description,
		paymentMethod: row.paymentMethod,
		orderId: row.orderId,
		createdAt: row.createdAt,
		completedAt: row.completedAt,
		/** A refund, chargeback or odd gateway report is being looked at by an administrator. */
		underReview: Boolean(row.flaggedAt && !row.flagResolvedAt),
		hasProof: Boolean(row.paymentProof)
	};
}

export function toTransactionDetail(row: Transaction) {
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
		failureReason: metadata.failureReason ?? null,
		rejectionReason: metadata.rejectionReason ?? null,
		note: metadata.note ?? null,
		proof: metadata.proof
			? { fileName: metadata.proof.fileName, mimeType: metadata.proof.mimeType, size: metadata.proof.size }
			: null
	};
}
