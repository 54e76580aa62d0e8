import { z } from 'zod';
import { currentInstanceOf, requestAction } from '../instances/service';
import { authedProcedure, router } from '../trpc/init';
import { idSchema, autoRenewInput, cancelInput, changePlanInput, subscribeInput, subscriptionIdInput } from './schemas';
import { getOwnedSubscription, listSubscriptions, subscriptionDetail } from './queries';
import { subscribe, subscribeQuote } from './subscribe';
import { upgrade, upgradeQuote } from './upgrade';
import { setAutoRenew, terminate } from './cancel';
import { retryProvisioning } from './outcomes';

/** Loads the caller's subscription once; anyone else's is NOT_FOUND. */
const ownSubscription = authedProcedure.input(subscriptionIdInput).use(async ({ ctx, input, next }) => {
	const subscription = await getOwnedSubscription(ctx.runtime.db, ctx.user.id, input.id);
	return next({ ctx: { subscription } });
});

export const subscriptionsRouter = router({
	list: authedProcedure.query(({ ctx }) => listSubscriptions(ctx.runtime.db, ctx.user.id)),

	get: ownSubscription.query(({ ctx }) => subscriptionDetail(ctx.runtime.db, ctx.subscription)),

	quote: authedProcedure
		.input(z.object({ planId: idSchema }))
		.query(({ ctx, input }) => subscribeQuote(ctx.runtime.db, ctx.user.id, input.planId)),

	subscribe: authedProcedure.input(subscribeInput).mutation(({ ctx, input }) => subscribe(ctx.runtime, ctx.user.id, input)),

	upgradeQuote: ownSubscription
		.input(changePlanInput)
		.query(({ ctx, input }) => upgradeQuote(ctx.runtime.db, ctx.subscription, input.planId)),

	upgrade: ownSubscription.input(changePlanInput).mutation(({ ctx, input }) => upgrade(ctx.runtime, ctx.user.id, input)),

	cancel: ownSubscription.input(cancelInput).mutation(async ({ ctx, input }) => {
		if (input.when === 'now') {
			const { refunded } = await terminate(ctx.runtime, ctx.subscription.id, {
				refund: true,
				actorId: ctx.user.id,
				reason: 'Terminated by the customer'
			});
			return { when: input.when, refunded, endsAt: new Date() };
		}
		const updated = await setAutoRenew(ctx.runtime.db, ctx.subscription, false);
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

	resume: ownSubscription.mutation(({ ctx }) => setAutoRenew(ctx.runtime.db, ctx.subscription, true)),

	setAutoRenew: ownSubscription
		.input(autoRenewInput)
		.mutation(({ ctx, input }) => setAutoRenew(ctx.runtime.db, ctx.subscription, input.autoRenew))
});
