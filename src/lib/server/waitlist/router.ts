import { z } from 'zod';
import { authedProcedure, router } from '../trpc/init';
import { joinWaitlist, leaveWaitlist, listWaitlist, waitlistedPlans } from './service';
import { toWaitlistEntryView, waitlistEntryViewSchema, waitlistItemSchema } from './views';

export const waitlistRouter = router({
	join: authedProcedure
		.input(z.object({ planId: z.uuid() }))
		.output(waitlistEntryViewSchema)
		.mutation(async ({ ctx, input }) => toWaitlistEntryView(await joinWaitlist(ctx.runtime.db, ctx.user.id, input.planId))),
	leave: authedProcedure
		.input(z.object({ id: z.uuid() }))
		.output(waitlistEntryViewSchema)
		.mutation(async ({ ctx, input }) => toWaitlistEntryView(await leaveWaitlist(ctx.runtime.db, ctx.user.id, input.id))),
	list: authedProcedure.output(z.array(waitlistItemSchema)).query(({ ctx }) => listWaitlist(ctx.runtime.db, ctx.user.id)),
	plans: authedProcedure
		.output(z.array(z.object({ planId: z.string(), serviceId: z.string() })))
		.query(({ ctx }) => waitlistedPlans(ctx.runtime.db, ctx.user.id))
});
