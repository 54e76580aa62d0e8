import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => ({ sessions: await serverCaller(event).auth.sessions() })) satisfies PageServerLoad;
