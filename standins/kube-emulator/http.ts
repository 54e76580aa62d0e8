// HTTP plumbing shared by the API and control handlers: Status bodies, JSON in and out.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from './admission';
import type { WireObject } from './store';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const REASONS: Record<number, string> = {
	400: 'BadRequest',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'NotFound',
	405: 'MethodNotAllowed',
	409: 'Conflict',
	413: 'RequestEntityTooLarge',
	415: 'UnsupportedMediaType',
	422: 'Invalid',
	429: 'TooManyRequests',
	500: 'InternalError',
	503: 'ServiceUnavailable',
	504: 'Timeout'
};

export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>) {
	return {
		kind: 'Status',
		apiVersion: 'v1',
		metadata: {},
		status: 'Failure',
		message,
		reason,
		...(details ? { details } : {}),
		code
	};
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) {
	const text = JSON.stringify(body);
	res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
	res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
	const text = await readBody(req);
	if (!text.trim()) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw badRequest('the request body is not valid JSON');
	}
}

export function asObject(body: unknown, what = 'object'): WireObject {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`the request body must be a JSON ${what}`);
	const object = body as WireObject;
	object.metadata = (object.metadata && typeof object.metadata === 'object' ? object.metadata : {}) as WireObject['metadata'];
	return object;
}
