import { z } from 'zod';
import { authedProcedure, router } from '../trpc/init';
import { servicesInput, slugSchema } from './schemas';
import { getService, listCategories, listServices } from './service';

// The catalog is for signed-in customers, as the product brief requires.
export const catalogRouter = router({
	categories: authedProcedure.query(({ ctx }) => listCategories(ctx.runtime.db)),
	services: authedProcedure.input(servicesInput).query(({ ctx, input }) => listServices(ctx.runtime.db, input ?? {})),
	featured: authedProcedure.query(({ ctx }) => listServices(ctx.runtime.db, { featured: true })),
	service: authedProcedure.input(z.object({ slug: slugSchema })).query(({ ctx, input }) => getService(ctx.runtime.db, input.slug))
});
