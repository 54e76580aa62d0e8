// Which ledger rows have a receipt (kwitansi) and where it is downloaded; plain data, safe
// for the browser, so the history, the detail page and the mails link the same way.
import { RECEIPT_TRANSACTION_TYPES, type TransactionStatus, type TransactionType } from './statuses';

/** A completed top-up or charge of a non-zero amount has a receipt; nothing else does. */
export function hasReceipt(row: { type: TransactionType; status: TransactionStatus; amount: number }): boolean {
	return (
		row.status === 'COMPLETED' && (RECEIPT_TRANSACTION_TYPES as readonly TransactionType[]).includes(row.type) && row.amount !== 0
	);
}

/** The receipt PDF of a ledger row (its number is given when it is first asked for). */
export const receiptPath = (transactionId: string) => `/wallet/transactions/${transactionId}/receipt`;
