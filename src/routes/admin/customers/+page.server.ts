import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { oneOf } from '$lib/query';
import { CUSTOMER_FILTERS, CUSTOMER_SORTS } from '$lib/server/admin/schemas';
import { ROLES } from '$lib/statuses';

const rupiah = (value: string | null) => (value && /^\d{1,12}$/.test(value) ? Number(value) : undefined);

export const load = (async (event) => {
	const params = event.url.searchParams;
	const filter = {
		q: params.get('q')?.trim().slice(0, 100) || undefined,
		filter: oneOf(CUSTOMER_FILTERS, params.get('filter')),
		role: oneOf(ROLES, params.get('role')),
		balanceAbove: rupiah(params.get('balanceAbove')),
		balanceBelow: rupiah(params.get('balanceBelow')),
		sort: oneOf(CUSTOMER_SORTS, params.get('sort')) ?? 'created',
		order: oneOf(['asc', 'desc'] as const, params.get('order')) ?? 'desc',
		page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
	};
	return { list: await serverCaller(event).admin.customers.list({ ...filter, pageSize: 25 }), filter };
}) satisfies PageServerLoad;
