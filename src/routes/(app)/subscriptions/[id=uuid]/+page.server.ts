import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	try {
		return { subscription: await serverCaller(event).subscriptions.get({ id: event.params.id }) };
	} catch (cause) {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, 'No such subscription.');
		throw cause;
	}
}) satisfies PageServerLoad;
