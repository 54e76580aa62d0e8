import type { LayoutServerLoad } from './$types';
import { getRuntime } from '$lib/server/runtime';

export const load = (({ locals }) => {
	const { standIns, config } = getRuntime();
	// The balance in the header, read with the session (hooks.server.ts); every change of it
	// comes with a reload or invalidateAll(), which runs this again.
	return { user: locals.user, standIns, balance: locals.balance, supportEmail: config.supportEmail };
}) satisfies LayoutServerLoad;
