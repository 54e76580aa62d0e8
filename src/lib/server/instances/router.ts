import { z } from 'zod';
import type { LiveEvent } from '../events';
import { authedProcedure, router } from '../trpc/init';
import { followInstanceLogs } from './logs';
import { retryProvisioning } from '../subscriptions/outcomes';
import { getInstanceFor, instanceView, listInstances, requestAction } from './service';
import { customerUsageTotals, usageHistory } from './usage';

/** Loads an instance the caller owns (or any, for an administrator) once. */
const ownInstance = authedProcedure.input(z.object({ id: z.uuid() })).use(async ({ ctx, input, next }) => {
	const instance = await getInstanceFor(ctx.runtime.db, ctx.user, input.id);
	return next({ ctx: { instance } });
});

export const instancesRouter = router({
	list: authedProcedure.query(({ ctx }) => listInstances(ctx.runtime.db, ctx.user.id)),

	get: ownInstance.query(({ ctx }) => instanceView(ctx.runtime.db, ctx.instance)),

	/** CPU and memory use of the last day, one point a minute (for the usage chart). */
	usage: ownInstance.query(({ ctx }) => usageHistory(ctx.runtime.db, ctx.instance.id)),

	/** The customer's running apps together: use now against their plans' limits. */
	usageTotals: authedProcedure.query(({ ctx }) => customerUsageTotals(ctx.runtime.db, ctx.user.id)),

	stop: ownInstance.mutation(({ ctx }) => requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'stop')),
	start: ownInstance.mutation(({ ctx }) => requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'start')),
	restart: ownInstance.mutation(({ ctx }) => requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'restart')),
	repair: ownInstance.mutation(({ ctx }) => requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'repair')),
	retry: ownInstance.mutation(({ ctx }) => retryProvisioning(ctx.runtime, ctx.user, ctx.instance.id)),

	/** The app's log: the last lines, then live, across restarts (SSE). Owner or admin only. */
	logs: ownInstance
		.input(z.object({ id: z.uuid(), tailLines: z.number().int().min(0).max(1000).default(200) }))
		.subscription(async function* ({ ctx, input, signal }) {
			yield* followInstanceLogs(ctx.runtime.cluster, ctx.instance, {
				tailLines: input.tailLines,
				signal: signal ?? new AbortController().signal
			});
		}),

	/** The instance now, then again after every status or provisioning-step change (SSE). */
	events: ownInstance.subscription(async function* ({ ctx, signal }) {
		const { db, events } = ctx.runtime;
		const id = ctx.instance.id;
		yield await instanceView(db, ctx.instance);
		const changes = (event: LiveEvent): event is Extract<LiveEvent, { type: 'instance' }> =>
			event.type === 'instance' && event.instanceId === id;
		for await (const _change of events.stream(changes, signal ?? new AbortController().signal)) {
			yield await instanceView(db, await getInstanceFor(db, ctx.user, id));
		}
	})
});
