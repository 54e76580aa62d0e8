// MinisPod's request path without a built server: the server hook (`handle`) in front of the
// real route handlers (tRPC, the Midtrans webhook, health), reached with a fetch Request and
// a client address, so tests see what a browser or an attacker would: status, headers,
// body and cookies. tRPC queries and JSON mutations take the path the built server gives them
// (answered before SvelteKit, src/lib/server/http/trpc-direct.ts) unless `sveltekit` asks for
// the hook's.
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { handle } from '../../src/hooks.server';
import { answerCall, directPath } from '../../src/lib/server/http/trpc-direct';
import { setRuntime, type Runtime } from '../../src/lib/server/runtime';
import * as trpcRoute from '../../src/routes/api/trpc/[...trpc]/+server';
import * as webhookRoute from '../../src/routes/api/webhooks/midtrans/+server';
import * as healthRoute from '../../src/routes/healthz/+server';

type Handler = (event: RequestEvent) => Response | Promise<Response>;

const routes: { prefix: string; id: string; module: Record<string, unknown> }[] = [
	{ prefix: '/api/trpc/', id: '/api/trpc/[...trpc]', module: trpcRoute },
	{ prefix: '/api/webhooks/midtrans', id: '/api/webhooks/midtrans', module: webhookRoute },
	{ prefix: '/healthz', id: '/healthz', module: healthRoute }
];

/** A browser's cookies for one client: what responses set is sent with later requests. */
export class CookieJar {
	readonly values = new Map<string, string>();

	header() {
		return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
	}

	cookies(): Cookies {
		const values = this.values;
		return {
			get: (name: string) => values.get(name),
			getAll: () => [...values].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string, options: { maxAge?: number }) => {
				if (options?.maxAge === 0 || value === '') values.delete(name);
				else values.set(name, value);
			},
			delete: (name: string) => void values.delete(name),
			serialize: () => ''
		} as unknown as Cookies;
	}
}

export type AppRequest = {
	method?: 'GET' | 'POST';
	headers?: Record<string, string>;
	body?: BodyInit;
	/** The client's address as the server sees it. */
	address?: string;
	jar?: CookieJar;
	/** Through SvelteKit's hook even where the built server answers before SvelteKit (tRPC calls). */
	sveltekit?: boolean;
};

/** Sends one request through the server hook to the matching route handler. */
export async function appFetch(runtime: Runtime, path: string, request: AppRequest = {}): Promise<Response> {
	setRuntime(runtime);
	const url = new URL(path, runtime.config.origin);
	const route = routes.find((candidate) => url.pathname.startsWith(candidate.prefix));
	const method = request.method ?? 'GET';
	const jar = request.jar ?? new CookieJar();
	const headers = new Headers(request.headers);
	if (jar.values.size > 0) headers.set('cookie', jar.header());
	// Node's HTTP server hands the body's length on; a fetch Request computes it when sent.
	if (typeof request.body === 'string' && !headers.has('content-length')) {
		headers.set('content-length', String(Buffer.byteLength(request.body)));
	}
	const direct = request.sveltekit ? null : directPath(method, url.pathname + url.search, Object.fromEntries(headers));
	if (direct !== null) return directCall(direct, method, url, headers, jar, request.body as string | undefined, request.address);
	const event = {
		request: new Request(url, { method, headers, body: request.body }),
		url,
		route: { id: route?.id ?? null },
		params: {},
		locals: {},
		cookies: jar.cookies(),
		getClientAddress: () => request.address ?? '127.0.0.1',
		isDataRequest: false,
		isSubRequest: false,
		setHeaders: () => undefined,
		fetch
	} as unknown as RequestEvent;
	const resolve = async (resolved: RequestEvent) => {
		const handler = route?.module[method] as Handler | undefined;
		return handler ? handler(resolved) : new Response('Not found', { status: 404 });
	};
	try {
		return await handle({ event, resolve: resolve as Parameters<typeof handle>[0]['resolve'] });
	} catch (thrown) {
		// SvelteKit turns redirect() and error() thrown by the hook into responses.
		const outcome = thrown as { status?: number; location?: string; body?: { message?: string } };
		if (outcome.location) return new Response(null, { status: outcome.status, headers: { location: outcome.location } });
		if (outcome.status) return Response.json(outcome.body ?? {}, { status: outcome.status });
		throw thrown;
	}
}

/** A tRPC call as scripts/start.js serves it, before SvelteKit; the cookies it sets land in the jar. */
async function directCall(
	path: string,
	method: 'GET' | 'POST',
	url: URL,
	sent: Headers,
	jar: CookieJar,
	body: string | undefined,
	address = '127.0.0.1'
) {
	const answer = await answerCall({
		method,
		path,
		url: url.pathname + url.search,
		headers: Object.fromEntries(sent),
		body,
		clientAddress: () => address
	});
	const headers = new Headers();
	for (const [name, value] of Object.entries(answer.headers)) {
		for (const line of typeof value === 'string' ? [value] : value) headers.append(name, line);
	}
	const response = new Response(answer.body, { status: answer.status, headers });
	const cookies = jar.cookies();
	for (const line of response.headers.getSetCookie()) {
		const [pair, ...attributes] = line.split('; ');
		const [name, value] = pair.split('=');
		const maxAge = attributes.find((attribute) => attribute.startsWith('Max-Age='));
		cookies.set(name, decodeURIComponent(value), { path: '/', maxAge: maxAge ? Number(maxAge.slice(8)) : undefined });
	}
	return response;
}

/** A tRPC call over HTTP as the browser client makes it (superjson, no batching). */
export async function trpcCall(
	runtime: Runtime,
	procedure: string,
	input: unknown,
	options: Omit<AppRequest, 'body' | 'method'> & { type?: 'query' | 'mutation' } = {}
): Promise<{ status: number; body: TrpcBody; headers: Headers }> {
	const { type = 'mutation', ...rest } = options;
	const serialized = JSON.stringify({ json: input });
	const response =
		type === 'query'
			? await appFetch(runtime, `/api/trpc/${procedure}?input=${encodeURIComponent(serialized)}`, rest)
			: await appFetch(runtime, `/api/trpc/${procedure}`, {
					...rest,
					method: 'POST',
					headers: { 'content-type': 'application/json', origin: runtime.config.origin, ...rest.headers },
					body: serialized
				});
	return { status: response.status, body: (await response.json()) as TrpcBody, headers: response.headers };
}

export type TrpcBody = {
	result?: { data: { json: unknown } };
	error?: {
		json: {
			message: string;
			code: number;
			data: { code: string; httpStatus: number; field?: string | null; requestId?: string | null; appCode?: string | null };
		};
	};
};
