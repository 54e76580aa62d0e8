// The app router: every domain's router under its name. It stands above the domains (which
// never import it) and apart from the tRPC plumbing in trpc/init.ts.
import type { RequestEvent } from '@sveltejs/kit';
import { adminRouter } from './admin/router';
import { authRouter } from './auth/router';
import { backupsRouter } from './backups/router';
import { catalogRouter } from './catalog/router';
import { domainsRouter } from './domains/router';
import { instancesRouter } from './instances/router';
import { notificationsRouter } from './notifications/router';
import { receiptsRouter } from './receipts/router';
import { subscriptionsRouter } from './subscriptions/router';
import { waitlistRouter } from './waitlist/router';
import { walletRouter } from './wallet/router';
import { createCallerFactory, createContext, router } from './trpc/init';

export const appRouter = router({
	auth: authRouter,
	catalog: catalogRouter,
	subscriptions: subscriptionsRouter,
	waitlist: waitlistRouter,
	instances: instancesRouter,
	domains: domainsRouter,
	backups: backupsRouter,
	notifications: notificationsRouter,
	wallet: walletRouter,
	receipts: receiptsRouter,
	admin: adminRouter
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

/** tRPC caller for `load` functions and form actions, acting as the request's user. */
export function serverCaller(event: RequestEvent) {
	return createCaller(createContext(event));
}
