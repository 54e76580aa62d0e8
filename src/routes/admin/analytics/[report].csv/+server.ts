import { error } from '@sveltejs/kit';
import { isReportName } from '$lib/analytics';
import { m } from '$lib/paraglide/messages';
import { getRuntime } from '$lib/server/runtime';
import { reportCsv } from '$lib/server/admin/analytics/csv';
import { rangeInput, toRange } from '$lib/server/admin/analytics/range';
import { describeZodError } from '$lib/server/trpc/init';
import type { RequestHandler } from './$types';

// The administrator check runs in hooks.server.ts for every route under /admin.
export const GET: RequestHandler = ({ params, url }) => {
	if (!isReportName(params.report)) error(404, m.admin_analytics_no_such_report());
	const parsed = rangeInput.safeParse({
		from: url.searchParams.get('from') ?? undefined,
		to: url.searchParams.get('to') ?? undefined,
		by: url.searchParams.get('by') ?? undefined
	});
	if (!parsed.success) error(400, describeZodError(parsed.error));
	const range = toRange(parsed.data);
	return new Response(reportCsv(getRuntime().db, params.report, range), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="minispod-${params.report}-${range.from}-to-${range.to}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
