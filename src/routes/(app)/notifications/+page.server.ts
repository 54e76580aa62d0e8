import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	return {
		notifications: await serverCaller(event).notifications.list()
	};
}) satisfies PageServerLoad;
