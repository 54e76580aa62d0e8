import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const caller = serverCaller(event);
	const [instances, usage] = await Promise.all([caller.instances.list(), caller.instances.usageTotals()]);
	return { instances, usage };
}) satisfies PageServerLoad;
