import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES, type TransactionStatus, type TransactionType } from '$lib/statuses';

export const load = (async (event) => {
	const params = event.url.searchParams;
	const text = (name: string) => params.get(name)?.trim() || undefined;
	// Taken as typed here; the procedure validates them and names any bad one.
	const filters = {
		type: text('type') as TransactionType | undefined,
		status: text('status') as TransactionStatus | undefined,
		from: text('from'),
		to: text('to')
	};
	const page = Math.max(1, Math.floor(Number(params.get('page') ?? 1)) || 1);
	const options = { types: TRANSACTION_TYPES, statuses: TRANSACTION_STATUSES };
	try {
		const result = await serverCaller(event).wallet.transactions({ ...filters, page, pageSize: 20 });
		return { filters, options, result, problem: null };
	} catch (cause) {
		if (!(cause instanceof TRPCError) || cause.code !== 'BAD_REQUEST') throw cause;
		return { filters, options, result: { items: [], total: 0, page: 1, pageSize: 20, pageCount: 1 }, problem: cause.message };
	}
}) satisfies PageServerLoad;
