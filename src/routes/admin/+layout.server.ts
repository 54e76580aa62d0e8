import { error } from '@sveltejs/kit';
import { ADMIN_ONLY } from '$lib/server/auth/service';
import type { LayoutServerLoad } from './$types';

// hooks.server.ts sends visitors without a session to the login page and refuses data
// requests of customers; a customer's page request is refused here, so that the refusal is
// rendered inside the site's layout (see guardArea).
export const load = (({ locals }) => {
	if (locals.user?.role !== 'ADMINISTRATOR') error(403, ADMIN_ONLY);
	return { user: locals.user };
}) satisfies LayoutServerLoad;
