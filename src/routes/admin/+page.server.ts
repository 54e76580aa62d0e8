import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	await event.parent();
	return { overview: await serverCaller(event).admin.overview() };
}) satisfies PageServerLoad;
