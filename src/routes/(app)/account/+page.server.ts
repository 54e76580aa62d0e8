import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => ({
	mail: await serverCaller(event).notifications.mailSettings()
})) satisfies PageServerLoad;
