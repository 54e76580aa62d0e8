import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { oneOf } from '$lib/query';
import { refusalOf } from '$lib/server/trpc/init';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES } from '$lib/statuses';

export const load = (async (event) => {
	const params = event.url.searchParams;
	const text = (name: string) => params.get(name)?.trim() || undefined;
	// A type or status the select does not offer (an edited link) is left out, the select reset;
	// the dates are taken as typed, and the procedure names a bad one.
	const filters = {
		type: oneOf(TRANSACTION_TYPES, text('type')),
		status: oneOf(TRANSACTION_STATUSES, text('status')),
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
		const problem = refusalOf(cause);
		return { filters, options, result: { items: [], total: 0, page: 1, pageSize: 20, pageCount: 1 }, problem };
	}
}) satisfies PageServerLoad;
