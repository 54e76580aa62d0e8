import { error, redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role !== 'ADMINISTRATOR') error(403, 'The admin panel is for administrators only.');
	return { user: locals.user };
}) satisfies LayoutServerLoad;
