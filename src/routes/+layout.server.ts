import type { LayoutServerLoad } from './$types';
import { getRuntime } from '$lib/server/runtime';

export const load = (({ locals }) => {
	const { standIns, config } = getRuntime();
	// The balance in the header, read with the session (hooks.server.ts). This load runs again
	// only on a reload or invalidateAll(); a change made elsewhere (a settled top-up, an
	// administrator's credit) reaches the header through the live notice stream, with a higher
	// version than this read's.
	return {
		user: locals.user,
		standIns,
		balance: locals.balance,
		balanceVersion: locals.balanceVersion,
		supportEmail: config.supportEmail
	};
}) satisfies LayoutServerLoad;
