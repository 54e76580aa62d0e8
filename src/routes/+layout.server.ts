import type { LayoutServerLoad } from './$types';
import { getRuntime } from '$lib/server/runtime';

export const load = (async ({ locals }) => {
	const { standIns } = getRuntime();
	return { user: locals.user, standIns };
}) satisfies LayoutServerLoad;
