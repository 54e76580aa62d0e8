import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const includeResolved = event.url.searchParams.get('resolved') === '1';
	return { includeResolved, flagged: await serverCaller(event).admin.wallet.flagged({ includeResolved }) };
}) satisfies PageServerLoad;
