import { z } from 'zod';
import { authedProcedure, router } from '../trpc/init';
import { backupsAvailable } from '../backups/service';
import { servicesInput, slugSchema } from './schemas';
import { getService } from './service';
import { cachedCategories, cachedServices } from './cache';
import { categoryViewSchema, serviceDetailSchema, serviceSummarySchema } from './views';

// The catalog is for signed-in customers, as the product brief requires.
export const catalogRouter = router({
	categories: authedProcedure.output(z.array(categoryViewSchema)).query(({ ctx }) => cachedCategories(ctx.runtime)),
	services: authedProcedure
		.input(servicesInput)
		.output(z.array(serviceSummarySchema))
		.query(({ ctx, input }) => cachedServices(ctx.runtime, input ?? {})),
	featured: authedProcedure
		.output(z.array(serviceSummarySchema))
		.query(({ ctx }) => cachedServices(ctx.runtime, { featured: true })),
	service: authedProcedure
		.input(z.object({ slug: slugSchema }))
		.output(serviceDetailSchema)
		.query(async ({ ctx, input }) => getService(ctx.runtime.db, input.slug, { backups: await backupsAvailable(ctx.runtime) }))
});
