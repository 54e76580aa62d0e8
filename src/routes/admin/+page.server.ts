import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	return { overview: await serverCaller(event).admin.overview() };
}) satisfies PageServerLoad;
