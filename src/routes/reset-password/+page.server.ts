import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

// The link is checked, not used, when the page opens: a dead one is said to be dead before a
// new password is typed, and a live one still works for the form.
export const load = (async (event) => {
	const token = event.url.searchParams.get('token');
	const { usable } = token ? await serverCaller(event).auth.resetLinkUsable({ token }) : { usable: false };
	return { linkUsable: usable };
}) satisfies PageServerLoad;
