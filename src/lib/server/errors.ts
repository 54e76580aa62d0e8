// One error type for domain failures, in Documenso's shape: a code (which fixes the tRPC
// code and HTTP status through ERROR_CODES), a message for the person, an optional
// message for the log, the field it is about, and details the UI needs to offer the next
// step (a shortfall, the subscription to upgrade, ...). Repeated errors have one
// constructor each below, so the same refusal always reads the same. The person's sentence
// is a paraglide message (sentences.ts) written in the request's language; `message` (what
// the log reads) is always English.
import { TRPCError } from '@trpc/server';
import { ERROR_CODES, type AppErrorCode } from '$lib/error-codes';
import { formatCount, formatRupiah } from '$lib/format';
import { suggestedTopUp } from '$lib/topup';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';
import { render, say, sayIn, sentenceLocale, type Sentence } from './sentences';

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
	/** The sentence for the person, in both languages (never English-only text). */
	readonly sentence: Sentence;
	readonly field?: string;
	readonly details: Record<string, unknown>;

	constructor(code: AppErrorCode, sentence: Sentence, options: AppErrorOptions = {}) {
		super(options.logMessage ?? sentence('en'), { cause: options.cause });
		this.name = 'AppError';
		this.code = code;
		this.sentence = sentence;
		this.field = options.field;
		this.details = options.details ?? {};
	}

	/** The sentence for the person in the request's language, without the field's name. */
	get userMessage(): string {
		return render(this.sentence);
	}

	/** The language `userMessage` is written in. */
	get messageLocale(): Locale {
		return sentenceLocale();
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

/** "Subscription not found." in English (the log's noun); a general sentence in Indonesian. */
/** What was thrown, as an Error (a thrown string or object wrapped). */
export const asError = (thrown: unknown): Error => (thrown instanceof Error ? thrown : new Error(String(thrown)));

export const notFound = (what: string) =>
	new AppError('NOT_FOUND', (locale) => (locale === 'en' ? `${what} not found.` : m.srv_not_found({}, { locale })));
export const forbidden = (message: Sentence = say(m.srv_forbidden)) => new AppError('FORBIDDEN', message);
export const badRequest = (field: string, message: Sentence, details: Record<string, unknown> = {}) =>
	new AppError('BAD_REQUEST', message, { field, details });
export const invalidState = (message: Sentence, details: Record<string, unknown> = {}) =>
	new AppError('INVALID_STATE', message, { details });

/** A plan's slots cannot shrink below the slots customers hold. */
export const quotaBelowUsed = (usedQuota: number) =>
	badRequest(
		'totalQuota',
		sayIn(m.srv2_quota_below_used, (locale) => ({
			slots: locale === 'en' ? formatCount(usedQuota, 'slot') : `${usedQuota} slot`
		})),
		{ usedQuota }
	);

/** The wallet cannot pay `required`; the shortfall comes with a top-up link that pre-fills it. */
export function insufficientCredit(
	need: { shortfall: number; balance: number; required: number },
	options: { field?: string; message?: Sentence } = {}
) {
	return new AppError(
		'INSUFFICIENT_CREDIT',
		options.message ?? say(m.srv_insufficient_credit, { amount: formatRupiah(need.shortfall) }),
		{
			field: options.field,
			details: { ...need, topUpUrl: topUpUrl(need.shortfall) }
		}
	);
}

/** The wallet page with the top-up form pre-filled with what is missing (a valid top-up amount). */
export const topUpUrl = (shortfall: number) => `/wallet?amount=${suggestedTopUp(shortfall)}`;

export function quotaExceeded(planId: string) {
	return new AppError('QUOTA_EXCEEDED', say(m.srv_quota_exceeded), {
		details: { planId, waitlist: true }
	});
}

export function duplicateSubscription(subscriptionId: string) {
	return new AppError('DUPLICATE_SUBSCRIPTION', say(m.srv_duplicate_subscription), {
		details: { subscriptionId, upgradeUrl: `/subscriptions/${subscriptionId}?upgrade=1` }
	});
}

/** The same refusal told to an administrator granting a plan: it is the customer who subscribes, not them. */
export function customerAlreadySubscribed(subscriptionId: string, app: string) {
	return new AppError('DUPLICATE_SUBSCRIPTION', say(m.txt9d_srv_customer_already_subscribed, { app }), {
		details: { subscriptionId }
	});
}
