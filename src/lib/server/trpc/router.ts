import { adminRouter } from '../admin/router';
import { authRouter } from '../auth/router';
import { catalogRouter } from '../catalog/router';
import { walletRouter } from '../wallet/router';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	auth: authRouter,
	catalog: catalogRouter,
	wallet: walletRouter,
	admin: adminRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
