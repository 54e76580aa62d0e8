// Turns errors from tRPC calls into sentences for people, and field errors for forms.
import { TRPCClientError } from '@trpc/client';
import type { AppErrorCode, ClientErrorCode } from './error-codes';

/** One sentence per code; typed by the shared code list, so a new code cannot be forgotten. */
const friendly: Record<AppErrorCode | 'TOO_MANY_REQUESTS' | 'INTERNAL_SERVER_ERROR', string> &
	Partial<Record<ClientErrorCode, string>> = {
	QUOTA_EXCEEDED: 'This plan is sold out right now.',
	INSUFFICIENT_CREDIT: 'Your credit balance is too low for this.',
	EMAIL_NOT_VERIFIED: 'Verify your e-mail address first: open the link we e-mailed you.',
	DUPLICATE_SUBSCRIPTION: 'You already subscribe to this app; upgrade your plan instead.',
	UPGRADE_REQUIRED: 'You can only move to a higher plan.',
	PROVISIONING_FAILED: 'Setting up your app failed; any charge was refunded.',
	INVALID_STATE: 'That cannot be done right now; refresh the page and try again.',
	TOO_MANY_ATTEMPTS: 'Too many attempts; please wait a moment.',
	PAYMENT_GATEWAY_ERROR: 'The payment gateway is not reachable; please try again.',
	UNAUTHORIZED: 'Please log in first.',
	FORBIDDEN: 'You are not allowed to do that.',
	NOT_FOUND: 'That could not be found.',
	BAD_REQUEST: 'Please check what you entered.',
	CONFLICT: 'That conflicts with the current state; refresh and try again.',
	TOO_MANY_REQUESTS: 'Too many attempts; please wait a moment.',
	INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.'
};
const fallback = friendly.INTERNAL_SERVER_ERROR;

export type ErrorInfo = {
	/** Domain code (QUOTA_EXCEEDED, ...) or the tRPC code. */
	code: string;
	/** The sentence for people, without the leading "field: " an API caller reads. */
	message: string;
	/** The input field the error is about, if any. */
	field: string | null;
	fieldErrors: Record<string, string[] | undefined>;
	details: Record<string, unknown>;
};

type ErrorData = {
	code?: ClientErrorCode;
	appCode?: ClientErrorCode | null;
	fieldErrors?: Record<string, string[] | undefined> | null;
	field?: string | null;
	details?: Record<string, unknown> | null;
	requestId?: string | null;
};

export function errorInfo(error: unknown): ErrorInfo {
	if (error instanceof TRPCClientError) {
		const data = (error.data ?? {}) as ErrorData;
		const code: ClientErrorCode = data.appCode ?? data.code ?? 'INTERNAL_SERVER_ERROR';
		const serverMessage = typeof error.message === 'string' && error.message.length < 300 ? error.message : '';
		// An unexpected error's reference lets support find it in the log.
		const internal = data.requestId ? `${fallback} (Reference: ${data.requestId})` : fallback;
		const fieldErrors = { ...(data.fieldErrors ?? {}) };
		const field = data.field ?? Object.keys(fieldErrors)[0] ?? null;
		const message =
			code === 'INTERNAL_SERVER_ERROR' ? internal : withoutField(serverMessage, field) || friendly[code] || fallback;
		return { code, message, field, fieldErrors, details: data.details ?? {} };
	}
	const offline = error instanceof TypeError && /fetch/i.test(error.message);
	return {
		code: offline ? 'NETWORK' : 'UNKNOWN',
		message: offline ? 'Cannot reach MinisPod. Check your connection and try again.' : fallback,
		field: null,
		fieldErrors: {},
		details: {}
	};
}

export const errorMessage = (error: unknown) => errorInfo(error).message;

/** "amount: must be a multiple of Rp 1.000" reads "Must be a multiple of Rp 1.000". */
function withoutField(message: string, field: string | null): string {
	const prefix = `${field}: `;
	if (!field || !message.startsWith(prefix)) return message;
	const rest = message.slice(prefix.length);
	return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/**
 * What a form's banner says about a refusal: nothing when the error is about one of the
 * fields the form shows it beside, so each problem is told once, where it is.
 */
export function bannerMessage(failure: ErrorInfo | null, shownFields: readonly string[]): string | null {
	if (!failure) return null;
	if (failure.field && shownFields.includes(failure.field)) return null;
	return failure.message;
}
