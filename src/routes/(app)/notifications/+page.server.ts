import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { queryHref } from '$lib/query';

const pageHref = (page: number) => queryHref('/notifications', { page: page === 1 ? undefined : page });

export const load = (async (event) => {
	const page = Math.min(100_000, Math.max(1, Math.floor(Number(event.url.searchParams.get('page') ?? 1)) || 1));
	const list = await serverCaller(event).notifications.list({ page });
	// A page past the last (an old link, an edited one) shows the last.
	if (page > list.pageCount) redirect(303, pageHref(list.pageCount));
	return { list };
}) satisfies PageServerLoad;
