import { adminProcedure, router, type Context } from '../trpc/init';
import { listFailedJobs, retryFailedJob } from './jobs';
import { listApps, listAuditLog, listWebhookEvents } from './operations';
import { appsInput, auditLogInput, failedJobsInput, retryJobInput, webhookLogInput } from './schemas';
import {
	auditLogListSchema,
	failedJobListSchema,
	operationsAppListSchema,
	retriedJobSchema,
	webhookEventListSchema
} from './panel-views';

const actor = (ctx: Context & { user: { id: string } }) => ({ adminId: ctx.user.id, ipAddress: ctx.ipAddress });

/** `admin.operations.*`: what is broken — apps, failed jobs, payment notifications, the audit log. */
export const adminOperationsRouter = router({
	apps: adminProcedure
		.input(appsInput)
		.output(operationsAppListSchema)
		.query(({ ctx, input }) => listApps(ctx.runtime.db, input)),
	failedJobs: adminProcedure
		.input(failedJobsInput)
		.output(failedJobListSchema)
		.query(({ ctx, input }) => listFailedJobs(ctx.runtime.db, input)),
	retryJob: adminProcedure
		.input(retryJobInput)
		.output(retriedJobSchema)
		.mutation(({ ctx, input }) => retryFailedJob(ctx.runtime, actor(ctx), input)),
	webhooks: adminProcedure
		.input(webhookLogInput)
		.output(webhookEventListSchema)
		.query(({ ctx, input }) => listWebhookEvents(ctx.runtime.db, input)),
	audit: adminProcedure
		.input(auditLogInput)
		.output(auditLogListSchema)
		.query(({ ctx, input }) => listAuditLog(ctx.runtime.db, input))
});
