import type { RequestHandler } from './$types';
import { addressKey } from '$lib/server/rate-limit';
import { getRuntime } from '$lib/server/runtime';
import { handleMidtransWebhook } from '$lib/server/wallet/webhook';

/** Midtrans payment notifications (see wallet/webhook.ts), rate limited per sender address. */
export const POST: RequestHandler = ({ request, getClientAddress }) => {
	const runtime = getRuntime();
	return handleMidtransWebhook(runtime, request, addressKey(getClientAddress(), runtime.config.rateLimitExempt));
};
