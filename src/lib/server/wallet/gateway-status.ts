// Applying what the payment gateway says about a top-up: the pure state machine in
// topup-rules.ts decides, and a credit goes through the ledger in the same transaction.
import { eq } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import type { DbOrTx, Tx } from '../db/client';
import { transactions, type Transaction } from '../db/schema';
import { notFound } from '../errors';
import { notify, notifyParts } from '../notifications/service';
import { asRupiah, asTopUpReason } from '../notifications/texts';
import type { GatewayStatus } from '../payments/midtrans';
import { parseGrossAmount } from '../payments/signature';
import { applyBalanceChange } from './ledger';
import { afterCreditPart } from './credits';
import { inOneStatement } from '../db/statement';
import { meta, mergeMetadata, type GatewaySnapshot, type StatusSource } from './metadata';
import { nextTopUpStep, type TopUpStep } from './topup-rules';
import { topUpReasons, type TopUpReason } from './topup-reasons';
import { flagReason, flagReasonEnglish, type FlagReason } from './flag-reasons';
import { topUpsSettled } from '../metrics';
import { GATEWAY_REVERSALS } from '$lib/statuses';

export type StatusOutcome =
	| 'credited'
	| 'pending'
	| 'failed'
	| 'flagged'
	| 'amount_mismatch'
	| 'ignored_duplicate'
	| 'ignored_stale'
	| 'ignored_unknown_status';

export function outcomeOf(step: TopUpStep): StatusOutcome {
	switch (step.action) {
		case 'credit':
			return 'credited';
		case 'wait':
			return 'pending';
		case 'fail':
			return 'failed';
		case 'flag':
			return 'flagged';
		case 'ignore':
			return `ignored_${step.reason}`;
	}
}

function snapshot(status: GatewayStatus, source: StatusSource): GatewaySnapshot {
	const raw = status.raw as {
		va_numbers?: { bank?: string; va_number?: string }[];
		permata_va_number?: string;
		bill_key?: string;
	};
	const va = raw.va_numbers?.[0];
	return {
		transactionStatus: status.transactionStatus,
		fraudStatus: status.fraudStatus,
		statusCode: status.statusCode,
		paymentType: status.paymentType,
		transactionId: status.transactionId,
		vaNumber: va?.va_number ?? raw.permata_va_number ?? raw.bill_key ?? null,
		bank: va?.bank ?? (raw.permata_va_number ? 'permata' : raw.bill_key ? 'mandiri' : null),
		checkedAt: new Date().toISOString(),
		source
	};
}

/**
 * Applies a gateway status (from Get Status, the source of truth) to a top-up, once: the
 * row is locked, the state machine decides, and a credit goes through the ledger in the
 * same database transaction. Safe to call any number of times, concurrently, in any order.
 */
export async function applyGatewayStatus(
	runtime: Runtime,
	transactionId: string,
	status: GatewayStatus,
	source: StatusSource
): Promise<{ outcome: StatusOutcome; transaction: Transaction }> {
	const result = await runtime.db.transaction(async (tx) => {
		const [row] = await tx.select().from(transactions).where(eq(transactions.id, transactionId)).for('update');
		if (!row) throw notFound('Transaction');
		const gateway = snapshot(status, source);

		const reported = parseGrossAmount(status.grossAmount);
		if (reported !== row.amount) {
			const transaction = await flagAmountMismatch(tx, row, status.grossAmount);
			return { outcome: 'amount_mismatch' as const, transaction };
		}

		const step = nextTopUpStep({ status: row.status, gatewayStatus: meta(row).gateway?.transactionStatus ?? null }, status);
		const transaction = await takeStep(tx, row, step, status, gateway, runtime.clock.now());
		return { outcome: outcomeOf(step), transaction };
	});
	if (result.outcome === 'credited') topUpsSettled.inc({ method: result.transaction.paymentMethod ?? 'unknown' });
	if (result.outcome === 'credited' || result.outcome === 'failed' || result.outcome === 'flagged') {
		runtime.log.info({ orderId: result.transaction.orderId, outcome: result.outcome, source }, 'top-up status applied');
	}
	if (result.outcome === 'amount_mismatch') {
		runtime.log.warn({ orderId: result.transaction.orderId, source }, 'gateway amount does not match the top-up');
	}
	return result;
}

/** Does what the state machine decided, inside the transaction that holds the row's lock. */
async function takeStep(tx: Tx, row: Transaction, step: TopUpStep, status: GatewayStatus, gateway: GatewaySnapshot, now: Date) {
	switch (step.action) {
		case 'credit':
			return creditTopUp(tx, row, status, gateway, now);
		case 'wait': {
			const [waiting] = await tx
				.update(transactions)
				.set({ metadata: mergeMetadata({ gateway }) })
				.where(eq(transactions.id, row.id))
				.returning();
			return waiting;
		}
		case 'fail':
			return failTopUp(tx, row, step.reason, status, gateway);
		case 'flag':
			return flagReversal(tx, row, step.reason, status, gateway);
		case 'ignore':
			return row;
	}
}

async function creditTopUp(tx: Tx, row: Transaction, status: GatewayStatus, gateway: GatewaySnapshot, now: Date) {
	const credited = await applyBalanceChange(tx, {
		userId: row.userId,
		type: 'TOP_UP',
		amount: row.amount,
		idempotencyKey: row.idempotencyKey,
		description: row.description,
		pendingTransactionId: row.id,
		at: now,
		paymentReference: status.transactionId ?? undefined,
		metadata: { gateway }
	});
	// Already credited (the row is locked and was pending, so only a race lost elsewhere gets
	// here): the customer was told then.
	if (!credited.applied) return credited.transaction;
	// The renewal retry and the notice with its mail: one round trip (db/statement.ts).
	await inOneStatement(tx, [
		afterCreditPart(row.userId, now),
		...notifyParts([
			{
				userId: row.userId,
				type: 'TOP_UP_COMPLETED',
				text: { key: 'top_up_completed', params: { amount: asRupiah(row.amount) } },
				link: `/wallet/transactions/${row.id}`,
				receiptFor: row.id
			}
		])
	]);
	return credited.transaction;
}

async function failTopUp(tx: Tx, row: Transaction, reason: TopUpReason, status: GatewayStatus, gateway: GatewaySnapshot) {
	const { cancelReason, cancelText } = meta(row);
	// A cancel MinisPod asked for says why it asked (older rows have only its English).
	const asked = status.transactionStatus === 'cancel' && cancelReason;
	const failureText = asked ? cancelText : reason;
	const failureReason = asked ? cancelReason : topUpReasons.english(reason);
	const [failed] = await tx
		.update(transactions)
		.set({ status: 'FAILED', metadata: mergeMetadata({ gateway, failureReason, ...(failureText ? { failureText } : {}) }) })
		.where(eq(transactions.id, row.id))
		.returning();
	await notify(tx, {
		userId: row.userId,
		type: 'TOP_UP_FAILED',
		text: {
			key: 'top_up_failed',
			params: { amount: asRupiah(row.amount), reason: failureText ? asTopUpReason(failureText, failureReason) : failureReason }
		},
		link: `/wallet/transactions/${row.id}`
	});
	return failed;
}

/** A refund or chargeback of a credited top-up: recorded and flagged for an administrator. */
async function flagReversal(tx: Tx, row: Transaction, reason: FlagReason, status: GatewayStatus, gateway: GatewaySnapshot) {
	const reversal = (GATEWAY_REVERSALS as readonly string[]).includes(status.transactionStatus);
	const refundAmount = parseGrossAmount((status.raw as { refund_amount?: unknown }).refund_amount);
	const reversals = [
		...(meta(row).reversals ?? []),
		...(reversal ? [{ status: status.transactionStatus, amount: refundAmount, at: gateway.checkedAt }] : [])
	];
	const [flagged] = await tx
		.update(transactions)
		.set({
			flaggedAt: new Date(),
			flagReason: flagReasonEnglish(reason),
			flagResolvedAt: null,
			metadata: mergeMetadata({ gateway, reversals, flagText: reason })
		})
		.where(eq(transactions.id, row.id))
		.returning();
	return flagged;
}

/** Records (once) that the gateway reported another amount; the top-up is not touched otherwise. */
export async function flagAmountMismatch(db: DbOrTx, row: Transaction, reportedAmount: string): Promise<Transaction> {
	if (row.flaggedAt && !row.flagResolvedAt) return row;
	const mismatch = flagReason('amount_mismatch', { reported: String(reportedAmount).slice(0, 30), amount: row.amount });
	const [flagged] = await db
		.update(transactions)
		.set({
			flaggedAt: new Date(),
			flagResolvedAt: null,
			flagReason: flagReasonEnglish(mismatch),
			metadata: mergeMetadata({ flagText: mismatch })
		})
		.where(eq(transactions.id, row.id))
		.returning();
	return flagged;
}
