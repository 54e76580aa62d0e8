import { authedProcedure, router } from '../trpc/init';
import { getInstanceFor } from '../instances/service';
import { backUpNow, deleteOwnBackup, listBackups } from './service';
import { keepRestored, restoreBackup, undoRestore } from './restore';
import { instanceBackupsInput, restoreBackupInput, restoreInput } from './schemas';
import { backupListSchema, backupViewSchema, restoreViewSchema } from './views';

export const backupsRouter = router({
	/** The app's backups, newest first, whether the cluster can take them, and the plan's schedule. */
	list: authedProcedure
		.input(instanceBackupsInput)
		.output(backupListSchema)
		.query(async ({ ctx, input }) => listBackups(ctx.runtime, await getInstanceFor(ctx.runtime.db, ctx.user, input.instanceId))),

	/** "Back up now": a manual backup of the app (rate limited per account; refusals do not count). */
	create: authedProcedure
		.input(instanceBackupsInput)
		.output(backupViewSchema)
		.mutation(async ({ ctx, input }) =>
			backUpNow(ctx.runtime, ctx.user, await getInstanceFor(ctx.runtime.db, ctx.user, input.instanceId))
		),

	/** Deletes a backup the owner took (or an upgrade took), with its snapshots. */
	delete: authedProcedure
		.input(restoreBackupInput)
		.output(backupViewSchema)
		.mutation(({ ctx, input }) => deleteOwnBackup(ctx.runtime, ctx.user, input.backupId)),

	/** Restores the app from one of its ready backups (stopped, switched to volumes made from it, started). */
	restore: authedProcedure
		.input(restoreBackupInput)
		.output(restoreViewSchema)
		.mutation(({ ctx, input }) => restoreBackup(ctx.runtime, { ...ctx.user, ipAddress: ctx.ipAddress }, input.backupId)),

	/** Undoes a finished restore: back to the data the app had before it. */
	undoRestore: authedProcedure
		.input(restoreInput)
		.output(restoreViewSchema)
		.mutation(({ ctx, input }) => undoRestore(ctx.runtime, { ...ctx.user, ipAddress: ctx.ipAddress }, input.restoreId)),

	/** Keeps the restored data: the previous volumes are deleted now rather than after 24 hours. */
	keepRestored: authedProcedure
		.input(restoreInput)
		.output(restoreViewSchema)
		.mutation(({ ctx, input }) => keepRestored(ctx.runtime, { ...ctx.user, ipAddress: ctx.ipAddress }, input.restoreId))
});
