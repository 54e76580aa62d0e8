import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/trpc/caller';

export const load = (async (event) => {
	// The layout's login check first: loads run in parallel otherwise.
	await event.parent();
	try {
		return { instance: await serverCaller(event).instances.get({ id: event.params.id }) };
	} catch (cause) {
		if (cause instanceof TRPCError && (cause.code === 'NOT_FOUND' || cause.code === 'BAD_REQUEST')) error(404, 'No such app.');
		throw cause;
	}
}) satisfies PageServerLoad;
