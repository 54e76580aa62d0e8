import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const [categories, services] = await Promise.all([api.admin.catalog.categories(), api.admin.catalog.services()]);
	return { categories, services };
}) satisfies PageServerLoad;
