import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => ({ instances: await serverCaller(event).instances.list() })) satisfies PageServerLoad;
