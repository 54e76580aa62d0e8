// One error type for domain failures, in Documenso's shape: a code (which fixes the tRPC
// code and HTTP status through ERROR_CODES), a message for the person, an optional
// message for the log, the field it is about, and details the UI needs to offer the next
// step (a shortfall, the subscription to upgrade, ...). Repeated errors have one
// constructor each below, so the same refusal always reads the same.
import { TRPCError } from '@trpc/server';
import { ERROR_CODES, type AppErrorCode } from '$lib/error-codes';
import { formatRupiah } from '$lib/format';
import { suggestedTopUp } from '$lib/topup';

export { ERROR_CODES, type AppErrorCode };

export type AppErrorOptions = {
	/** The input field the error is about; the client shows the message beside it. */
	field?: string;
	/** Data for the client's next step; never internal state. */
	details?: Record<string, unknown>;
	/** What the log should say when it differs from what the person is told. */
	logMessage?: string;
	cause?: unknown;
};

export class AppError extends Error {
	readonly code: AppErrorCode;
	/** The sentence for the person, without the field's name. */
	readonly userMessage: string;
	readonly field?: string;
	readonly details: Record<string, unknown>;

	constructor(code: AppErrorCode, userMessage: string, options: AppErrorOptions = {}) {
		super(options.logMessage ?? userMessage, { cause: options.cause });
		this.name = 'AppError';
		this.code = code;
		this.userMessage = userMessage;
		this.field = options.field;
		this.details = options.details ?? {};
	}

	/** What an API caller reads: the field named first, like a failed input check. */
	get publicMessage(): string {
		return this.field ? `${this.field}: ${this.userMessage}` : this.userMessage;
	}

	get httpStatus(): number {
		return ERROR_CODES[this.code].status;
	}

	toTRPCError() {
		return new TRPCError({ code: ERROR_CODES[this.code].trpc, message: this.publicMessage, cause: this });
	}
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError('FORBIDDEN', message);
export const badRequest = (field: string, message: string, details: Record<string, unknown> = {}) =>
	new AppError('BAD_REQUEST', message, { field, details });
export const invalidState = (message: string, details: Record<string, unknown> = {}) =>
	new AppError('INVALID_STATE', message, { details });

/** The wallet cannot pay `required`; the shortfall comes with a top-up link that pre-fills it. */
export function insufficientCredit(
	need: { shortfall: number; balance: number; required: number },
	options: { field?: string; message?: string } = {}
) {
	return new AppError(
		'INSUFFICIENT_CREDIT',
		options.message ?? `Not enough credit: top up at least ${formatRupiah(need.shortfall)} more.`,
		{
			field: options.field,
			details: { ...need, topUpUrl: topUpUrl(need.shortfall) }
		}
	);
}

/** The wallet page with the top-up form pre-filled with what is missing (a valid top-up amount). */
export const topUpUrl = (shortfall: number) => `/wallet?amount=${suggestedTopUp(shortfall)}`;

export function quotaExceeded(planId: string) {
	return new AppError('QUOTA_EXCEEDED', 'This plan is sold out. Join the waitlist to hear when a slot frees up.', {
		details: { planId, waitlist: true }
	});
}

export function duplicateSubscription(subscriptionId: string) {
	return new AppError('DUPLICATE_SUBSCRIPTION', 'You already subscribe to this app. Upgrade that subscription instead.', {
		details: { subscriptionId, upgradeUrl: `/subscriptions/${subscriptionId}?upgrade=1` }
	});
}
