import { z } from 'zod';
import { currentInstanceOf, requestAction } from '../instances/service';
import { instanceViewSchema, retryResultSchema, toInstanceView } from '../instances/views';
import { authedProcedure, router } from '../trpc/init';
import { idSchema, autoRenewInput, cancelInput, changePlanInput, subscribeInput, subscriptionIdInput } from './schemas';
import { getOwnedSubscription, listSubscriptions, subscriptionDetail } from './queries';
import { subscribe, subscribeQuote } from './subscribe';
import { upgrade, upgradeQuote } from './upgrade';
import { setAutoRenew, terminate } from './cancel';
import { endReasons } from './end-reasons';
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
} from './billing-views';
import {
	cancelResultSchema,
	subscribeQuoteSchema,
	subscribeResultSchema,
	subscriptionDetailSchema,
	subscriptionListItemSchema,
	subscriptionViewSchema,
	toSubscriptionView,
	upgradeQuoteSchema,
	upgradeResultSchema
} from './views';

/** Loads the caller's subscription once; anyone else's is NOT_FOUND. */
const ownSubscription = authedProcedure.input(subscriptionIdInput).use(async ({ ctx, input, next }) => {
	const subscription = await getOwnedSubscription(ctx.runtime.db, ctx.user.id, input.id);
	return next({ ctx: { subscription } });
});

export const subscriptionsRouter = router({
	list: authedProcedure
		.output(z.array(subscriptionListItemSchema))
		.query(({ ctx }) => listSubscriptions(ctx.runtime.db, ctx.user.id)),

	get: ownSubscription
		.output(subscriptionDetailSchema)
		.query(({ ctx }) => subscriptionDetail(ctx.runtime.db, ctx.subscription, ctx.runtime.clock.now())),

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
		.output(subscribeQuoteSchema)
		.query(({ ctx, input }) => subscribeQuote(ctx.runtime.db, ctx.user.id, input.planId)),

	subscribe: authedProcedure
		.input(subscribeInput)
		.output(subscribeResultSchema)
		.mutation(({ ctx, input }) => subscribe(ctx.runtime, ctx.user.id, input)),

	upgradeQuote: ownSubscription
		.input(changePlanInput)
		.output(upgradeQuoteSchema)
		.query(({ ctx, input }) => upgradeQuote(ctx.runtime.db, ctx.subscription, input.planId, ctx.runtime.clock.now())),

	upgrade: ownSubscription
		.input(changePlanInput)
		.output(upgradeResultSchema)
		.mutation(async ({ ctx, input }) => {
			const result = await upgrade(ctx.runtime, ctx.user.id, input);
			return { ...result, subscription: toSubscriptionView(result.subscription) };
		}),

	cancel: ownSubscription
		.input(cancelInput)
		.output(cancelResultSchema)
		.mutation(async ({ ctx, input }) => {
			if (input.when === 'now') {
				const { refunded } = await terminate(ctx.runtime, ctx.subscription.id, {
					// A customer ending their own app gets the unused part of an active period back
					// (the page says so); a suspended one's only through an administrator. Decided on
					// the row terminate locks, not on the one read before it.
					refund: 'ifActive',
					actorId: ctx.user.id,
					reason: endReasons.reason('customer_terminated')
				});
				return { when: input.when, refunded, endsAt: ctx.runtime.clock.now() };
			}
			const updated = await setAutoRenew(ctx.runtime.db, ctx.subscription, false, ctx.runtime.clock.now());
			return { when: input.when, refunded: 0, endsAt: updated.endDate };
		}),

	stop: ownSubscription.output(instanceViewSchema).mutation(async ({ ctx }) => {
		const instance = await currentInstanceOf(ctx.runtime.db, ctx.subscription.id);
		return toInstanceView(await requestAction(ctx.runtime, ctx.user, instance.id, 'stop'));
	}),
	start: ownSubscription.output(instanceViewSchema).mutation(async ({ ctx }) => {
		const instance = await currentInstanceOf(ctx.runtime.db, ctx.subscription.id);
		return toInstanceView(await requestAction(ctx.runtime, ctx.user, instance.id, 'start'));
	}),
	restart: ownSubscription.output(instanceViewSchema).mutation(async ({ ctx }) => {
		const instance = await currentInstanceOf(ctx.runtime.db, ctx.subscription.id);
		return toInstanceView(await requestAction(ctx.runtime, ctx.user, instance.id, 'restart'));
	}),
	retryProvisioning: ownSubscription.output(retryResultSchema).mutation(async ({ ctx }) => {
		const current = await currentInstanceOf(ctx.runtime.db, ctx.subscription.id);
		const { instance, charged } = await retryProvisioning(ctx.runtime, ctx.user, current.id);
		return { instance: toInstanceView(instance), charged };
	}),

	resume: ownSubscription
		.output(subscriptionViewSchema)
		.mutation(async ({ ctx }) =>
			toSubscriptionView(await setAutoRenew(ctx.runtime.db, ctx.subscription, true, ctx.runtime.clock.now()))
		),

	setAutoRenew: ownSubscription
		.input(autoRenewInput)
		.output(subscriptionViewSchema)
		.mutation(async ({ ctx, input }) =>
			toSubscriptionView(await setAutoRenew(ctx.runtime.db, ctx.subscription, input.autoRenew, ctx.runtime.clock.now()))
		)
});
