import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const q = event.url.searchParams.get('q')?.trim() ?? '';
	const [customers, recent] = await Promise.all([
		q
			? api.admin.users({ q }).then(
					(found) => ({ found, problem: null }),
					(cause: unknown) => {
						if (cause instanceof TRPCError && cause.code === 'BAD_REQUEST') return { found: [], problem: cause.message };
						throw cause;
					}
				)
			: Promise.resolve({ found: [], problem: null }),
		api.admin.wallet.recentAdjustments()
	]);
	return { q, customers: customers.found, problem: customers.problem, recent };
}) satisfies PageServerLoad;
