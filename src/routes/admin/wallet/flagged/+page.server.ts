import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	await event.parent();
	const includeResolved = event.url.searchParams.get('resolved') === '1';
	return { includeResolved, flagged: await serverCaller(event).admin.wallet.flagged({ includeResolved }) };
}) satisfies PageServerLoad;
