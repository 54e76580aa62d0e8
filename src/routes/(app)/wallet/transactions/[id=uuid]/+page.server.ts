import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { m } from '$lib/paraglide/messages';

export const load = (async (event) => {
	const transaction = await serverCaller(event)
		.wallet.transaction({ id: event.params.id })
		.catch((cause: unknown) => {
			if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, m.srv2_no_transaction());
			throw cause;
		});
	return { transaction, uploaded: event.url.searchParams.has('uploaded') };
}) satisfies PageServerLoad;
