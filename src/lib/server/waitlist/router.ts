import { z } from 'zod';
import { authedProcedure, router } from '../trpc/init';
import { joinWaitlist, leaveWaitlist, listWaitlist } from './service';

export const waitlistRouter = router({
	join: authedProcedure
		.input(z.object({ planId: z.uuid() }))
		.mutation(({ ctx, input }) => joinWaitlist(ctx.runtime.db, ctx.user.id, input.planId)),
	leave: authedProcedure
		.input(z.object({ id: z.uuid() }))
		.mutation(({ ctx, input }) => leaveWaitlist(ctx.runtime.db, ctx.user.id, input.id)),
	list: authedProcedure.query(({ ctx }) => listWaitlist(ctx.runtime.db, ctx.user.id))
});
