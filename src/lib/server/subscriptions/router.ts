import { z } from 'zod';
import { currentInstanceOf, requestAction } from '../instances/service';
import { authedProcedure, router } from '../trpc/init';
import { idSchema, autoRenewInput, cancelInput, changePlanInput, subscribeInput, subscriptionIdInput } from './schemas';
import { getOwnedSubscription, listSubscriptions, subscriptionDetail } from './queries';
import { subscribe, subscribeQuote } from './subscribe';
import { upgrade, upgradeQuote } from './upgrade';
import { setAutoRenew, terminate } from './cancel';
import { retryProvisioning } from './outcomes';
import { creditForecast, subscriptionBilling } from './forecast';
import { reactivate } from './suspension';
import {
	forecastView,
	reactivationView,
	subscriptionBillingView,
	toForecastView,
	toReactivationView,
	toSubscriptionBillingView
} from './views';

/** Loads the caller's subscription once; anyone else's is NOT_FOUND. */
const ownSubscription = authedProcedure.input(subscriptionIdInput).use(async ({ ctx, input, next }) => {
	const subscription = await getOwnedSubscription(ctx.runtime.db, ctx.user.id, input.id);
	return next({ ctx: { subscription } });
});

export const subscriptionsRouter = router({
	list: authedProcedure.query(({ ctx }) => listSubscriptions(ctx.runtime.db, ctx.user.id)),

	get: ownSubscription.query(({ ctx }) => subscriptionDetail(ctx.runtime.db, ctx.subscription)),

	/** How long the caller's credit covers their renewals, what is due soon and what is owed. */
	forecast: authedProcedure
		.output(forecastView)
		.query(async ({ ctx }) => toForecastView(await creditForecast(ctx.runtime.db, ctx.user.id, ctx.runtime.clock.now()))),

	/** One subscription's renewal, grace period or suspension. */
	billing: ownSubscription.output(subscriptionBillingView).query(async ({ ctx }) =>
		toSubscriptionBillingView(ctx.subscription, {
			...(await subscriptionBilling(ctx.runtime.db, ctx.subscription)),
			now: ctx.runtime.clock.now(),
			retentionDays: ctx.runtime.config.billing.suspendedRetentionDays
		})
	),

	/** Pays a fresh period for a subscription suspended for non-payment and starts its app again. */
	reactivate: ownSubscription
		.output(reactivationView)
		.mutation(async ({ ctx }) => toReactivationView(await reactivate(ctx.runtime, ctx.user.id, ctx.subscription.id))),

	quote: authedProcedure
		.input(z.object({ planId: idSchema }))
		.query(({ ctx, input }) => subscribeQuote(ctx.runtime.db, ctx.user.id, input.planId)),

	subscribe: authedProcedure.input(subscribeInput).mutation(({ ctx, input }) => subscribe(ctx.runtime, ctx.user.id, input)),

	upgradeQuote: ownSubscription
		.input(changePlanInput)
		.query(({ ctx, input }) => upgradeQuote(ctx.runtime.db, ctx.subscription, input.planId, ctx.runtime.clock.now())),

	upgrade: ownSubscription.input(changePlanInput).mutation(({ ctx, input }) => upgrade(ctx.runtime, ctx.user.id, input)),

	cancel: ownSubscription.input(cancelInput).mutation(async ({ ctx, input }) => {
		if (input.when === 'now') {
			const { refunded } = await terminate(ctx.runtime, ctx.subscription.id, {
				refund: true,
				actorId: ctx.user.id,
				reason: 'Terminated by the customer'
			});
			return { when: input.when, refunded, endsAt: ctx.runtime.clock.now() };
		}
		const updated = await setAutoRenew(ctx.runtime.db, ctx.subscription, false, ctx.runtime.clock.now());
		return { when: input.when, refunded: 0, endsAt: updated.endDate };
	}),

	stop: ownSubscription.mutation(async ({ ctx }) =>
		requestAction(ctx.runtime, ctx.user, (await currentInstanceOf(ctx.runtime.db, ctx.subscription.id)).id, 'stop')
	),
	start: ownSubscription.mutation(async ({ ctx }) =>
		requestAction(ctx.runtime, ctx.user, (await currentInstanceOf(ctx.runtime.db, ctx.subscription.id)).id, 'start')
	),
	restart: ownSubscription.mutation(async ({ ctx }) =>
		requestAction(ctx.runtime, ctx.user, (await currentInstanceOf(ctx.runtime.db, ctx.subscription.id)).id, 'restart')
	),
	retryProvisioning: ownSubscription.mutation(async ({ ctx }) =>
		retryProvisioning(ctx.runtime, ctx.user, (await currentInstanceOf(ctx.runtime.db, ctx.subscription.id)).id)
	),

	resume: ownSubscription.mutation(({ ctx }) => setAutoRenew(ctx.runtime.db, ctx.subscription, true, ctx.runtime.clock.now())),

	setAutoRenew: ownSubscription
		.input(autoRenewInput)
		.mutation(({ ctx, input }) => setAutoRenew(ctx.runtime.db, ctx.subscription, input.autoRenew, ctx.runtime.clock.now()))
});
