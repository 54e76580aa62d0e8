import { error, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';

export const load = (async (event) => {
	const api = serverCaller(event);
	const id = event.params.id;
	let transaction = await api.wallet.transaction({ id }).catch((cause: unknown) => {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, 'No such top-up.');
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
	const wallet = await api.wallet.balance();
	return { transaction, balance: wallet.balance };
}) satisfies PageServerLoad;
