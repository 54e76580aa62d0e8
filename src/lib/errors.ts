// Turns errors from tRPC calls into sentences for people, and field errors for forms.
import { TRPCClientError } from '@trpc/client';
import type { AppErrorCode, ClientErrorCode } from './error-codes';
import { m } from './paraglide/messages';
import { getLocale } from './paraglide/runtime';

/** One sentence per code; typed by the shared code list, so a new code cannot be forgotten. */
const friendly: Record<AppErrorCode | 'TOO_MANY_REQUESTS' | 'INTERNAL_SERVER_ERROR', () => string> &
	Partial<Record<ClientErrorCode, () => string>> = {
	QUOTA_EXCEEDED: m.error_quota_exceeded,
	INSUFFICIENT_CREDIT: m.error_insufficient_credit,
	EMAIL_NOT_VERIFIED: m.error_email_not_verified,
	DUPLICATE_SUBSCRIPTION: m.error_duplicate_subscription,
	UPGRADE_REQUIRED: m.error_upgrade_required,
	PROVISIONING_FAILED: m.error_provisioning_failed,
	INVALID_STATE: m.error_invalid_state,
	TOO_MANY_ATTEMPTS: m.error_too_many_attempts,
	PAYMENT_GATEWAY_ERROR: m.error_payment_gateway_error,
	UNAUTHORIZED: m.error_unauthorized,
	FORBIDDEN: m.error_forbidden,
	NOT_FOUND: m.error_not_found,
	BAD_REQUEST: m.error_bad_request,
	CONFLICT: m.error_conflict,
	TOO_MANY_REQUESTS: m.error_too_many_attempts,
	INTERNAL_SERVER_ERROR: m.error_internal
};

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
	/** The language the server wrote `message` in (trpc/init.ts). */
	messageLocale?: string | null;
};

export function errorInfo(error: unknown): ErrorInfo {
	if (error instanceof TRPCClientError) {
		const data = (error.data ?? {}) as ErrorData;
		const code: ClientErrorCode = data.appCode ?? data.code ?? 'INTERNAL_SERVER_ERROR';
		const serverMessage = typeof error.message === 'string' && error.message.length < 300 ? error.message : '';
		// An unexpected error's reference lets support find it in the log.
		const fallback = m.error_internal();
		const internal = data.requestId ? m.error_internal_reference({ message: fallback, requestId: data.requestId }) : fallback;
		const fieldErrors = { ...(data.fieldErrors ?? {}) };
		const field = data.field ?? Object.keys(fieldErrors)[0] ?? null;
		// The server writes its sentences in the request's language; one in another (tRPC's own,
		// or a page whose language changed since) gives way to the code's sentence.
		const shown = data.messageLocale === getLocale() ? withoutField(serverMessage, field) : '';
		const message = code === 'INTERNAL_SERVER_ERROR' ? internal : shown || friendly[code]?.() || fallback;
		return { code, message, field, fieldErrors, details: data.details ?? {} };
	}
	const offline = error instanceof TypeError && /fetch/i.test(error.message);
	return {
		code: offline ? 'NETWORK' : 'UNKNOWN',
		message: offline ? m.error_offline() : m.error_internal(),
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

/** A refusal laid out on a form: each field's first sentence, and what the banner says. */
export type FormRefusal = {
	/** By the field's path within the form (`features.2`), without the input's prefix (`plan.`). */
	errors: Record<string, string | undefined>;
	/** The sentences of the fields the form has no place for, or the error itself when it names no field. */
	banner: string | null;
};

/**
 * Lays a refusal out on a form that shows some fields' errors beside them (`shows`): the
 * banner tells every other problem, so no refusal is ever silent, and none twice.
 */
export function formRefusal(info: ErrorInfo, shows: (field: string) => boolean, prefix = ''): FormRefusal {
	const errors = Object.fromEntries(
		Object.entries(info.fieldErrors).map(([field, messages]) => [
			field.startsWith(prefix) ? field.slice(prefix.length) : field,
			messages?.[0] ?? info.message
		])
	);
	const fields = Object.keys(errors);
	if (fields.length === 0) return { errors, banner: info.message };
	const elsewhere = [...new Set(fields.filter((field) => !shows(field)).map((field) => errors[field]!))];
	return { errors, banner: elsewhere.length > 0 ? elsewhere.join('\n') : null };
}

/** Whether a field is one of the names or a part of one (`features.2` of `features`). */
export const fieldAmong =
	(names: readonly string[]) =>
	(field: string): boolean =>
		names.some((name) => field === name || field.startsWith(`${name}.`));
