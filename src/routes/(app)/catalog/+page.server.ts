import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	// The layout's login check first: loads run in parallel otherwise.
	await event.parent();
	const api = serverCaller(event);
	const categorySlug = event.url.searchParams.get('category') || undefined;
	const q = event.url.searchParams.get('q')?.trim().slice(0, 100) || undefined;
	const filtered = Boolean(categorySlug || q);
	const [categories, services, featured] = await Promise.all([
		api.catalog.categories(),
		api.catalog.services({ categorySlug, q }).catch(() => []),
		filtered ? Promise.resolve([]) : api.catalog.featured()
	]);
	return { categories, services, featured, categorySlug, q };
}) satisfies PageServerLoad;
