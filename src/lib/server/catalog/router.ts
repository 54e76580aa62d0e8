import { z } from 'zod';
import { authedProcedure, router } from '../trpc/init';
import { backupsAvailable } from '../backups/service';
import { servicesInput, slugSchema } from './schemas';
import { getService, listCategories, listServices } from './service';
import { categoryViewSchema, serviceDetailSchema, serviceSummarySchema } from './views';

// The catalog is for signed-in customers, as the product brief requires.
export const catalogRouter = router({
	categories: authedProcedure.output(z.array(categoryViewSchema)).query(({ ctx }) => listCategories(ctx.runtime.db)),
	services: authedProcedure
		.input(servicesInput)
		.output(z.array(serviceSummarySchema))
		.query(({ ctx, input }) => listServices(ctx.runtime.db, input ?? {})),
	featured: authedProcedure
		.output(z.array(serviceSummarySchema))
		.query(({ ctx }) => listServices(ctx.runtime.db, { featured: true })),
	service: authedProcedure
		.input(z.object({ slug: slugSchema }))
		.output(serviceDetailSchema)
		.query(async ({ ctx, input }) => getService(ctx.runtime.db, input.slug, { backups: await backupsAvailable(ctx.runtime) }))
});
