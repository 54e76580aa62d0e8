import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

// The link is checked, not used, when the page opens: a dead one is said to be dead before a
// new password is typed, and a live one still works for the form. A token no link carries
// (too long to be one: the input refuses it) is a dead link too, not an error page.
export const load = (async (event) => {
	const token = event.url.searchParams.get('token');
	if (!token) return { linkUsable: false };
	try {
		return { linkUsable: (await serverCaller(event).auth.resetLinkUsable({ token })).usable };
	} catch (error) {
		if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return { linkUsable: false };
		throw error;
	}
}) satisfies PageServerLoad;
