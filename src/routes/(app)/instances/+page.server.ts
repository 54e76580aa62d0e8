import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	// The layout's login check first: loads run in parallel otherwise.
	await event.parent();
	return { instances: await serverCaller(event).instances.list() };
}) satisfies PageServerLoad;
