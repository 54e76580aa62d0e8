import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	await event.parent();
	return { proofs: await serverCaller(event).admin.wallet.pendingProofs() };
}) satisfies PageServerLoad;
