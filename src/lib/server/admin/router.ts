import { adminProcedure, router } from '../trpc/init';
import { overview } from './service';

export const adminRouter = router({
	overview: adminProcedure.query(({ ctx }) => overview(ctx.runtime.db))
});
