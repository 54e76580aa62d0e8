import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const params = event.url.searchParams;
	const filter = {
		outcome: params.get('outcome')?.slice(0, 40) || undefined,
		orderId: params.get('orderId')?.trim().slice(0, 60) || undefined,
		page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
	};
	return { log: await serverCaller(event).admin.operations.webhooks(filter), filter };
}) satisfies PageServerLoad;
