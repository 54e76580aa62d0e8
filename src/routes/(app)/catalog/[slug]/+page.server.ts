import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { m } from '$lib/paraglide/messages';

export const load = (async (event) => {
	try {
		const api = serverCaller(event);
		const [service, waitlisted] = await Promise.all([
			api.catalog.service({ slug: event.params.slug }),
			// This customer's own, beside the cached service everyone shares.
			api.waitlist.plans()
		]);
		return { service, waitlistedPlanIds: waitlisted.map((entry) => entry.planId) };
	} catch (cause) {
		if (cause instanceof TRPCError && (cause.code === 'NOT_FOUND' || cause.code === 'BAD_REQUEST'))
			error(404, m.srv2_no_catalog_app());
		throw cause;
	}
}) satisfies PageServerLoad;
