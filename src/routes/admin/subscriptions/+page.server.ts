import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

import { SUBSCRIPTION_STATUSES as statuses, type SubscriptionStatus as Status } from '$lib/statuses';

export const load = (async (event) => {
	const api = serverCaller(event);
	const params = event.url.searchParams;
	const status = statuses.includes(params.get('status') as Status) ? (params.get('status') as Status) : undefined;
	const q = params.get('q')?.trim().slice(0, 100) || undefined;
	const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
	const [list, plans, restorable] = await Promise.all([
		api.admin.subscriptions.list({ status, q, page, pageSize: 25 }),
		api.admin.quota.overview(),
		api.admin.backups.restorable({})
	]);
	return { list, plans, restorable, filter: { status, q }, statuses };
}) satisfies PageServerLoad;
