// The emulator's own control API under /_emulator (bearer token required), for poking a
// running dev server: counters, faults, and pod timing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ApiError, badRequest } from './admission';
import type { Faults } from './faults';
import { readJson, sendJson } from './http';

export type ControlState = { faults: Faults; stats: () => unknown; options: Record<string, unknown> };

export async function handleControl(state: ControlState, req: IncomingMessage, res: ServerResponse, url: URL, method: string) {
	const { faults } = state;
	const path = url.pathname.replace(/\/+$/, '');
	if (path === '/_emulator/stats' && method === 'GET') return sendJson(res, 200, state.stats());
	if (path === '/_emulator/faults' && method === 'GET') return sendJson(res, 200, { faults: faults.describe() });
	if (path === '/_emulator/faults' && method === 'DELETE') {
		faults.clear();
		return sendJson(res, 200, { faults: [] });
	}
	const one = /^\/_emulator\/faults\/(\d+)$/.exec(path);
	if (one && method === 'DELETE') {
		if (!faults.remove(Number(one[1]))) throw new ApiError(404, 'NotFound', `fault ${one[1]} not found`);
		return sendJson(res, 200, { removed: Number(one[1]) });
	}
	if (path === '/_emulator/faults' && method === 'POST') {
		const parsed = faultInput.safeParse(await readJson(req));
		if (!parsed.success)
			throw badRequest(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
		const input = parsed.data;
		const pattern = (text?: string, regex?: string) => (regex ? new RegExp(regex) : text);
		const pod = { namespace: input.namespace, deployment: input.deployment, image: pattern(input.image, input.imagePattern) };
		const request = { method: input.method, path: pattern(input.path, input.pathPattern) };
		const handle =
			input.type === 'imagePull'
				? faults.failImagePull({ ...pod, message: input.message })
				: input.type === 'crashLoop'
					? faults.crashLoop({ ...pod, exitCode: input.exitCode, message: input.message })
					: input.type === 'apiError'
						? faults.apiError({
								...request,
								status: input.status ?? 503,
								times: input.times,
								message: input.message,
								retryAfterSeconds: input.retryAfterSeconds
							})
						: faults.latency({ ...request, ms: input.ms ?? 0, times: input.times });
		return sendJson(res, 201, { id: handle.id });
	}
	if (path === '/_emulator/options' && method === 'PUT') {
		const parsed = optionsInput.safeParse(await readJson(req));
		if (!parsed.success)
			throw badRequest(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
		Object.assign(state.options, parsed.data);
		return sendJson(res, 200, state.options);
	}
	throw new ApiError(404, 'NotFound', `no emulator control endpoint ${method} ${path}`);
}

const faultInput = z.object({
	type: z.enum(['imagePull', 'crashLoop', 'apiError', 'latency']),
	namespace: z.string().optional(),
	deployment: z.string().optional(),
	image: z.string().optional(),
	imagePattern: z.string().optional(),
	method: z.string().optional(),
	path: z.string().optional(),
	pathPattern: z.string().optional(),
	status: z.number().int().min(400).max(599).optional(),
	times: z.number().int().positive().optional(),
	ms: z.number().int().nonnegative().optional(),
	exitCode: z.number().int().min(1).max(255).optional(),
	retryAfterSeconds: z.number().int().nonnegative().optional(),
	message: z.string().optional()
});

const optionsInput = z.object({
	podReadyDelayMs: z.number().int().nonnegative().optional(),
	logIntervalMs: z.number().int().positive().optional(),
	podTerminationMs: z.number().int().nonnegative().optional(),
	namespaceTerminationMs: z.number().int().nonnegative().optional(),
	certificateIssueMs: z.number().int().nonnegative().optional(),
	metricsApi: z.boolean().optional(),
	metricsIntervalMs: z.number().int().positive().optional(),
	snapshotApi: z.boolean().optional(),
	snapshotReadyMs: z.number().int().nonnegative().optional()
});
