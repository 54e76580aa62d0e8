import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => ({
	categories: await serverCaller(event).admin.catalog.categories()
})) satisfies PageServerLoad;
