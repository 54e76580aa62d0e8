// What a refused tRPC call looked like: its domain code (QUOTA_EXCEEDED, …) or tRPC code,
// the message people see, and the details the UI uses for the next step.
import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

export type Rejection = {
	/** The domain code when a service refused, else the tRPC code. */
	code: string;
	trpcCode: TRPCError['code'];
	message: string;
	details: Record<string, unknown>;
	error: TRPCError;
};

/** Awaits a call that must be refused and describes the refusal. */
export async function rejection(promise: Promise<unknown>): Promise<Rejection> {
	const error = await promise.then(
		() => {
			throw new Error('expected the call to be refused');
		},
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(TRPCError);
	const trpc = error as TRPCError & { cause?: { code?: string; details?: Record<string, unknown> } };
	return {
		code: trpc.cause?.code ?? trpc.code,
		trpcCode: trpc.code,
		message: trpc.message,
		details: trpc.cause?.details ?? {},
		error: trpc
	};
}

/** Awaits a call that must be refused with this tRPC code. */
export async function expectError(promise: Promise<unknown>, trpcCode: TRPCError['code']): Promise<TRPCError> {
	const refused = await rejection(promise);
	expect(refused.trpcCode).toBe(trpcCode);
	return refused.error;
}
