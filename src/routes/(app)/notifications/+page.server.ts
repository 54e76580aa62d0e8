import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => ({
	notifications: await serverCaller(event).notifications.list()
})) satisfies PageServerLoad;
