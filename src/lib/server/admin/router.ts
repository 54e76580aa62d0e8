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
import { terminate } from '../subscriptions/cancel';

const subscriptionsAdmin = router({
	list: adminProcedure.input(adminListInput).query(({ ctx, input }) => listAllSubscriptions(ctx.runtime.db, input)),
	grant: adminProcedure.input(grantInput).mutation(({ ctx, input }) => grantSubscription(ctx.runtime, ctx.user, input)),
	extend: adminProcedure.input(extendInput).mutation(({ ctx, input }) => extendSubscription(ctx.runtime.db, ctx.user, input)),
	suspend: adminProcedure.input(suspendInput).mutation(({ ctx, input }) => suspendSubscription(ctx.runtime, ctx.user, input)),
	resume: adminProcedure
		.input(subscriptionIdInput)
		.mutation(({ ctx, input }) => unsuspendSubscription(ctx.runtime, ctx.user, input)),
	terminate: adminProcedure
		.input(adminTerminateInput)
		.mutation(({ ctx, input }) =>
			terminate(ctx.runtime, input.id, { refund: input.refund, actorId: ctx.user.id, reason: input.reason })
		)
});

const quotaAdmin = router({
	overview: adminProcedure.query(({ ctx }) => quotaOverview(ctx.runtime.db)),
	setTotal: adminProcedure.input(setQuotaInput).mutation(({ ctx, input }) => setPlanQuota(ctx.runtime.db, ctx.user, input))
});

export const adminRouter = router({
	overview: adminProcedure.query(({ ctx }) => overview(ctx.runtime.db)),
	users: adminProcedure.input(customerSearchInput).query(({ ctx, input }) => searchUsers(ctx.runtime.db, input.q)),
	subscriptions: subscriptionsAdmin,
	quota: quotaAdmin,
	wallet: adminWalletRouter,
	customers: adminCustomersRouter,
	catalog: adminCatalogRouter,
	analytics: adminAnalyticsRouter,
	operations: adminOperationsRouter
});
