import { z } from 'zod';
import type { LiveEvent } from '../events';
import { authedProcedure, router } from '../trpc/init';
import { followInstanceLogs } from './logs';
import { retryProvisioning } from '../subscriptions/outcomes';
import { getInstanceFor, instanceView, listInstances, requestAction } from './service';
import {
	instanceDetailSchema,
	instanceListItemSchema,
	instanceViewSchema,
	retryResultSchema,
	toInstanceView,
	usageHistorySchema,
	usageTotalsSchema
} from './views';
import { customerUsageTotals, usageHistory } from './usage';

/** Loads an instance the caller owns (or any, for an administrator) once. */
const ownInstance = authedProcedure.input(z.object({ id: z.uuid() })).use(async ({ ctx, input, next }) => {
	const instance = await getInstanceFor(ctx.runtime.db, ctx.user, input.id);
	return next({ ctx: { instance } });
});

export const instancesRouter = router({
	list: authedProcedure.output(z.array(instanceListItemSchema)).query(({ ctx }) => listInstances(ctx.runtime.db, ctx.user.id)),

	get: ownInstance.output(instanceDetailSchema).query(({ ctx }) => instanceView(ctx.runtime.db, ctx.instance)),

	/** CPU and memory use of the last day, one point a minute (for the usage chart). */
	usage: ownInstance.output(usageHistorySchema).query(({ ctx }) => usageHistory(ctx.runtime.db, ctx.instance.id)),

	/** The customer's running apps together: use now against their plans' limits. */
	usageTotals: authedProcedure.output(usageTotalsSchema).query(({ ctx }) => customerUsageTotals(ctx.runtime.db, ctx.user.id)),

	stop: ownInstance
		.output(instanceViewSchema)
		.mutation(async ({ ctx }) => toInstanceView(await requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'stop'))),
	start: ownInstance
		.output(instanceViewSchema)
		.mutation(async ({ ctx }) => toInstanceView(await requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'start'))),
	restart: ownInstance
		.output(instanceViewSchema)
		.mutation(async ({ ctx }) => toInstanceView(await requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'restart'))),
	retry: ownInstance.output(retryResultSchema).mutation(async ({ ctx }) => {
		const { instance, charged } = await retryProvisioning(ctx.runtime, ctx.user, ctx.instance.id);
		return { instance: toInstanceView(instance), charged };
	}),
	repair: ownInstance
		.output(instanceViewSchema)
		.mutation(async ({ ctx }) => toInstanceView(await requestAction(ctx.runtime, ctx.user, ctx.instance.id, 'repair'))),

	/** The app's log: the last lines, then live, across restarts (SSE). Owner or admin only. */
	logs: ownInstance
		.input(z.object({ id: z.uuid(), tailLines: z.number().int().min(0).max(1000).default(200) }))
		.subscription(async function* ({ ctx, input, signal }) {
			yield* followInstanceLogs(ctx.runtime.cluster, ctx.instance, {
				tailLines: input.tailLines,
				signal: signal ?? new AbortController().signal
			});
		}),

	/**
	 * The instance now, then again after every status or provisioning-step change and after a
	 * resync (the event listener reconnected, changes may have been missed) (SSE).
	 * Streams are not checked by `.output()`, so each update is parsed by the view's schema.
	 */
	events: ownInstance.subscription(async function* ({ ctx, signal }) {
		const { db, events } = ctx.runtime;
		const id = ctx.instance.id;
		yield instanceDetailSchema.parse(await instanceView(db, ctx.instance));
		const changes = (event: LiveEvent): event is Extract<LiveEvent, { type: 'instance' }> =>
			event.type === 'instance' && event.instanceId === id;
		for await (const _change of events.stream(changes, signal ?? new AbortController().signal)) {
			yield instanceDetailSchema.parse(await instanceView(db, await getInstanceFor(db, ctx.user, id)));
		}
	})
});
