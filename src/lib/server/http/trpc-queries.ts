// tRPC queries (`GET /api/trpc/<query>`, batches of queries too) answered straight from
// node:http, in front of SvelteKit. A profile of `wallet.balance` put about 0.8 ms of its
// 1.0 ms of CPU in the generic path around two cheap SQL statements: SvelteKit's adapter
// building a Web Request, its routing, request store and cookie handling, the fetch adapter,
// a streamed Web Response copied back to node:http. This path does what a query needs of
// that, with the same code: the session and language set-up of the server hook
// (request-setup.ts, i18n.ts), the same request id, metrics and headers, and tRPC's own
// resolveResponse (batching, superjson, errors, input and output validation, the
// procedures' middlewares and rate limits). Anything else, mutations and subscriptions and
// whatever a query path does not name exactly, goes on to SvelteKit (scripts/start.js).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
	getTRPCErrorFromUnknown,
	getTRPCErrorShape,
	transformTRPCResponse,
	TRPCError,
	type AnyTRPCProcedure
} from '@trpc/server';
import { getHTTPStatusCode, resolveResponse } from '@trpc/server/http';
import { appRouter } from '../router';
import { getRuntime } from '../runtime';
import { httpRequestDuration } from '../metrics';
import { newRequestId, runWithContext } from '../request-context';
import { inLocale, requestLocale } from '../i18n';
import type { Context } from '../trpc/init';
import { CookieLines } from './request-cookies';
import { clientAddress } from './client-address';
import { logTrpcFailure, securityHeaders, signedInUser, unexpectedError } from './request-setup';

const PREFIX = '/api/trpc/';
/** The SvelteKit route these requests belong to, the label of their metrics. */
const ROUTE_ID = '/api/trpc/[...trpc]';
// At run time the record is flat, one entry per full path (`wallet.balance`); its type is nested.
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure | undefined>;

/**
 * The procedure path of a GET naming only queries (`wallet.balance`, or
 * `catalog.categories,wallet.balance` for a batch), else null.
 */
export function queryPath(method: string | undefined, url: string | undefined): string | null {
	if (method !== 'GET' || !url?.startsWith(PREFIX)) return null;
	const end = url.indexOf('?');
	const path = url.slice(PREFIX.length, end === -1 ? undefined : end);
	for (const name of path.split(',')) {
		if (!Object.hasOwn(procedures, name) || procedures[name]?._def.type !== 'query') return null;
	}
	return path;
}

export type QueryRequest = {
	/** From queryPath. */
	path: string;
	/** The path and query string, as node:http gives it. */
	url: string;
	headers: IncomingHttpHeaders;
	/** The client's address as SvelteKit's getClientAddress reads it; null when it cannot. */
	clientAddress: () => string | null;
	/** Aborted when the client goes away. */
	signal?: AbortSignal;
};

export type QueryAnswer = { status: number; headers: Record<string, string | string[]>; body: string };

/** Answers a query request; never rejects (an unexpected error is a 500 with the request id). */
export async function answerQuery(request: QueryRequest): Promise<QueryAnswer> {
	const runtime = getRuntime();
	const stop = httpRequestDuration.startTimer({ method: 'GET' });
	const requestId = newRequestId();
	const answer = await runWithContext({ requestId }, () =>
		resolveQuery(request, requestId).catch((error: unknown) => ({
			status: 500,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(unexpectedError(error, PREFIX + request.path, 500, requestId))
		}))
	);
	Object.assign(answer.headers, { 'x-request-id': requestId }, securityHeaders(runtime.config.origin));
	stop({ route: ROUTE_ID, status: String(answer.status) });
	return answer;
}

async function resolveQuery(request: QueryRequest, requestId: string): Promise<QueryAnswer> {
	const { headers } = request;
	const runtime = getRuntime();
	const origin = runtime.config.origin;
	const cookies = new CookieLines(headers.cookie, origin);
	const { user, session } = await signedInUser(runtime, cookies);
	const locale = requestLocale(cookies, user?.locale ?? null);
	const context: Context = {
		runtime,
		user,
		session,
		cookies,
		ipAddress: request.clientAddress(),
		userAgent: headers['user-agent'] ?? null,
		signal: request.signal,
		requestId
	};
	// A streaming client (httpBatchStreamLink sends trpc-accept) gets tRPC's own handling.
	const answer = await inLocale(locale, origin, () =>
		headers['trpc-accept'] === undefined ? callQueries(request, context) : viaFetchAdapter(request, context)
	);
	if (cookies.lines.length > 0) answer.headers['set-cookie'] = cookies.lines;
	return answer;
}

type CallResponse = { result: { data: unknown } } | { error: ReturnType<typeof getTRPCErrorShape> };

/**
 * The queries of one request, answered as tRPC's resolveResponse answers a non-streaming GET
 * (its input parsing, error shapes, status and body; the comparison tests in
 * tests/security/trpc-queries.test.ts hold the two together), without the Web Request and
 * Response around it: reading the body back out of a Response cost as much as the query.
 * https://trpc.io/docs/rpc
 */
async function callQueries(request: QueryRequest, ctx: Context): Promise<QueryAnswer> {
	const config = appRouter._def._config;
	const search = new URLSearchParams(request.url.slice(request.url.indexOf('?') + 1 || request.url.length));
	const batch = search.get('batch') === '1';
	const paths = batch ? request.path.split(',') : [request.path];
	let inputs: Record<number, unknown> | undefined;
	const readInputs = () => (inputs ??= parseInputs(search.get('input'), batch, config.transformer.input.deserialize));
	const signal = request.signal ?? new AbortController().signal;
	const calls = await Promise.all(
		paths.map(async (path, index): Promise<[TRPCError | undefined, CallResponse]> => {
			try {
				const procedure = procedures[path]!;
				const data = await procedure({
					path,
					getRawInput: async () => readInputs()[index],
					ctx,
					type: 'query',
					signal,
					batchIndex: index
				});
				if (isDataStream(data)) {
					throw new TRPCError({
						code: 'UNSUPPORTED_MEDIA_TYPE',
						message: 'Cannot use stream-like response in non-streaming request - use httpBatchStreamLink'
					});
				}
				return [undefined, { result: { data } }];
			} catch (cause) {
				const error = getTRPCErrorFromUnknown(cause);
				const input = inputs?.[index];
				logTrpcFailure({ error, path });
				return [error, { error: getTRPCErrorShape({ config, ctx, error, input, path, type: 'query' }) }];
			}
		})
	);
	const json = calls.map(([, response]) => response);
	const errors = calls.map(([error]) => error);
	return {
		status: getHTTPStatusCode(json, errors as TRPCError[]),
		headers: { vary: 'trpc-accept, accept', 'content-type': 'application/json' },
		body: JSON.stringify(transformTRPCResponse(config, batch ? json : json[0]))
	};
}

/**
 * The `input` search parameter by call index, as tRPC reads it (an object by index for a
 * batch); input that cannot be read is the caller's error (BAD_REQUEST with the reason).
 */
function parseInputs(text: string | null, batch: boolean, deserialize: (value: unknown) => unknown): Record<number, unknown> {
	try {
		return inputsOf(text, batch, deserialize);
	} catch (cause) {
		if (cause instanceof TRPCError) throw cause;
		throw new TRPCError({ code: 'BAD_REQUEST', message: cause instanceof Error ? cause.message : 'Invalid input', cause });
	}
}

function inputsOf(text: string | null, batch: boolean, deserialize: (value: unknown) => unknown): Record<number, unknown> {
	const inputs: Record<number, unknown> = Object.create(null);
	if (!text) return inputs;
	const parsed: unknown = JSON.parse(text);
	if (!batch) {
		inputs[0] = deserialize(parsed);
		return inputs;
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new TRPCError({ code: 'BAD_REQUEST', message: '"input" needs to be an object when doing a batch call' });
	}
	for (const [key, value] of Object.entries(parsed)) if (value !== undefined) inputs[Number(key)] = deserialize(value);
	return inputs;
}

const isDataStream = (data: unknown) =>
	data instanceof ReadableStream || (typeof data === 'object' && data !== null && Symbol.asyncIterator in data);

/** Through tRPC's own request handling, with a Web Request and Response. */
async function viaFetchAdapter(request: QueryRequest, context: Context): Promise<QueryAnswer> {
	const req = new Request(getRuntime().config.origin + request.url, {
		headers: toHeaders(request.headers),
		signal: request.signal
	});
	const response = await resolveResponse({
		router: appRouter,
		req,
		path: request.path,
		error: null,
		createContext: async () => context,
		onError: logTrpcFailure
	});
	return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

function toHeaders(incoming: IncomingHttpHeaders): Headers {
	const headers = new Headers();
	for (const name in incoming) {
		const value = incoming[name];
		if (Array.isArray(value)) for (const item of value) headers.append(name, item);
		else if (value !== undefined) headers.append(name, value);
	}
	return headers;
}

/**
 * Serves `request` if it is a tRPC query this process answers (a worker process serves only
 * its health checks, which SvelteKit answers); false to let SvelteKit handle it.
 */
export function serveQuery(request: IncomingMessage, response: ServerResponse): boolean {
	const path = queryPath(request.method, request.url);
	if (path === null || getRuntime().config.role === 'worker') return false;
	// As tRPC's node adapter does it: the call's signal aborts when the client goes away first.
	const gone = new AbortController();
	response.once('close', () => {
		if (!response.writableEnded) gone.abort();
	});
	const url = request.url!;
	void answerQuery({
		path,
		url,
		headers: request.headers,
		clientAddress: () => clientAddress(request),
		signal: gone.signal
	}).then((answer) => {
		answer.headers['content-length'] = String(Buffer.byteLength(answer.body));
		response.writeHead(answer.status, answer.headers).end(answer.body);
	});
	return true;
}

/**
 * Hands serveQuery to scripts/start.js, which serves the built app: the app's modules are
 * bundled under hashed file names it cannot import, so the server hook's `init` (run when
 * start.js imports the handler) leaves the function on a process-wide symbol.
 */
export function publishQueryPath() {
	(globalThis as Record<symbol, unknown>)[Symbol.for('minispod.serveQuery')] = serveQuery;
}
