import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	return { instances: await serverCaller(event).instances.list() };
}) satisfies PageServerLoad;
