import { z } from 'zod';
import { adminProcedure, router } from '../trpc/init';
import { overview, searchUsers } from './service';
import { adminWalletRouter } from './wallet-router';
import { adminCustomersRouter } from './customers-router';
import { adminCatalogRouter } from './catalog-router';
import { adminAnalyticsRouter } from './analytics-router';
import { adminOperationsRouter } from './operations-router';
import {
	extendSubscription,
	grantSubscription,
	listAllSubscriptions,
	quotaOverview,
	setPlanQuota,
	suspendSubscription,
	unsuspendSubscription
} from '../subscriptions/admin';
import { customerSearchInput } from '../wallet/schemas';
import {
	adminListInput,
	adminTerminateInput,
	extendInput,
	grantInput,
	setQuotaInput,
	subscriptionIdInput,
	suspendInput
} from '../subscriptions/schemas';
import { terminate, terminationRefundPreview } from '../subscriptions/cancel';
import { adminBillingRouter } from './billing-router';
import { adminMailRouter } from './mail-router';
import {
	adminSubscriptionPageSchema,
	grantResultSchema,
	quotaOverviewSchema,
	setQuotaResultSchema,
	subscriptionViewSchema,
	terminateResultSchema,
	terminationRefundSchema,
	toSubscriptionView
} from '../subscriptions/views';
import { customerSummarySchema, overviewSchema } from './views';
import { adminBackupsRouter } from '../backups/admin-router';

const subscriptionsAdmin = router({
	list: adminProcedure
		.input(adminListInput)
		.output(adminSubscriptionPageSchema)
		.query(({ ctx, input }) => listAllSubscriptions(ctx.runtime.db, input)),
	grant: adminProcedure
		.input(grantInput)
		.output(grantResultSchema)
		.mutation(({ ctx, input }) => grantSubscription(ctx.runtime, ctx.user, input)),
	extend: adminProcedure
		.input(extendInput)
		.output(subscriptionViewSchema)
		.mutation(async ({ ctx, input }) => toSubscriptionView(await extendSubscription(ctx.runtime.db, ctx.user, input))),
	suspend: adminProcedure
		.input(suspendInput)
		.output(subscriptionViewSchema)
		.mutation(async ({ ctx, input }) => toSubscriptionView(await suspendSubscription(ctx.runtime, ctx.user, input))),
	resume: adminProcedure
		.input(subscriptionIdInput)
		.output(subscriptionViewSchema)
		.mutation(async ({ ctx, input }) => toSubscriptionView(await unsuspendSubscription(ctx.runtime, ctx.user, input))),
	terminationRefund: adminProcedure
		.input(subscriptionIdInput)
		.output(terminationRefundSchema)
		.query(({ ctx, input }) => terminationRefundPreview(ctx.runtime.db, input.id, ctx.runtime.clock.now())),
	terminate: adminProcedure
		.input(adminTerminateInput)
		.output(terminateResultSchema)
		.mutation(({ ctx, input }) =>
			terminate(ctx.runtime, input.id, { refund: input.refund, actorId: ctx.user.id, reason: input.reason })
		)
});

const quotaAdmin = router({
	overview: adminProcedure.output(quotaOverviewSchema).query(({ ctx }) => quotaOverview(ctx.runtime.db)),
	setTotal: adminProcedure
		.input(setQuotaInput)
		.output(setQuotaResultSchema)
		.mutation(({ ctx, input }) => setPlanQuota(ctx.runtime.db, ctx.user, input))
});

export const adminRouter = router({
	overview: adminProcedure.output(overviewSchema).query(({ ctx }) => overview(ctx.runtime.db)),
	users: adminProcedure
		.input(customerSearchInput)
		.output(z.array(customerSummarySchema))
		.query(({ ctx, input }) => searchUsers(ctx.runtime.db, input.q)),
	subscriptions: subscriptionsAdmin,
	quota: quotaAdmin,
	wallet: adminWalletRouter,
	billing: adminBillingRouter,
	mail: adminMailRouter,
	customers: adminCustomersRouter,
	catalog: adminCatalogRouter,
	analytics: adminAnalyticsRouter,
	operations: adminOperationsRouter,
	backups: adminBackupsRouter
});
