import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { refusalOf } from '$lib/server/trpc/init';

const date = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
const text = (value: string | null, max: number) => value?.trim().slice(0, max) || undefined;

export const load = (async (event) => {
	const params = event.url.searchParams;
	const filter = {
		actor: text(params.get('actor'), 100),
		action: text(params.get('action'), 100),
		entityType: text(params.get('entityType'), 60),
		entityId: text(params.get('entityId'), 100),
		from: date(params.get('from')),
		to: date(params.get('to')),
		page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
	};
	try {
		return { log: await serverCaller(event).admin.operations.audit(filter), filter, problem: null };
	} catch (cause) {
		// A filter the log refuses (a range ending before it starts) is told beside its field.
		if (!(cause instanceof TRPCError) || cause.code !== 'BAD_REQUEST') throw cause;
		return { log: { items: [], total: 0, page: 1, pageSize: 50 }, filter, problem: refusalOf(cause) };
	}
}) satisfies PageServerLoad;
