// tRPC calls answered straight from node:http, in front of SvelteKit: queries
// (`GET /api/trpc/<query>`, batches of queries too) and JSON mutations (`POST`). A profile of
// `wallet.balance` put about 0.8 ms of its 1.0 ms of CPU in the generic path around two cheap
// SQL statements: SvelteKit's adapter building a Web Request, its routing, request store and
// cookie handling, the fetch adapter, a streamed Web Response copied back to node:http; an
// administrator's adjustment, one statement, spent a tenth of its CPU there. This path does
// what a call needs of that, with the same code: the server hook's refusal of a cross-site
// POST, its session and language set-up (request-setup.ts, i18n.ts), the same request id,
// metrics and headers, and tRPC's own procedure calls (batching, superjson, errors, input and
// output validation, the procedures' middlewares and rate limits). Anything else (other
// methods and content types, subscriptions, a body without a length or over BODY_MAX, and
// whatever a path does not name exactly) goes on to SvelteKit (scripts/start.js).
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
import { crossSiteRefusal, logTrpcFailure, securityHeaders, signedInUser, unexpectedError } from './request-setup';

const PREFIX = '/api/trpc/';
/** The SvelteKit route these requests belong to, the label of their metrics. */
const ROUTE_ID = '/api/trpc/[...trpc]';
/**
 * The largest mutation body this path reads; a larger one goes to SvelteKit with its own
 * limit (BODY_SIZE_LIMIT). tRPC's JSON inputs are small: a transfer proof is a form.
 */
export const BODY_MAX = 64 * 1024;
// At run time the record is flat, one entry per full path (`wallet.balance`); its type is nested.
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure | undefined>;

type CallType = 'query' | 'mutation';
const TYPE_OF_METHOD: Record<string, CallType> = { GET: 'query', POST: 'mutation' };

/**
 * The procedure path of a call this path answers, else null: a GET naming only queries
 * (`wallet.balance`, or `catalog.categories,wallet.balance` for a batch), or a POST naming only
 * mutations with a JSON body of a stated length up to BODY_MAX and no streaming answer asked for.
 */
export function directPath(
	method: string | undefined,
	url: string | undefined,
	headers: IncomingHttpHeaders = {}
): string | null {
	const type = method === undefined ? undefined : TYPE_OF_METHOD[method];
	if (!type || !url?.startsWith(PREFIX)) return null;
	if (type === 'mutation' && !isPlainJsonPost(headers)) return null;
	const end = url.indexOf('?');
	const path = url.slice(PREFIX.length, end === -1 ? undefined : end);
	for (const name of path.split(',')) {
		if (!Object.hasOwn(procedures, name) || procedures[name]?._def.type !== type) return null;
	}
	return path;
}

/** As tRPC reads a content type (its media type, any case); a length SvelteKit need not check. */
function isPlainJsonPost(headers: IncomingHttpHeaders) {
	const type = headers['content-type']?.split(';', 1)[0].trim().toLowerCase();
	const length = Number(headers['content-length'] ?? NaN);
	return type === 'application/json' && length >= 0 && length <= BODY_MAX && headers['trpc-accept'] === undefined;
}

export type DirectRequest = {
	method: 'GET' | 'POST';
	/** From directPath. */
	path: string;
	/** The path and query string, as node:http gives it. */
	url: string;
	headers: IncomingHttpHeaders;
	/** A mutation's body. */
	body?: string;
	/** The client's address as SvelteKit's getClientAddress reads it; null when it cannot. */
	clientAddress: () => string | null;
	/** Aborted when the client goes away. */
	signal?: AbortSignal;
};

export type DirectAnswer = { status: number; headers: Record<string, string | string[]>; body: string };

/** Answers a call; never rejects (an unexpected error is a 500 with the request id). */
export async function answerCall(request: DirectRequest): Promise<DirectAnswer> {
	const runtime = getRuntime();
	const stop = httpRequestDuration.startTimer({ method: request.method });
	const requestId = newRequestId();
	const answer = await runWithContext({ requestId }, () =>
		resolveCall(request, requestId).catch((error: unknown) => ({
			status: 500,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(unexpectedError(error, PREFIX + request.path, 500, requestId))
		}))
	);
	Object.assign(answer.headers, { 'x-request-id': requestId }, securityHeaders(runtime.config.origin));
	stop({ route: ROUTE_ID, status: String(answer.status) });
	return answer;
}

async function resolveCall(request: DirectRequest, requestId: string): Promise<DirectAnswer> {
	const { headers } = request;
	const runtime = getRuntime();
	const origin = runtime.config.origin;
	const cookies = new CookieLines(headers.cookie, origin);
	if (request.method === 'POST' && headers.origin !== siteOrigin(origin)) {
		// As the server hook refuses it: before the session is read, in the visitor's language.
		return inLocale(requestLocale(cookies, null), origin, () => crossSiteRefusal());
	}
	// A call shows no balance from the session, so its session may come from the process's cache.
	const { user, session } = await signedInUser(runtime, cookies, { cached: true });
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
		headers['trpc-accept'] === undefined ? callProcedures(request, context) : viaFetchAdapter(request, context)
	);
	if (cookies.lines.length > 0) answer.headers['set-cookie'] = cookies.lines;
	return answer;
}

/** The site's origin as SvelteKit's `event.url.origin` gives it (ORIGIN, without a path). */
const siteOrigin = (origin: string) => new URL(origin).origin;

type CallResponse = { result: { data: unknown } } | { error: ReturnType<typeof getTRPCErrorShape> };

/**
 * The calls of one request, answered as tRPC's resolveResponse answers a non-streaming GET
 * or JSON POST (its input parsing, error shapes, status and body; the comparison tests in
 * tests/security/trpc-direct.test.ts hold the two together), without the Web Request and
 * Response around it: reading the body back out of a Response cost as much as the query.
 * https://trpc.io/docs/rpc
 */
async function callProcedures(request: DirectRequest, ctx: Context): Promise<DirectAnswer> {
	const config = appRouter._def._config;
	const type = TYPE_OF_METHOD[request.method];
	const search = new URLSearchParams(request.url.slice(request.url.indexOf('?') + 1 || request.url.length));
	const batch = search.get('batch') === '1';
	const paths = batch ? request.path.split(',') : [request.path];
	const text = type === 'query' ? search.get('input') : (request.body ?? null);
	let inputs: Record<number, unknown> | undefined;
	const readInputs = () => (inputs ??= parseInputs(text, batch, config.transformer.input.deserialize));
	const signal = request.signal ?? new AbortController().signal;
	const calls = await Promise.all(
		paths.map(async (path, index): Promise<[TRPCError | undefined, CallResponse]> => {
			try {
				const procedure = procedures[path]!;
				const data = await procedure({
					path,
					getRawInput: async () => readInputs()[index],
					ctx,
					type,
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
				return [error, { error: getTRPCErrorShape({ config, ctx, error, input, path, type }) }];
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
async function viaFetchAdapter(request: DirectRequest, context: Context): Promise<DirectAnswer> {
	const req = new Request(getRuntime().config.origin + request.url, {
		method: request.method,
		headers: toHeaders(request.headers),
		body: request.body,
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
 * Serves `request` if it is a tRPC call this process answers (a worker process serves only
 * its health checks, which SvelteKit answers); false to let SvelteKit handle it.
 */
export function serveCall(request: IncomingMessage, response: ServerResponse): boolean {
	const path = directPath(request.method, request.url, request.headers);
	if (path === null || getRuntime().config.role === 'worker') return false;
	// As tRPC's node adapter does it: the call's signal aborts when the client goes away first.
	const gone = new AbortController();
	response.once('close', () => {
		if (!response.writableEnded) gone.abort();
	});
	const answer = (body?: string) =>
		answerCall({
			method: request.method as DirectRequest['method'],
			path,
			url: request.url!,
			headers: request.headers,
			body,
			clientAddress: () => clientAddress(request),
			signal: gone.signal
		}).then((answer) => {
			answer.headers['content-length'] = String(Buffer.byteLength(answer.body));
			response.writeHead(answer.status, answer.headers).end(answer.body);
		});
	if (request.method === 'GET') void answer();
	else {
		void readBody(request).then((body) => {
			if (body === null) response.destroy();
			else return answer(body);
		});
	}
	return true;
}

/** The body, of the length directPath checked (node:http holds it to Content-Length); null if the client went away. */
function readBody(request: IncomingMessage): Promise<string | null> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		// Decoded as a Web Request's text() decodes it: UTF-8, a byte order mark dropped.
		request.once('end', () => resolve(new TextDecoder().decode(Buffer.concat(chunks))));
		request.once('error', () => resolve(null));
		request.once('close', () => {
			if (!request.complete) resolve(null);
		});
	});
}

/**
 * Hands serveCall to scripts/start.js, which serves the built app: the app's modules are
 * bundled under hashed file names it cannot import, so the server hook's `init` (run when
 * start.js imports the handler) leaves the function on a process-wide symbol.
 */
export function publishDirectPath() {
	(globalThis as Record<symbol, unknown>)[Symbol.for('minispod.serveTrpc')] = serveCall;
}
