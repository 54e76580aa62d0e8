import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getRuntime } from '$lib/server/runtime';
import { AppError } from '$lib/server/errors';
import { readTransferProof } from '$lib/server/wallet/proofs';
import { m } from '$lib/paraglide/messages';

/** A transfer proof, for its owner or an administrator only; never cached, never sniffed. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, m.srv_log_in_first());
	const proof = await readTransferProof(getRuntime(), locals.user, params.id).catch((cause: unknown) => {
		if (cause instanceof AppError && cause.code === 'NOT_FOUND') error(404, m.srv2_no_proof());
		throw cause;
	});
	return new Response(new Uint8Array(proof.bytes), {
		headers: {
			'content-type': proof.mimeType,
			'content-disposition': `inline; filename="${proof.fileName}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff',
			// Images are shown bare; PDFs need the browser's viewer, which a strict policy blocks.
			...(proof.mimeType.startsWith('image/')
				? { 'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" }
				: {})
		}
	});
};
