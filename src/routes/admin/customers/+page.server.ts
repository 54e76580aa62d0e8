import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { oneOf } from '$lib/query';
import { m } from '$lib/paraglide/messages';
import { CUSTOMER_FILTERS, CUSTOMER_SORTS } from '$lib/server/admin/schemas';
import { render, say } from '$lib/server/sentences';
import { refusalOf } from '$lib/server/trpc/init';
import { ROLES } from '$lib/statuses';

const BALANCE_FIELDS = ['balanceAbove', 'balanceBelow'] as const;
const rupiah = (value: string) => (/^\d{1,12}$/.test(value) ? Number(value) : undefined);

export const load = (async (event) => {
	const params = event.url.searchParams;
	// The balances as typed, shown again in their fields; one that is no amount is told beside it.
	const typed = Object.fromEntries(BALANCE_FIELDS.map((field) => [field, params.get(field)?.trim() ?? '']));
	const problems: Record<string, string> = {};
	for (const field of BALANCE_FIELDS) {
		if (typed[field] && rupiah(typed[field]) === undefined) problems[field] = render(say(m.txt11a_balance_unreadable));
	}
	const filter = {
		q: params.get('q')?.trim().slice(0, 100) || undefined,
		filter: oneOf(CUSTOMER_FILTERS, params.get('filter')),
		role: oneOf(ROLES, params.get('role')),
		balanceAbove: rupiah(typed.balanceAbove),
		balanceBelow: rupiah(typed.balanceBelow),
		sort: oneOf(CUSTOMER_SORTS, params.get('sort')) ?? 'created',
		order: oneOf(['asc', 'desc'] as const, params.get('order')) ?? 'desc',
		page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
	};
	const none = { items: [], total: 0, page: 1, pageSize: 25 };
	if (Object.keys(problems).length > 0) return { list: none, filter, typed, problems };
	try {
		return { list: await serverCaller(event).admin.customers.list({ ...filter, pageSize: 25 }), filter, typed, problems };
	} catch (cause) {
		// A range the list refuses (the maximum below the minimum) is told beside its field.
		if (!(cause instanceof TRPCError) || cause.code !== 'BAD_REQUEST') throw cause;
		const { field, message } = refusalOf(cause);
		return { list: none, filter, typed, problems: { [field ?? '']: message } };
	}
}) satisfies PageServerLoad;
