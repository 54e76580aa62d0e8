import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	await event.parent();
	return { services: await serverCaller(event).admin.quota.overview() };
}) satisfies PageServerLoad;
