import type { RequestHandler } from './$types';
import { getRuntime } from '$lib/server/runtime';
import { handleMidtransWebhook } from '$lib/server/wallet/webhook';

/** Midtrans payment notifications (see wallet/webhook.ts). */
export const POST: RequestHandler = ({ request }) => handleMidtransWebhook(getRuntime(), request);
