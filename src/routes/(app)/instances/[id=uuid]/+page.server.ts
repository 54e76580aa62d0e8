import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { m } from '$lib/paraglide/messages';

export const load = (async (event) => {
	try {
		const api = serverCaller(event);
		const [instance, domains, backups] = await Promise.all([
			api.instances.get({ id: event.params.id }),
			api.domains.list({ instanceId: event.params.id }),
			api.backups.list({ instanceId: event.params.id })
		]);
		return { instance, domains, backups };
	} catch (cause) {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, m.srv2_no_app());
		throw cause;
	}
}) satisfies PageServerLoad;
