import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { getRuntime } from '$lib/server/runtime';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const load = (async (event) => {
	const api = serverCaller(event);
	const [wallet, recent, pending, forecast] = await Promise.all([
		api.wallet.balance(),
		api.wallet.transactions({ pageSize: 5 }),
		api.wallet.transactions({ type: 'TOP_UP', status: 'PENDING', pageSize: 5 }),
		api.subscriptions.forecast()
	]);
	// A link from a shortfall ("top up Rp 19.000 more") pre-fills the amount.
	const requested = Number.parseInt(event.url.searchParams.get('amount') ?? '', 10);
	const { minTopUp, maxTopUp } = wallet.limits;
	const suggestedAmount = Number.isSafeInteger(requested) ? Math.min(maxTopUp, Math.max(minTopUp, requested)) : null;
	// ... and names the plan being subscribed to, which the paid top-up offers to continue with.
	const [planId, serviceSlug] = [event.url.searchParams.get('plan'), event.url.searchParams.get('app')];
	const resume = planId && serviceSlug && UUID.test(planId) && SLUG.test(serviceSlug) ? { planId, serviceSlug } : null;
	// The manual transfer is offered only with an account to pay into.
	const manualTransfer = getRuntime().config.wallet.transferAccounts.length > 0;
	return { wallet, recent: recent.items, pending: pending.items, suggestedAmount, forecast, resume, manualTransfer };
}) satisfies PageServerLoad;
