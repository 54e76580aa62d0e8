import { authedProcedure, rateLimited, router } from '../trpc/init';
import { getInstanceFor } from '../instances/service';
import { backUpNow, listBackups } from './service';
import { instanceBackupsInput } from './schemas';
import { backupListSchema, backupViewSchema } from './views';

export const backupsRouter = router({
	/** The app's backups, newest first, whether the cluster can take them, and the plan's schedule. */
	list: authedProcedure
		.input(instanceBackupsInput)
		.output(backupListSchema)
		.query(async ({ ctx, input }) => listBackups(ctx.runtime, await getInstanceFor(ctx.runtime.db, ctx.user, input.instanceId))),

	/** "Back up now": a manual backup of the app (rate limited per account). */
	create: authedProcedure
		.use(rateLimited('backup'))
		.input(instanceBackupsInput)
		.output(backupViewSchema)
		.mutation(async ({ ctx, input }) => backUpNow(ctx.runtime, await getInstanceFor(ctx.runtime.db, ctx.user, input.instanceId)))
});
