import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	await event.parent();
	const api = serverCaller(event);
	const [wallet, recent, pending] = await Promise.all([
		api.wallet.balance(),
		api.wallet.transactions({ pageSize: 5 }),
		api.wallet.transactions({ type: 'TOP_UP', status: 'PENDING', pageSize: 5 })
	]);
	return { wallet, recent: recent.items, pending: pending.items };
}) satisfies PageServerLoad;
