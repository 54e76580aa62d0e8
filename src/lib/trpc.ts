// The browser's tRPC client: batched HTTP for queries and mutations, multipart for files, SSE
// for subscriptions.
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, isNonJsonSerializable, splitLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '$lib/server/router';

export const trpc = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.type === 'subscription',
			true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
			false: splitLink({
				// Files (FormData) travel as multipart, one request each.
				condition: (op) => isNonJsonSerializable(op.input),
				true: httpLink({ url: '/api/trpc', transformer: superjson }),
				false: httpBatchLink({ url: '/api/trpc', transformer: superjson })
			})
		})
	]
});
