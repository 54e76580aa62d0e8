import { adminProcedure, router } from '../trpc/init';
import { overview } from './service';
import { adminWalletRouter } from './wallet-router';

export const adminRouter = router({
	overview: adminProcedure.query(({ ctx }) => overview(ctx.runtime.db)),
	wallet: adminWalletRouter
});
