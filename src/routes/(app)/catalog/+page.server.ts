import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { m } from '$lib/paraglide/messages';

export const load = (async (event) => {
	const api = serverCaller(event);
	const categorySlug = event.url.searchParams.get('category') || undefined;
	const q = event.url.searchParams.get('q')?.trim().slice(0, 100) || undefined;
	const filtered = Boolean(categorySlug || q);
	const [categories, services] = await Promise.all([
		api.catalog.categories(),
		api.catalog.services({ categorySlug, q }).catch(() => [])
	]);
	// This customer's waitlist places, beside the cached cards everyone shares. A card tells them
	// only when it is sold out, so a listing with nothing sold out reads nothing more (issue 16).
	const waitlisted = services.some((service) => service.soldOut) ? await api.waitlist.plans() : [];
	// The unfiltered list holds the featured services too, in the same order: one load, not two.
	const featured = filtered ? [] : services.filter((service) => service.isFeatured);
	// An unknown category is a missing page, not an empty list.
	if (categorySlug && !categories.some((category) => category.slug === categorySlug)) {
		error(404, m.srv2_no_category());
	}
	const waitlistedServiceIds = [...new Set(waitlisted.map((entry) => entry.serviceId))];
	return { categories, services, featured, categorySlug, q, waitlistedServiceIds };
}) satisfies PageServerLoad;
