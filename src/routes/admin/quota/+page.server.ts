import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	return { services: await serverCaller(event).admin.quota.overview() };
}) satisfies PageServerLoad;
