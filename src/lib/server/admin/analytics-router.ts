import { z } from 'zod';
import { REPORT_NAMES } from '$lib/analytics';
import { adminProcedure, router } from '../trpc/init';
import { analyticsOverview } from './analytics/overview';
import { rangeInput, toRange } from './analytics/range';
import { runReport } from './analytics/reports';
import { overviewSchema, reportSchema } from './analytics/views';

/** `admin.analytics.*`: the dashboard's figures and each report's rows for a range. */
export const adminAnalyticsRouter = router({
	overview: adminProcedure
		.input(rangeInput)
		.output(overviewSchema)
		.query(({ ctx, input }) => analyticsOverview(ctx.runtime.db, toRange(input))),
	report: adminProcedure
		.input(rangeInput.and(z.object({ report: z.enum(REPORT_NAMES as [string, ...string[]]) })))
		.output(reportSchema)
		.query(({ ctx, input }) => runReport(ctx.runtime.db, input.report as (typeof REPORT_NAMES)[number], toRange(input)))
});
