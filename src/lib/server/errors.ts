// One error type for domain failures. Each code carries the tRPC code (and so the HTTP
// status) it maps to; `message` is for people, `details` carries what the UI needs to
// offer the next step (a shortfall, the subscription to upgrade, ...).
import { TRPCError } from '@trpc/server';

export const APP_ERROR_CODES = {
	QUOTA_EXCEEDED: 'CONFLICT',
	INSUFFICIENT_CREDIT: 'PAYMENT_REQUIRED',
	DUPLICATE_SUBSCRIPTION: 'CONFLICT',
	UPGRADE_REQUIRED: 'BAD_REQUEST',
	PROVISIONING_FAILED: 'INTERNAL_SERVER_ERROR',
	INVALID_STATE: 'CONFLICT',
	TOO_MANY_ATTEMPTS: 'TOO_MANY_REQUESTS',
	PAYMENT_GATEWAY_ERROR: 'BAD_GATEWAY',
	UNAUTHORIZED: 'UNAUTHORIZED',
	FORBIDDEN: 'FORBIDDEN',
	NOT_FOUND: 'NOT_FOUND',
	BAD_REQUEST: 'BAD_REQUEST',
	CONFLICT: 'CONFLICT'
} as const satisfies Record<string, TRPCError['code']>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
	readonly code: AppErrorCode;
	readonly details: Record<string, unknown>;

	constructor(code: AppErrorCode, message: string, details: Record<string, unknown> = {}) {
		super(message);
		this.name = 'AppError';
		this.code = code;
		this.details = details;
	}

	toTRPCError() {
		return new TRPCError({ code: APP_ERROR_CODES[this.code], message: this.message, cause: this });
	}
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found.`);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError('FORBIDDEN', message);
export const badRequest = (message: string, details: Record<string, unknown> = {}) =>
	new AppError('BAD_REQUEST', message, details);
