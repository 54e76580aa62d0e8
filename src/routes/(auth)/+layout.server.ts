import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { homeFor, safeRedirectTarget } from '$lib/redirect';

export const load = (({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo'), homeFor(locals.user)));
}) satisfies LayoutServerLoad;
