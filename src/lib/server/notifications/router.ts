import { z } from 'zod';
import type { LiveEvent } from '../events';
import { authedProcedure, router } from '../trpc/init';
import { getLocale } from '$lib/paraglide/runtime';
import {
	findNotification,
	listNotifications,
	mailSettings,
	markRead,
	setMailSettings,
	streamState,
	unreadCount
} from './service';
import { mailSettingsView, notificationPageSchema, notificationUpdateSchema, toMailSettingsView } from './views';

const notificationListInput = z
	.object({
		page: z.number().int().min(1).max(100_000).optional(),
		pageSize: z.number().int().min(1).max(100).optional()
	})
	.optional();

export const notificationsRouter = router({
	list: authedProcedure
		.input(notificationListInput)
		.output(notificationPageSchema)
		.query(({ ctx, input }) => listNotifications(ctx.runtime.db, ctx.user.id, getLocale(), input ?? {})),

	unreadCount: authedProcedure.output(z.number()).query(({ ctx }) => unreadCount(ctx.runtime.db, ctx.user.id)),

	markRead: authedProcedure
		.input(z.object({ ids: z.array(z.uuid()).max(200).optional() }))
		.output(z.object({ marked: z.number() }))
		.mutation(async ({ ctx, input }) => ({ marked: await markRead(ctx.runtime.db, ctx.user.id, input.ids) })),

	mailSettings: authedProcedure
		.output(mailSettingsView)
		.query(async ({ ctx }) => toMailSettingsView(await mailSettings(ctx.runtime.db, ctx.user.id))),

	setMailSettings: authedProcedure
		.input(z.object({ optionalMails: z.boolean() }))
		.output(mailSettingsView)
		.mutation(async ({ ctx, input }) => toMailSettingsView(await setMailSettings(ctx.runtime.db, ctx.user.id, input))),

	/**
	 * The unread count and balance now, after every new notification of the caller, and after a
	 * resync (SSE).
	 */
	stream: authedProcedure.subscription(async function* ({ ctx, signal }) {
		const userId = ctx.user.id;
		// Read while the request's language is known; the stream outlives the request's handler.
		const locale = getLocale();
		const mine = (event: LiveEvent): event is Extract<LiveEvent, { type: 'notification' | 'notifications-read' }> =>
			(event.type === 'notification' || event.type === 'notifications-read') && event.userId === userId;
		for await (const event of ctx.runtime.events.stream(mine, signal ?? new AbortController().signal)) {
			// First (a resync once the stream listens), after a resync (the listener reconnected)
			// or a read, only the count and the balance are sent.
			const latest =
				event.type === 'notification' ? await findNotification(ctx.runtime.db, userId, event.notificationId, locale) : null;
			yield notificationUpdateSchema.parse({ ...(await streamState(ctx.runtime.db, userId)), latest });
		}
	})
});
