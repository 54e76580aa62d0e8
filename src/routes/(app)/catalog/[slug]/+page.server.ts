import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	try {
		const service = await serverCaller(event).catalog.service({ slug: event.params.slug });
		return { service };
	} catch (cause) {
		if (cause instanceof TRPCError && (cause.code === 'NOT_FOUND' || cause.code === 'BAD_REQUEST'))
			error(404, 'No such app in the catalog.');
		throw cause;
	}
}) satisfies PageServerLoad;
