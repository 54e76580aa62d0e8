import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const queue = event.url.searchParams.get('queue')?.slice(0, 100) || undefined;
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	return { jobs: await serverCaller(event).admin.operations.failedJobs({ queue, page }), queue };
}) satisfies PageServerLoad;
