import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/init';
import { appRouter } from '$lib/server/router';
import { log } from '$lib/server/log';

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event),
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error, path }, 'tRPC call failed');
		}
	});

export const GET = handler;
export const POST = handler;
