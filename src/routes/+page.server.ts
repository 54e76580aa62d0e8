import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { homeFor } from '$lib/redirect';

export const load = (({ locals }) => {
	if (locals.user) redirect(303, homeFor(locals.user));
}) satisfies PageServerLoad;
