import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const ledgerPage = Math.max(1, Number.parseInt(event.url.searchParams.get('ledger') ?? '1', 10) || 1);
	const [customer, plans] = await Promise.all([
		api.admin.customers.get({ userId: event.params.id, ledgerPage }),
		api.admin.quota.overview()
	]);
	return { customer, plans, me: event.locals.user!.id };
}) satisfies PageServerLoad;
