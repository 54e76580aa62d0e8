import { z } from 'zod';
import { adminProcedure, router, type Context } from '../trpc/init';
import { adjustBalance, listFlaggedPayments, recentAdjustments, resolveFlag } from '../wallet/admin';
import { approveTransferProof, listPendingProofs, rejectTransferProof } from '../wallet/proofs';
import { adjustmentInput, flaggedInput, rejectProofInput, resolveFlagInput, transactionIdInput } from '../wallet/schemas';
import {
	adjustmentItemSchema,
	adjustmentResultSchema,
	flaggedPaymentSchema,
	pendingProofSchema,
	transactionDetailSchema
} from '../wallet/views';

const actor = (ctx: Context & { user: { id: string } }) => ({ adminId: ctx.user.id, ipAddress: ctx.ipAddress });

/** `admin.wallet.*`: adjustments, transfer proofs and flagged payments. */
export const adminWalletRouter = router({
	adjust: adminProcedure
		.input(adjustmentInput)
		.output(adjustmentResultSchema)
		.mutation(({ ctx, input }) => adjustBalance(ctx.runtime, actor(ctx), input)),
	recentAdjustments: adminProcedure.output(z.array(adjustmentItemSchema)).query(({ ctx }) => recentAdjustments(ctx.runtime)),

	pendingProofs: adminProcedure.output(z.array(pendingProofSchema)).query(({ ctx }) => listPendingProofs(ctx.runtime)),
	approveProof: adminProcedure
		.input(transactionIdInput)
		.output(transactionDetailSchema)
		.mutation(({ ctx, input }) => approveTransferProof(ctx.runtime, actor(ctx), input.id)),
	rejectProof: adminProcedure
		.input(rejectProofInput)
		.output(transactionDetailSchema)
		.mutation(({ ctx, input }) => rejectTransferProof(ctx.runtime, actor(ctx), input.id, input.reason)),

	flagged: adminProcedure
		.input(flaggedInput)
		.output(z.array(flaggedPaymentSchema))
		.query(({ ctx, input }) => listFlaggedPayments(ctx.runtime, input ?? {})),
	resolveFlag: adminProcedure
		.input(resolveFlagInput)
		.output(transactionDetailSchema)
		.mutation(({ ctx, input }) => resolveFlag(ctx.runtime, actor(ctx), input.id, input.note))
});
