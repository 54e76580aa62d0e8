import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/init';
import { appRouter } from '$lib/server/router';
import { logTrpcFailure } from '$lib/server/http/request-setup';

const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event),
		onError: logTrpcFailure
	});

export const GET = handler;
export const POST = handler;
