import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getRuntime } from '$lib/server/runtime';
import { AppError } from '$lib/server/errors';
import { getReceipt } from '$lib/server/receipts/service';
import { m } from '$lib/paraglide/messages';

/** A receipt PDF, for the payment's owner or an administrator only; never cached. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, m.srv_log_in_first());
	const found = await getReceipt(getRuntime().db, locals.user, params.id).catch((cause: unknown) => {
		if (cause instanceof AppError && cause.code === 'NOT_FOUND') error(404, m.srv2_no_receipt());
		throw cause;
	});
	// pdfkit (4.7 MiB of heap) is loaded with the first receipt, not at start (issue 16).
	const { renderReceiptPdf } = await import('$lib/server/receipts/pdf');
	const bytes = await renderReceiptPdf(found);
	const fileName = `${found.receipt.number.replaceAll('/', '-')}.pdf`;
	return new Response(new Uint8Array(bytes), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
