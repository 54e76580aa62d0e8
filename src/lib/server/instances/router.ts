import { z } from 'zod';
import type { LiveEvent } from '../events';
import { authedProcedure, rateLimited, router } from '../trpc/init';
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
import { revealSecrets, rotateSecret } from './access';
import { revealedSecretsSchema } from './views';

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

	/** The app's generated secrets, after the owner types their password again (audited). Owner only. */
	revealSecrets: authedProcedure
		.input(z.object({ id: z.uuid(), password: z.string().min(1).max(200) }))
		.use(rateLimited('secretReveal'))
		.output(revealedSecretsSchema)
		.mutation(({ ctx, input }) =>
			revealSecrets(
				ctx.runtime,
				{ id: ctx.user.id, ipAddress: ctx.ipAddress },
				{ instanceId: input.id, password: input.password }
			)
		),

	/** A new value for one generated secret; the app restarts with it (audited). Owner only. */
	rotateSecret: authedProcedure
		.input(
			z.object({
				id: z.uuid(),
				name: z
					.string()
					.max(100)
					.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use the name of one of the app's secrets")
			})
		)
		.output(instanceViewSchema)
		.mutation(async ({ ctx, input }) =>
			toInstanceView(
				await rotateSecret(ctx.runtime, { id: ctx.user.id, ipAddress: ctx.ipAddress }, { instanceId: input.id, name: input.name })
			)
		),

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
		const changes = (event: LiveEvent): event is Extract<LiveEvent, { type: 'instance' }> =>
			event.type === 'instance' && event.instanceId === id;
		// The stream's first item (a resync, once it listens) sends the instance as it is now.
		for await (const _change of events.stream(changes, signal ?? new AbortController().signal)) {
			yield instanceDetailSchema.parse(await instanceView(db, await getInstanceFor(db, ctx.user, id)));
		}
	})
});
