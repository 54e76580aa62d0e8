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
		// The customer's waitlist places, read only when an upgrade is sold out: the upgrade
		// dialog then says they are waiting for it instead of offering to join again.
		const waitlisted = subscription.upgradeOptions.some((option) => option.soldOut) ? await api.waitlist.plans() : [];
		return { subscription, billing, waitlistedPlanIds: waitlisted.map((entry) => entry.planId) };
	} catch (cause) {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, m.srv2_no_subscription());
		throw cause;
	}
}) satisfies PageServerLoad;
