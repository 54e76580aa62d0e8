import type { LayoutServerLoad } from './$types';
import { getRuntime } from '$lib/server/runtime';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const { standIns } = getRuntime();
	const user = event.locals.user;
	// The balance in the header; every change of it comes with a reload or invalidateAll().
	const balance = user ? (await serverCaller(event).wallet.balance()).balance : null;
	return { user, standIns, balance };
}) satisfies LayoutServerLoad;
