import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const [instances, forecast, usage] = await Promise.all([
		api.instances.list(),
		api.subscriptions.forecast(),
		api.instances.usageTotals()
	]);
	return { instances, forecast, usage };
}) satisfies PageServerLoad;
