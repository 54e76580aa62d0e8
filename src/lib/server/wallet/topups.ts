// Starting a top-up: a PENDING ledger row first (checked against the balance cap under
// the account's row lock), then the Snap payment page; a gateway failure closes the row.
import { and, eq, sum } from 'drizzle-orm';
import type { Runtime } from '../runtime';
import type { Tx } from '../db/client';
import { transactions, users } from '../db/schema';
import { AppError, badRequest, notFound } from '../errors';
import { PaymentGatewayError } from '../payments/midtrans';
import { mergeMetadata, type WalletMetadata } from './metadata';
import {
	createOrderId,
	enabledPaymentsFor,
	PAYMENT_METHOD_FOR,
	topUpDescription,
	topUpText,
	type TopUpChoice
} from './topup-rules';
import { formatRupiah } from '$lib/format';
import { topUpsCreated } from '../metrics';
import { requireVerifiedEmail } from '../auth/account';
import { m } from '$lib/paraglide/messages';
import { say } from '../sentences';
import { topUpReasons } from './topup-reasons';

/** What a top-up the gateway could not start says (nothing was charged). */
const gatewayCouldNotStart = topUpReasons.reason('gateway_start_failed');
const failedToStart = { failureReason: topUpReasons.english(gatewayCouldNotStart), failureText: gatewayCouldNotStart };

export type TopUpInput = TopUpChoice & { amount: number; resume?: WalletMetadata['resume'] };

/**
 * Refuses an amount that would take the wallet over its cap, counting every pending top-up
 * (gateway payments and transfer proofs alike). Holds the account's row lock for the rest of
 * the caller's transaction, which serialises one customer's concurrent top-ups.
 */
export async function lockBalanceHeadroom(tx: Tx, userId: string, amount: number, maxBalance: number) {
	const [account] = await tx
		.select({ balance: users.creditBalance, phone: users.phone })
		.from(users)
		.where(eq(users.id, userId))
		.for('update');
	if (!account) throw notFound('Account');
	const [pending] = await tx
		.select({ value: sum(transactions.amount) })
		.from(transactions)
		.where(and(eq(transactions.userId, userId), eq(transactions.type, 'TOP_UP'), eq(transactions.status, 'PENDING')));
	const headroom = maxBalance - account.balance - Number(pending.value ?? 0);
	if (amount > headroom) {
		throw badRequest(
			'amount',
			say(m.srv_wallet_cap, { max: formatRupiah(maxBalance), headroom: formatRupiah(Math.max(0, headroom)) }),
			{ maxBalance, headroom: Math.max(0, headroom) }
		);
	}
	return { phone: account.phone };
}

export async function createTopUp(
	runtime: Runtime,
	user: { id: string; name: string; email: string },
	input: TopUpInput
): Promise<{ transactionId: string; orderId: string; snapToken: string; redirectUrl: string }> {
	const { config, db, payments, log } = runtime;
	const { maxTopUp, maxBalance } = config.wallet;
	await requireVerifiedEmail(db, user.id);
	if (input.amount > maxTopUp) {
		throw badRequest('amount', say(m.srv_topup_max, { amount: formatRupiah(maxTopUp) }), { maxTopUp });
	}
	const choice: TopUpChoice = { method: input.method, bank: input.bank, wallet: input.wallet };
	const orderId = createOrderId();
	const enabledPayments = enabledPaymentsFor(choice);

	const { row, phone } = await db.transaction(async (tx) => {
		const { phone } = await lockBalanceHeadroom(tx, user.id, input.amount, maxBalance);
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
				text: topUpText(choice),
				idempotencyKey: `topup:${orderId}`,
				metadata: { choice, enabledPayments, ...(input.resume ? { resume: input.resume } : {}) } satisfies WalletMetadata
			})
			.returning();
		return { row: inserted, phone };
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
		topUpsCreated.inc({ method: PAYMENT_METHOD_FOR[input.method] });
		return { transactionId: row.id, orderId, snapToken: snap.token, redirectUrl: snap.redirectUrl };
	} catch (error) {
		// Nothing was charged: close the row so it cannot be paid or counted as pending.
		await db
			.update(transactions)
			.set({ status: 'FAILED', metadata: mergeMetadata(failedToStart) })
			.where(and(eq(transactions.id, row.id), eq(transactions.status, 'PENDING')));
		log.error({ err: error, orderId }, 'Snap transaction could not be created');
		throw new AppError('PAYMENT_GATEWAY_ERROR', say(m.srv_gateway_failed), {
			details: { transactionId: row.id, gatewayStatus: error instanceof PaymentGatewayError ? error.httpStatus : null }
		});
	}
}
