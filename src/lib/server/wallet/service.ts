// The customer's wallet: balance and history, Midtrans top-ups from the first Snap call to
// the final gateway status, and the checks that keep a pending top-up moving (refresh,
// cancel, expiry). Every rupiah that lands in a wallet goes through applyBalanceChange.
import { and, count, desc, eq, gte, isNotNull, lt, lte, sql, sum, type SQL } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import type { DbOrTx } from '../db/client';
import { transactions, users, type Transaction, type TransactionStatus, type TransactionType } from '../db/schema';
import { AppError, badRequest, notFound } from '../errors';
import { notify } from '../notifications/service';
import { parseGrossAmount, PaymentGatewayError, type GatewayStatus } from '../payments/midtrans';
import { applyBalanceChange } from './ledger';
import {
	createOrderId,
	enabledPaymentsFor,
	nextTopUpStep,
	PAYMENT_METHOD_FOR,
	topUpDescription,
	type TopUpChoice,
	type TopUpStep
} from './topup-rules';

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
	enabledPayments?: string[];
	snapToken?: string;
	redirectUrl?: string;
	gateway?: GatewaySnapshot;
	failureReason?: string;
	/** Why MinisPod asked the gateway to cancel; becomes the failure reason once it has. */
	cancelReason?: string;
	reversals?: { status: string; amount: number | null; at: string }[];
	proof?: { fileName: string; mimeType: string; size: number; sha256: string };
	note?: string;
	rejectionReason?: string;
	reason?: string;
};

export type StatusSource = 'webhook' | 'refresh' | 'job' | 'cancel';

const rupiah = (amount: number) => `Rp ${amount.toLocaleString('id-ID')}`;
const meta = (row: Pick<Transaction, 'metadata'>) => row.metadata as WalletMetadata;
const mergeMetadata = (patch: WalletMetadata) => sql`${transactions.metadata} || ${JSON.stringify(patch)}::jsonb`;

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

export async function getWallet(runtime: Runtime, userId: string) {
	const [[account], [pending]] = await Promise.all([
		runtime.db
			.select({ balance: users.creditBalance, totalTopUp: users.totalTopUp, totalSpent: users.totalSpent })
			.from(users)
			.where(eq(users.id, userId)),
		runtime.db
			.select({ count: count() })
			.from(transactions)
			.where(and(eq(transactions.userId, userId), eq(transactions.type, 'TOP_UP'), eq(transactions.status, 'PENDING')))
	]);
	if (!account) throw notFound('Account');
	const { minTopUp, maxTopUp, maxBalance } = runtime.config.wallet;
	return { ...account, pendingTopUps: pending.count, limits: { minTopUp, maxTopUp, maxBalance } };
}

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

export type TransactionFilter = {
	type?: TransactionType;
	status?: TransactionStatus;
	/** `YYYY-MM-DD`, Jakarta time, inclusive. */
	from?: string;
	to?: string;
	page?: number;
	pageSize?: number;
};

export async function listTransactions(db: DbOrTx, userId: string, filter: TransactionFilter = {}) {
	const page = filter.page ?? 1;
	const pageSize = filter.pageSize ?? 20;
	const conditions: SQL[] = [eq(transactions.userId, userId)];
	if (filter.type) conditions.push(eq(transactions.type, filter.type));
	if (filter.status) conditions.push(eq(transactions.status, filter.status));
	if (filter.from) conditions.push(gte(transactions.createdAt, new Date(`${filter.from}T00:00:00+07:00`)));
	if (filter.to) conditions.push(lte(transactions.createdAt, new Date(`${filter.to}T23:59:59.999+07:00`)));
	const where = and(...conditions);
	const [rows, [total]] = await Promise.all([
		db
			.select()
			.from(transactions)
			.where(where)
			.orderBy(desc(transactions.createdAt), desc(transactions.id))
			.limit(pageSize)
			.offset((page - 1) * pageSize),
		db.select({ value: count() }).from(transactions).where(where)
	]);
	return {
		items: rows.map(toTransactionView),
		total: total.value,
		page,
		pageSize,
		pageCount: Math.max(1, Math.ceil(total.value / pageSize))
	};
}

/** The user's own transaction; another user's is reported as missing, not forbidden. */
export async function findOwnedTransaction(db: DbOrTx, userId: string, id: string): Promise<Transaction> {
	const [row] = await db
		.select()
		.from(transactions)
		.where(and(eq(transactions.id, id), eq(transactions.userId, userId)));
	if (!row) throw notFound('Transaction');
	return row;
}

// ---------------------------------------------------------------------------------------
// Starting a top-up
// ---------------------------------------------------------------------------------------

export type TopUpInput = TopUpChoice & { amount: number };

export async function createTopUp(
	runtime: Runtime,
	user: { id: string; name: string; email: string },
	input: TopUpInput
): Promise<{ transactionId: string; orderId: string; snapToken: string; redirectUrl: string }> {
	const { config, db, payments, log } = runtime;
	const { maxTopUp, maxBalance } = config.wallet;
	if (input.amount > maxTopUp) {
		throw badRequest(`amount: The largest top-up is ${rupiah(maxTopUp)}.`, { field: 'amount', maxTopUp });
	}
	const choice: TopUpChoice = { method: input.method, bank: input.bank, wallet: input.wallet };
	const orderId = createOrderId();
	const enabledPayments = enabledPaymentsFor(choice);

	const { row, phone } = await db.transaction(async (tx) => {
		// The account row lock serialises concurrent top-ups of one customer for the limit.
		const [account] = await tx
			.select({ balance: users.creditBalance, phone: users.phone })
			.from(users)
			.where(eq(users.id, user.id))
			.for('update');
		if (!account) throw notFound('Account');
		const [pending] = await tx
			.select({ value: sum(transactions.amount) })
			.from(transactions)
			.where(and(eq(transactions.userId, user.id), eq(transactions.type, 'TOP_UP'), eq(transactions.status, 'PENDING')));
		const headroom = maxBalance - account.balance - Number(pending.value ?? 0);
		if (input.amount > headroom) {
			throw badRequest(
				`amount: A wallet holds at most ${rupiah(maxBalance)}; counting pending top-ups you can add ${rupiah(Math.max(0, headroom))}.`,
				{ field: 'amount', maxBalance, headroom: Math.max(0, headroom) }
			);
		}
		const [inserted] = await tx
			.insert(transactions)
			.values({
				userId: user.id,
				type: 'TOP_UP',
				status: 'PENDING',
				amount: input.amount,
				paymentMethod: PAYMENT_METHOD_FOR[input.method],
				orderId,
				description: topUpDescription(choice),
				idempotencyKey: `topup:${orderId}`,
				metadata: { choice, enabledPayments } satisfies WalletMetadata
			})
			.returning();
		return { row: inserted, phone: account.phone };
	});

	const statusPage = `${config.origin}/wallet/topups/${row.id}`;
	try {
		const snap = await payments.gateway.createSnapTransaction({
			orderId,
			grossAmount: input.amount,
			enabledPayments,
			customer: { name: user.name, email: user.email, phone },
			itemName: 'MinisPod credit top-up',
			callbacks: { finish: statusPage, unfinish: statusPage, error: statusPage },
			expiryHours: config.wallet.expireAfterHours
		});
		await db
			.update(transactions)
			.set({ metadata: mergeMetadata({ snapToken: snap.token, redirectUrl: snap.redirectUrl }) })
			.where(eq(transactions.id, row.id));
		log.info({ orderId, amount: input.amount, method: input.method }, 'top-up started');
		return { transactionId: row.id, orderId, snapToken: snap.token, redirectUrl: snap.redirectUrl };
	} catch (error) {
		// Nothing was charged: close the row so it cannot be paid or counted as pending.
		await db
			.update(transactions)
			.set({ status: 'FAILED', metadata: mergeMetadata({ failureReason: 'The payment gateway could not start the payment.' }) })
			.where(and(eq(transactions.id, row.id), eq(transactions.status, 'PENDING')));
		log.error({ err: error, orderId }, 'Snap transaction could not be created');
		throw new AppError(
			'PAYMENT_GATEWAY_ERROR',
			'The payment gateway could not start this payment; nothing was charged. Please try again in a moment.',
			{ transactionId: row.id, gatewayStatus: error instanceof PaymentGatewayError ? error.httpStatus : null }
		);
	}
}

// ---------------------------------------------------------------------------------------
// Applying what the gateway says
// ---------------------------------------------------------------------------------------

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
		let transaction = row;
		switch (step.action) {
			case 'credit': {
				const credited = await applyBalanceChange(tx, {
					userId: row.userId,
					type: 'TOP_UP',
					amount: row.amount,
					idempotencyKey: row.idempotencyKey,
					description: row.description,
					pendingTransactionId: row.id,
					paymentReference: status.transactionId ?? undefined,
					metadata: { gateway }
				});
				transaction = credited.transaction;
				await notify(tx, {
					userId: row.userId,
					type: 'wallet.top_up_completed',
					title: 'Top-up received',
					body: `${rupiah(row.amount)} was added to your wallet.`,
					link: `/wallet/transactions/${row.id}`
				});
				break;
			}
			case 'wait':
				[transaction] = await tx
					.update(transactions)
					.set({ metadata: mergeMetadata({ gateway }) })
					.where(eq(transactions.id, row.id))
					.returning();
				break;
			case 'fail': {
				const { cancelReason } = meta(row);
				const failureReason = status.transactionStatus === 'cancel' && cancelReason ? cancelReason : step.reason;
				[transaction] = await tx
					.update(transactions)
					.set({ status: 'FAILED', metadata: mergeMetadata({ gateway, failureReason }) })
					.where(eq(transactions.id, row.id))
					.returning();
				await notify(tx, {
					userId: row.userId,
					type: 'wallet.top_up_failed',
					title: 'Top-up not completed',
					body: `Your top-up of ${rupiah(row.amount)} was not paid: ${failureReason} Nothing was charged.`,
					link: `/wallet/transactions/${row.id}`
				});
				break;
			}
			case 'flag': {
				const reversal = ['refund', 'partial_refund', 'chargeback', 'partial_chargeback'].includes(status.transactionStatus);
				const reversals = [
					...(meta(row).reversals ?? []),
					...(reversal
						? [
								{
									status: status.transactionStatus,
									amount: parseGrossAmount((status.raw as { refund_amount?: unknown }).refund_amount),
									at: gateway.checkedAt
								}
							]
						: [])
				];
				[transaction] = await tx
					.update(transactions)
					.set({
						flaggedAt: new Date(),
						flagReason: step.reason,
						flagResolvedAt: null,
						metadata: mergeMetadata({ gateway, reversals })
					})
					.where(eq(transactions.id, row.id))
					.returning();
				break;
			}
			case 'ignore':
				break;
		}
		return { outcome: outcomeOf(step), transaction };
	});
	if (result.outcome === 'credited' || result.outcome === 'failed' || result.outcome === 'flagged') {
		runtime.log.info({ orderId: result.transaction.orderId, outcome: result.outcome, source }, 'top-up status applied');
	}
	if (result.outcome === 'amount_mismatch') {
		runtime.log.warn({ orderId: result.transaction.orderId, source }, 'gateway amount does not match the top-up');
	}
	return result;
}

/** Records (once) that the gateway reported another amount; the top-up is not touched otherwise. */
export async function flagAmountMismatch(db: DbOrTx, row: Transaction, reportedAmount: string): Promise<Transaction> {
	if (row.flaggedAt && !row.flagResolvedAt) return row;
	const [flagged] = await db
		.update(transactions)
		.set({
			flaggedAt: new Date(),
			flagResolvedAt: null,
			flagReason: `The gateway reported an amount of ${String(reportedAmount).slice(0, 30)} for a top-up of ${rupiah(row.amount)}.`
		})
		.where(eq(transactions.id, row.id))
		.returning();
	return flagged;
}

// ---------------------------------------------------------------------------------------
// Refresh, cancel and expiry
// ---------------------------------------------------------------------------------------

function gatewayUnavailable(runtime: Runtime, orderId: string, error: unknown): AppError {
	runtime.log.warn({ err: error, orderId }, 'payment gateway request failed');
	return new AppError('PAYMENT_GATEWAY_ERROR', 'The payment gateway is not answering right now; please try again in a moment.', {
		gatewayStatus: error instanceof PaymentGatewayError ? error.httpStatus : null
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
async function failWithoutGateway(runtime: Runtime, row: Transaction, reason: string) {
	return runtime.db.transaction(async (tx) => {
		const [failed] = await tx
			.update(transactions)
			.set({ status: 'FAILED', metadata: mergeMetadata({ failureReason: reason }) })
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
	reason = 'You cancelled this top-up.'
) {
	if (row.type !== 'TOP_UP' || !row.orderId) {
		throw new AppError('INVALID_STATE', 'Only a card, bank or e-wallet top-up can be cancelled.');
	}
	if (row.status !== 'PENDING') {
		throw new AppError('INVALID_STATE', 'Only a pending top-up can be cancelled.', { status: row.status });
	}
	const orderId = row.orderId;
	const gateway = runtime.payments.gateway;
	// Recorded first: the gateway's own cancel notification may be applied before we are.
	await runtime.db
		.update(transactions)
		.set({ metadata: mergeMetadata({ cancelReason: reason }) })
		.where(and(eq(transactions.id, row.id), eq(transactions.status, 'PENDING')));
	let cancelled: GatewayStatus | null;
	try {
		cancelled = await gateway.cancel(orderId);
	} catch (error) {
		if (!(error instanceof PaymentGatewayError) || error.httpStatus !== 412) throw gatewayUnavailable(runtime, orderId, error);
		// The gateway refuses: the payment already went through (or closed). Take its word.
		const result = await refreshTopUp(runtime, row, source);
		if (result.transaction.status === 'PENDING') {
			throw new AppError('INVALID_STATE', 'The payment gateway would not cancel this top-up; try again shortly.');
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
				result = await cancelTopUp(runtime, result.transaction, 'job', 'The top-up was not paid in time.');
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
