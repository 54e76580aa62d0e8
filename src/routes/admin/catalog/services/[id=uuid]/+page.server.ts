import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const [editor, categories] = await Promise.all([
		api.admin.catalog.service({ id: event.params.id }),
		api.admin.catalog.categories()
	]);
	return { ...editor, categories, created: event.url.searchParams.has('created') };
}) satisfies PageServerLoad;
