import { authedProcedure, router } from '../trpc/init';
import { billingProfileInput, receiptInput } from './schemas';
import { getBillingProfile, getReceipt, saveBillingProfile } from './service';
import { billingProfileViewSchema, receiptViewSchema, toBillingProfileView, toReceiptView } from './views';

export const receiptsRouter = router({
	billingProfile: authedProcedure.output(billingProfileViewSchema.nullable()).query(async ({ ctx }) => {
		const profile = await getBillingProfile(ctx.runtime.db, ctx.user.id);
		return profile && toBillingProfileView(profile);
	}),

	saveBillingProfile: authedProcedure
		.input(billingProfileInput)
		.output(billingProfileViewSchema)
		.mutation(async ({ ctx, input }) => toBillingProfileView(await saveBillingProfile(ctx.runtime.db, ctx.user.id, input))),

	/** The receipt of one of the caller's completed top-ups or charges (numbered if new). */
	get: authedProcedure
		.input(receiptInput)
		.output(receiptViewSchema)
		.query(async ({ ctx, input }) => {
			const { receipt, transaction } = await getReceipt(ctx.runtime.db, ctx.user, input.id);
			return toReceiptView(receipt, transaction.amount);
		})
});
