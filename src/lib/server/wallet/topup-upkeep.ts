// Keeping pending top-ups moving: asking the gateway on demand, cancelling, and the
// scheduled sweep that re-checks stale top-ups and expires abandoned ones.
import { and, eq, isNotNull, lt } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import { transactions, type Transaction } from '../db/schema';
import { AppError, invalidState } from '../errors';
import { PaymentGatewayError, type GatewayStatus } from '../payments/midtrans';
import { applyGatewayStatus } from './gateway-status';
import { mergeMetadata, type StatusSource } from './metadata';
import { topUpReasons, type TopUpReason } from './topup-reasons';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';

function gatewayUnavailable(runtime: Runtime, orderId: string, error: unknown): AppError {
	runtime.log.warn({ err: error, orderId }, 'payment gateway request failed');
	return new AppError('PAYMENT_GATEWAY_ERROR', say(m.srv2_gateway_unavailable), {
		details: { gatewayStatus: error instanceof PaymentGatewayError ? error.httpStatus : null }
	});
}

/** Asks the gateway about a top-up now and applies the answer. */
export async function refreshTopUp(runtime: Runtime, row: Transaction, source: StatusSource = 'refresh') {
	if (row.type !== 'TOP_UP' || !row.orderId) return { outcome: null, transaction: row };
	const orderId = row.orderId;
	const status = await runtime.payments.gateway.getStatus(orderId).catch((error: unknown) => {
		throw gatewayUnavailable(runtime, orderId, error);
	});
	// No payment at the gateway yet: the customer has not picked a method.
	if (!status) return { outcome: null, transaction: row };
	return applyGatewayStatus(runtime, row.id, status, source);
}

/** Closes a pending top-up that has no payment at the gateway. */
async function failWithoutGateway(runtime: Runtime, row: Transaction, reason: TopUpReason) {
	return runtime.db.transaction(async (tx) => {
		const [failed] = await tx
			.update(transactions)
			.set({ status: 'FAILED', metadata: mergeMetadata({ failureReason: topUpReasons.english(reason), failureText: reason }) })
			.where(and(eq(transactions.id, row.id), eq(transactions.status, 'PENDING')))
			.returning();
		if (!failed)
			return { outcome: null, transaction: (await tx.select().from(transactions).where(eq(transactions.id, row.id)))[0] };
		return { outcome: 'failed' as const, transaction: failed };
	});
}

/**
 * Cancels a pending top-up at the gateway and closes it here. A payment that was already
 * made wins: it is credited instead, and the caller hears that it could not be cancelled.
 */
export async function cancelTopUp(
	runtime: Runtime,
	row: Transaction,
	source: StatusSource = 'cancel',
	reason = topUpReasons.reason('cancelled_by_customer')
) {
	if (row.type !== 'TOP_UP' || !row.orderId) {
		throw invalidState(say(m.srv2_topup_cancel_kind));
	}
	if (row.status !== 'PENDING') {
		throw invalidState(say(m.srv2_topup_cancel_pending), { status: row.status });
	}
	const orderId = row.orderId;
	const gateway = runtime.payments.gateway;
	// Recorded first: the gateway's own cancel notification may be applied before we are.
	await runtime.db
		.update(transactions)
		.set({ metadata: mergeMetadata({ cancelReason: topUpReasons.english(reason), cancelText: reason, cancelSource: source }) })
		.where(and(eq(transactions.id, row.id), eq(transactions.status, 'PENDING')));
	let cancelled: GatewayStatus | null;
	try {
		cancelled = await gateway.cancel(orderId);
	} catch (error) {
		if (!(error instanceof PaymentGatewayError) || error.httpStatus !== 412) throw gatewayUnavailable(runtime, orderId, error);
		// The gateway refuses: the payment already went through (or closed). Take its word.
		const result = await refreshTopUp(runtime, row, source);
		if (result.transaction.status === 'PENDING') {
			throw invalidState(say(m.srv2_topup_cancel_refused));
		}
		return result;
	}
	if (!cancelled) return failWithoutGateway(runtime, row, reason);
	return applyGatewayStatus(runtime, row.id, cancelled, source);
}

/**
 * The scheduled sweep: top-ups pending longer than `pendingRefreshMinutes` are checked with
 * the gateway (a lost notification must not leave money uncredited), and those older than
 * `expireAfterHours` that are still unpaid are cancelled at the gateway and closed.
 */
export async function sweepPendingTopUps(runtime: Runtime, now: Date = new Date(), limit = 200) {
	const { pendingRefreshMinutes, expireAfterHours } = runtime.config.wallet;
	const refreshBefore = new Date(now.getTime() - pendingRefreshMinutes * 60_000);
	const expireBefore = new Date(now.getTime() - expireAfterHours * 3_600_000);
	const stale = await runtime.db
		.select()
		.from(transactions)
		.where(
			and(
				eq(transactions.type, 'TOP_UP'),
				eq(transactions.status, 'PENDING'),
				isNotNull(transactions.orderId),
				lt(transactions.createdAt, refreshBefore)
			)
		)
		.orderBy(transactions.createdAt)
		.limit(limit);

	const summary = { checked: 0, credited: 0, failed: 0, expired: 0, stillPending: 0, errors: 0 };
	for (const row of stale) {
		summary.checked += 1;
		try {
			let result = await refreshTopUp(runtime, row, 'job');
			if (result.transaction.status === 'PENDING' && row.createdAt < expireBefore) {
				result = await cancelTopUp(runtime, result.transaction, 'job', topUpReasons.reason('not_paid_in_time'));
				if (result.transaction.status === 'FAILED') summary.expired += 1;
			} else if (result.outcome === 'failed') summary.failed += 1;
			if (result.outcome === 'credited') summary.credited += 1;
			if (result.transaction.status === 'PENDING') summary.stillPending += 1;
		} catch (error) {
			summary.errors += 1;
			runtime.log.warn({ err: error, orderId: row.orderId }, 'could not refresh a pending top-up');
		}
	}
	return summary;
}
