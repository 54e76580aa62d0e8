// The client's address for a request served before SvelteKit (trpc-direct.ts), read as
// adapter-node's getClientAddress reads it: the socket's peer, or behind a reverse proxy the
// header ADDRESS_HEADER names, for X-Forwarded-For the XFF_DEPTH-th address from the right.
// https://svelte.dev/docs/kit/adapter-node#Environment-variables-ADDRESS_HEADER-and-XFF_DEPTH
import type { IncomingMessage } from 'node:http';

/** Null where adapter-node throws (the header absent, too few addresses), as createContext reads it. */
export function clientAddress(request: IncomingMessage): string | null {
	const header = (process.env.ADDRESS_HEADER ?? '').toLowerCase();
	if (!header) return request.socket.remoteAddress ?? null;
	if (!(header in request.headers)) return null;
	const value = String(request.headers[header] || '');
	if (header !== 'x-forwarded-for') return value;
	const depth = parseInt(process.env.XFF_DEPTH ?? '1');
	const addresses = value.split(',');
	if (!(depth >= 1) || depth > addresses.length) return null;
	return addresses[addresses.length - depth].trim();
}
