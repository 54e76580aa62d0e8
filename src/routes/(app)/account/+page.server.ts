import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const caller = serverCaller(event);
	const [mail, sessions] = await Promise.all([caller.notifications.mailSettings(), caller.auth.sessions()]);
	return { mail, sessions };
}) satisfies PageServerLoad;
