// What MinisPod keeps in a wallet transaction's metadata (jsonb): the customer's payment
// choice, the gateway's latest answer, why it failed or was flagged, a transfer proof.
import { sql } from 'drizzle-orm';
import { transactions, type Transaction } from '../db/schema';
import type { TopUpChoice } from './topup-rules';
import type { TopUpReason } from './topup-reasons';
import type { FlagReason } from './flag-reasons';

/** What MinisPod keeps of the gateway's latest answer about a top-up. */
export type GatewaySnapshot = {
	transactionStatus: string;
	fraudStatus: string | null;
	statusCode: string;
	paymentType: string | null;
	transactionId: string | null;
	vaNumber: string | null;
	bank: string | null;
	checkedAt: string;
	source: StatusSource;
};

/** The metadata a wallet transaction may carry (jsonb). */
export type WalletMetadata = {
	choice?: TopUpChoice;
	/** The plan the customer was subscribing to when they started this top-up. */
	resume?: { planId: string; serviceSlug: string };
	enabledPayments?: string[];
	snapToken?: string;
	redirectUrl?: string;
	gateway?: GatewaySnapshot;
	/** Why it failed, in English (rows from before failureText have only this). */
	failureReason?: string;
	/** The same as a message key, read in each reader's language. */
	failureText?: TopUpReason;
	/** Why MinisPod asked the gateway to cancel; becomes the failure reason once it has. */
	cancelReason?: string;
	cancelText?: TopUpReason;
	/** Who asked for the cancel: the customer (`cancel`) or the sweep of unpaid top-ups (`job`). */
	cancelSource?: StatusSource;
	reversals?: { status: string; amount: number | null; at: string }[];
	/** Why an administrator must look (transactions.flag_reason keeps the English). */
	flagText?: FlagReason;
	proof?: { fileName: string; mimeType: string; size: number; sha256: string };
	note?: string;
	rejectionReason?: string;
	reason?: string;
};

export type StatusSource = 'webhook' | 'refresh' | 'job' | 'cancel';

export const meta = (row: Pick<Transaction, 'metadata'>) => row.metadata as WalletMetadata;
export const mergeMetadata = (patch: WalletMetadata) => sql`${transactions.metadata} || ${JSON.stringify(patch)}::jsonb`;
