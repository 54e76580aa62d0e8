import { fail, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Actions, PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { getRuntime } from '$lib/server/runtime';
import { refusalOf } from '$lib/server/trpc/init';

export const load = (() => {
	const { minTopUp, maxTopUp, proofMaxBytes, transferAccounts } = getRuntime().config.wallet;
	return { limits: { minTopUp, maxTopUp, proofMaxBytes }, accounts: transferAccounts };
}) satisfies PageServerLoad;

export const actions = {
	// The form's multipart body goes to wallet.uploadProof as it is (tRPC accepts FormData).
	default: async (event) => {
		const form = await event.request.formData();
		let id: string;
		try {
			id = (await serverCaller(event).wallet.uploadProof(form)).id;
		} catch (cause) {
			// Every refusal (a field, an unverified e-mail, the upload limit) is said on the form,
			// which keeps what was typed; only an unexpected error is the error page's.
			const status = cause instanceof TRPCError ? getHTTPStatusCodeFromError(cause) : 500;
			if (!(cause instanceof TRPCError) || status >= 500) throw cause;
			const { message, field } = refusalOf(cause);
			return fail(status, {
				message,
				field,
				amount: String(form.get('amount') ?? ''),
				note: String(form.get('note') ?? '')
			});
		}
		redirect(303, `/wallet/transactions/${id}?uploaded=1`);
	}
} satisfies Actions;
