// Every domain error code MinisPod answers with, and the tRPC code (hence HTTP status) it
// maps to. Shared by the server (AppError) and the browser (the sentence for each code), so
// a new code cannot be added on one side and forgotten on the other.
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

export const ERROR_CODES = {
	QUOTA_EXCEEDED: { trpc: 'CONFLICT', status: 409 },
	INSUFFICIENT_CREDIT: { trpc: 'PAYMENT_REQUIRED', status: 402 },
	EMAIL_NOT_VERIFIED: { trpc: 'FORBIDDEN', status: 403 },
	DUPLICATE_SUBSCRIPTION: { trpc: 'CONFLICT', status: 409 },
	UPGRADE_REQUIRED: { trpc: 'BAD_REQUEST', status: 400 },
	PROVISIONING_FAILED: { trpc: 'INTERNAL_SERVER_ERROR', status: 500 },
	INVALID_STATE: { trpc: 'CONFLICT', status: 409 },
	TOO_MANY_ATTEMPTS: { trpc: 'TOO_MANY_REQUESTS', status: 429 },
	PAYMENT_GATEWAY_ERROR: { trpc: 'BAD_GATEWAY', status: 502 },
	UNAUTHORIZED: { trpc: 'UNAUTHORIZED', status: 401 },
	FORBIDDEN: { trpc: 'FORBIDDEN', status: 403 },
	NOT_FOUND: { trpc: 'NOT_FOUND', status: 404 },
	BAD_REQUEST: { trpc: 'BAD_REQUEST', status: 400 },
	CONFLICT: { trpc: 'CONFLICT', status: 409 }
} as const satisfies Record<string, { trpc: TRPC_ERROR_CODE_KEY; status: number }>;

export type AppErrorCode = keyof typeof ERROR_CODES;

/** What a client may receive as a code: a domain code, or tRPC's own for other failures. */
export type ClientErrorCode = AppErrorCode | TRPC_ERROR_CODE_KEY;
