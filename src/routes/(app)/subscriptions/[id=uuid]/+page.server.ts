import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { m } from '$lib/paraglide/messages';

export const load = (async (event) => {
	try {
		const api = serverCaller(event);
		const [subscription, billing] = await Promise.all([
			api.subscriptions.get({ id: event.params.id }),
			api.subscriptions.billing({ id: event.params.id })
		]);
		return { subscription, billing };
	} catch (cause) {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, m.srv2_no_subscription());
		throw cause;
	}
}) satisfies PageServerLoad;
