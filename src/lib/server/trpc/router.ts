import { adminRouter } from '../admin/router';
import { authRouter } from '../auth/router';
import { catalogRouter } from '../catalog/router';
import { instancesRouter } from '../instances/router';
import { notificationsRouter } from '../notifications/router';
import { subscriptionsRouter } from '../subscriptions/router';
import { waitlistRouter } from '../waitlist/router';
import { walletRouter } from '../wallet/router';
import { createCallerFactory, router } from './init';

export const appRouter = router({
	auth: authRouter,
	catalog: catalogRouter,
	subscriptions: subscriptionsRouter,
	waitlist: waitlistRouter,
	instances: instancesRouter,
	notifications: notificationsRouter,
	wallet: walletRouter,
	admin: adminRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
