import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
	return { outbox: await serverCaller(event).admin.mail.outbox({ page, pageSize: 25 }) };
}) satisfies PageServerLoad;
