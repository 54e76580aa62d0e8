import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	return { proofs: await serverCaller(event).admin.wallet.pendingProofs() };
}) satisfies PageServerLoad;
