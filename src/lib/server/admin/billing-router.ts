import { adminProcedure, router } from '../trpc/init';
import { billingOverview } from '../subscriptions/billing-admin';
import { advanceClock } from '../subscriptions/billing-upkeep';
import { extendGrace, waiveRenewal } from '../subscriptions/grace';
import { advanceClockInput, extendGraceInput, waiveRenewalInput } from '../subscriptions/schemas';
import {
	advanceClockView,
	billingActionView,
	billingOverviewView,
	toAdvanceClockView,
	toBillingActionView,
	toBillingOverviewView
} from '../subscriptions/billing-views';

/** `admin.billing.*`: what is due, past due, suspended and soon deleted; grace, waivers, the test clock. */
export const adminBillingRouter = router({
	overview: adminProcedure
		.output(billingOverviewView)
		.query(async ({ ctx }) => toBillingOverviewView(await billingOverview(ctx.runtime))),
	extendGrace: adminProcedure
		.input(extendGraceInput)
		.output(billingActionView)
		.mutation(async ({ ctx, input }) => toBillingActionView(await extendGrace(ctx.runtime.db, ctx.user, input))),
	waiveRenewal: adminProcedure
		.input(waiveRenewalInput)
		.output(billingActionView)
		.mutation(async ({ ctx, input }) => toBillingActionView(await waiveRenewal(ctx.runtime.db, ctx.user, input))),
	advanceClock: adminProcedure
		.input(advanceClockInput)
		.output(advanceClockView)
		.mutation(async ({ ctx, input }) => toAdvanceClockView(await advanceClock(ctx.runtime, ctx.user, input)))
});
