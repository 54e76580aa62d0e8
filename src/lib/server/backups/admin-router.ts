import { z } from 'zod';
import { adminProcedure, router } from '../trpc/init';
import { listRestorableTerminations, restoreTerminatedApp } from './admin-restore';
import { restorableTerminationsInput, restoreTerminatedInput } from './schemas';
import { restorableTerminationSchema, restoreTerminatedResultSchema } from './views';

export const adminBackupsRouter = router({
	/** Terminated apps whose termination backup is ready and unexpired (of one customer when given). */
	restorable: adminProcedure
		.input(restorableTerminationsInput)
		.output(z.array(restorableTerminationSchema))
		.query(({ ctx, input }) => listRestorableTerminations(ctx.runtime, input)),

	/** Restores a terminated app from its termination backup, as a granted subscription on the same plan. */
	restoreTerminated: adminProcedure
		.input(restoreTerminatedInput)
		.output(restoreTerminatedResultSchema)
		.mutation(({ ctx, input }) => restoreTerminatedApp(ctx.runtime, { ...ctx.user, ipAddress: ctx.ipAddress }, input))
});
