import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => ({
	overview: await serverCaller(event).admin.billing.overview()
})) satisfies PageServerLoad;
