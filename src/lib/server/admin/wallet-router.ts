import { adminProcedure, router, type Context } from '../trpc/init';
import { adjustBalance, listFlaggedPayments, recentAdjustments, resolveFlag } from '../wallet/admin';
import { approveTransferProof, listPendingProofs, rejectTransferProof } from '../wallet/proofs';
import { adjustmentInput, flaggedInput, rejectProofInput, resolveFlagInput, transactionIdInput } from '../wallet/schemas';

const actor = (ctx: Context & { user: { id: string } }) => ({ adminId: ctx.user.id, ipAddress: ctx.ipAddress });

/** `admin.wallet.*`: adjustments, transfer proofs and flagged payments. */
export const adminWalletRouter = router({
	adjust: adminProcedure.input(adjustmentInput).mutation(({ ctx, input }) => adjustBalance(ctx.runtime, actor(ctx), input)),
	recentAdjustments: adminProcedure.query(({ ctx }) => recentAdjustments(ctx.runtime)),

	pendingProofs: adminProcedure.query(({ ctx }) => listPendingProofs(ctx.runtime)),
	approveProof: adminProcedure
		.input(transactionIdInput)
		.mutation(({ ctx, input }) => approveTransferProof(ctx.runtime, actor(ctx), input.id)),
	rejectProof: adminProcedure
		.input(rejectProofInput)
		.mutation(({ ctx, input }) => rejectTransferProof(ctx.runtime, actor(ctx), input.id, input.reason)),

	flagged: adminProcedure.input(flaggedInput).query(({ ctx, input }) => listFlaggedPayments(ctx.runtime, input ?? {})),
	resolveFlag: adminProcedure
		.input(resolveFlagInput)
		.mutation(({ ctx, input }) => resolveFlag(ctx.runtime, actor(ctx), input.id, input.note))
});
