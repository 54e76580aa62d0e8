import { authedProcedure, rateLimited, router } from '../trpc/init';
import { submitTransferProof } from './proofs';
import { proofUploadInput, topUpInput, transactionIdInput, transactionsInput } from './schemas';
import { findOwnedTransaction, getWallet, listTransactions } from './history';
import { createTopUp } from './topups';
import { cancelTopUp, refreshTopUp } from './topup-upkeep';
import {
	refreshResultSchema,
	toTransactionDetail,
	topUpResultSchema,
	transactionDetailSchema,
	transactionPageSchema,
	walletViewSchema
} from './views';

/** Loads the caller's own transaction once; another customer's is NOT_FOUND. */
const ownTransactionProcedure = authedProcedure.input(transactionIdInput).use(async ({ ctx, input, next }) => {
	const transaction = await findOwnedTransaction(ctx.runtime.db, ctx.user.id, input.id);
	return next({ ctx: { ...ctx, transaction } });
});

export const walletRouter = router({
	balance: authedProcedure.output(walletViewSchema).query(({ ctx }) => getWallet(ctx.runtime, ctx.user.id)),

	topUp: authedProcedure
		.input(topUpInput)
		.use(rateLimited('topUp'))
		.output(topUpResultSchema)
		.mutation(({ ctx, input }) => createTopUp(ctx.runtime, ctx.user, input)),

	transactions: authedProcedure
		.input(transactionsInput)
		.output(transactionPageSchema)
		.query(({ ctx, input }) => listTransactions(ctx.runtime.db, ctx.user.id, input ?? {})),

	transaction: ownTransactionProcedure.output(transactionDetailSchema).query(({ ctx }) => toTransactionDetail(ctx.transaction)),

	refreshStatus: ownTransactionProcedure.output(refreshResultSchema).mutation(async ({ ctx }) => {
		const { outcome, transaction } = await refreshTopUp(ctx.runtime, ctx.transaction);
		return { outcome, transaction: toTransactionDetail(transaction) };
	}),

	cancelTopUp: ownTransactionProcedure.output(transactionDetailSchema).mutation(async ({ ctx }) => {
		const { transaction } = await cancelTopUp(ctx.runtime, ctx.transaction);
		return toTransactionDetail(transaction);
	}),

	uploadProof: authedProcedure
		.input(proofUploadInput)
		.use(rateLimited('proofUpload'))
		.output(transactionDetailSchema)
		.mutation(async ({ ctx, input }) =>
			submitTransferProof(ctx.runtime, ctx.user.id, {
				amount: input.amount,
				note: input.note,
				file: { name: input.file.name, bytes: new Uint8Array(await input.file.arrayBuffer()) }
			})
		)
});
