import { error, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { m } from '$lib/paraglide/messages';

/** The plan this top-up was started for, as the catalog names it now (gone: no offer). */
async function continueSubscribing(
	api: ReturnType<typeof serverCaller>,
	resume: { planId: string; serviceSlug: string } | null
): Promise<{ href: string; app: string; plan: string } | null> {
	if (!resume) return null;
	const service = await api.catalog.service({ slug: resume.serviceSlug }).catch(() => null);
	const plan = service?.plans.find((candidate) => candidate.id === resume.planId);
	if (!service || !plan) return null;
	return { href: `/catalog/${service.slug}?plan=${plan.id}`, app: service.name, plan: plan.name };
}

export const load = (async (event) => {
	const api = serverCaller(event);
	const id = event.params.id;
	let transaction = await api.wallet.transaction({ id }).catch((cause: unknown) => {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, m.srv2_no_topup());
		throw cause;
	});
	if (transaction.type !== 'TOP_UP' || !transaction.orderId) redirect(303, `/wallet/transactions/${id}`);
	// Back from the payment page: ask the gateway once instead of waiting for its notification.
	if (transaction.status === 'PENDING' && event.url.searchParams.has('order_id')) {
		transaction = await api.wallet
			.refreshStatus({ id })
			.then((refreshed) => refreshed.transaction)
			.catch(() => transaction);
	}
	const [wallet, continueTo] = await Promise.all([api.wallet.balance(), continueSubscribing(api, transaction.resume)]);
	return { transaction, balance: wallet.balance, continueTo };
}) satisfies PageServerLoad;
