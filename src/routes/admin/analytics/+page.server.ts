import type { PageServerLoad } from './$types';
import { serverCaller } from '$lib/server/router';
import { RANGE_PRESETS, REPORT_NAMES, presetRange, type RangePreset } from '$lib/analytics';
import { rangeInput, type RangeInput } from '$lib/server/admin/analytics/range';

export const load = (async (event) => {
	const params = event.url.searchParams;
	const preset = (params.get('preset') ?? (params.has('from') ? null : '30d')) as RangePreset | null;
	const asked = preset && preset in RANGE_PRESETS ? presetRange(preset) : { from: params.get('from'), to: params.get('to') };
	const by = params.get('by');
	const parsed = rangeInput.safeParse({ ...asked, by: by === 'day' || by === 'month' ? by : undefined });
	// A range that makes no sense falls back to the last 30 days, with the reason shown.
	const range: RangeInput = parsed.success ? parsed.data : presetRange('30d');
	const api = serverCaller(event);
	const [overview, ...reports] = await Promise.all([
		api.admin.analytics.overview(range),
		...REPORT_NAMES.map((report) => api.admin.analytics.report({ ...range, report }))
	]);
	return {
		range,
		preset: parsed.success ? preset : '30d',
		rangeError: parsed.success ? null : parsed.error.issues[0]?.message,
		overview,
		reports: Object.fromEntries(reports.map((report) => [report.name, report]))
	};
}) satisfies PageServerLoad;
