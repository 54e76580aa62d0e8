import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const ledgerPage = Math.max(1, Number.parseInt(event.url.searchParams.get('ledger') ?? '1', 10) || 1);
	const [customer, plans, restorable] = await Promise.all([
		api.admin.customers.get({ userId: event.params.id, ledgerPage }),
		api.admin.quota.overview(),
		api.admin.backups.restorable({ userId: event.params.id })
	]);
	return { customer, plans, restorable, me: event.locals.user!.id };
}) satisfies PageServerLoad;
