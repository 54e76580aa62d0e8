import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	// The layout's login check first: loads run in parallel otherwise.
	await event.parent();
	const api = serverCaller(event);
	const [subscriptions, waitlist] = await Promise.all([api.subscriptions.list(), api.waitlist.list()]);
	return { subscriptions, waitlist };
}) satisfies PageServerLoad;
