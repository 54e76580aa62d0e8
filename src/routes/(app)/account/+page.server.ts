import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const caller = serverCaller(event);
	const [mail, sessions, billingProfile, pendingEmailChange] = await Promise.all([
		caller.notifications.mailSettings(),
		caller.auth.sessions(),
		caller.receipts.billingProfile(),
		caller.auth.pendingEmailChange()
	]);
	return { mail, sessions, billingProfile, pendingEmailChange };
}) satisfies PageServerLoad;
