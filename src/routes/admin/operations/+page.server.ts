import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { APP_FILTERS } from '$lib/server/admin/schemas';
import { INSTANCE_STATUSES, type InstanceStatus } from '$lib/statuses';

export const load = (async (event) => {
	const params = event.url.searchParams;
	const filter = {
		filter: APP_FILTERS.find((value) => value === params.get('filter')),
		status: INSTANCE_STATUSES.find((value) => value === params.get('status')) as InstanceStatus | undefined,
		minutes: Math.min(10_080, Math.max(1, Number.parseInt(params.get('minutes') ?? '10', 10) || 10)),
		q: params.get('q')?.trim().slice(0, 100) || undefined,
		page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
	};
	return { apps: await serverCaller(event).admin.operations.apps(filter), filter, statuses: INSTANCE_STATUSES };
}) satisfies PageServerLoad;
