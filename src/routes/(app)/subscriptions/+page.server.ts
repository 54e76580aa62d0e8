import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const [subscriptions, waitlist, forecast] = await Promise.all([
		api.subscriptions.list(),
		api.waitlist.list(),
		api.subscriptions.forecast()
	]);
	return { subscriptions, waitlist, forecast };
}) satisfies PageServerLoad;
