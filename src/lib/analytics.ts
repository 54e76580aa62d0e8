// The analytics dashboard's date ranges and reports, shared by the page, the server and the
// CSV export. Days are calendar days in WIB (Asia/Jakarta), the business's own time zone.
// Plain data and pure functions, safe for the browser.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/statuses';

export const ANALYTICS_TIME_ZONE = 'Asia/Jakarta';

export const REPORTS = {
	'revenue-received': 'Revenue received (settled top-ups by channel)',
	'revenue-earned': 'Revenue earned (subscription charges net of refunds)',
	mrr: 'Monthly recurring revenue and its movement',
	subscriptions: 'New and churned subscriptions',
	topups: 'Top-up conversion by channel',
	provisioning: 'Provisioning success and time to running',
	slots: 'Slot utilisation per plan',
	controls: 'Service control usage',
	customers: 'Customer growth'
} as const;

export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];
export const isReportName = (name: string): name is ReportName => name in REPORTS;

export const RANGE_PRESETS = {
	month: 'This month',
	'30d': 'Last 30 days',
	'90d': 'Last 90 days',
	year: 'This year'
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

/** The longest range a report covers (two years of days). */
export const MAX_RANGE_DAYS = 731;

/** Today's date in WIB as YYYY-MM-DD. */
export function todayInWib(now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: ANALYTICS_TIME_ZONE }).format(now);
}

const addDays = (day: string, days: number) => {
	const date = new Date(`${day}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
};

/** The dates (inclusive, WIB) a preset covers, ending today. */
export function presetRange(preset: RangePreset, now = new Date()): { from: string; to: string } {
	const to = todayInWib(now);
	switch (preset) {
		case 'month':
			return { from: `${to.slice(0, 7)}-01`, to };
		case '30d':
			return { from: addDays(to, -29), to };
		case '90d':
			return { from: addDays(to, -89), to };
		case 'year':
			return { from: `${to.slice(0, 4)}-01-01`, to };
	}
}

/** Days in an inclusive range. */
export function daysIn(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Days for ranges up to a quarter, months beyond. */
export const defaultGranularity = (from: string, to: string): 'day' | 'month' => (daysIn(from, to) <= 92 ? 'day' : 'month');

export type ReportRow = Record<string, string | number | null>;

type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;
const messages = m as unknown as Record<string, Message | undefined>;

/**
 * A report column's header in the language: the message `txt9c_report_column_<column>`
 * (tests/unit/messages.test.ts checks every column has one), else the column in words. The
 * CSV keeps the column's own name.
 */
export const reportColumnLabel = (column: string, locale?: Locale) =>
	messages[`txt9c_report_column_${column}`]?.({}, { locale }) ?? column.replace(/_/g, ' ');

/**
 * Long rows (one per period and category) as wide rows (one per period, a column per
 * category) for a chart with one series per category. Missing cells are 0.
 */
export function widen(rows: ReportRow[], by: { x: string; key: string; value: string }) {
	const keys = [...new Set(rows.map((row) => String(row[by.key])))];
	const byX = new Map<string, ReportRow>();
	for (const row of rows) {
		const x = String(row[by.x]);
		const wide = byX.get(x) ?? { [by.x]: x, ...Object.fromEntries(keys.map((key) => [key, 0])) };
		wide[String(row[by.key])] = Number(wide[String(row[by.key])] ?? 0) + Number(row[by.value] ?? 0);
		byX.set(x, wide);
	}
	return { rows: [...byX.values()], keys };
}

/** Rows of several categories per period summed into one row per period. */
export function totalsByPeriod(rows: ReportRow[], columns: string[]): ReportRow[] {
	const totals = new Map<string, ReportRow>();
	for (const row of rows) {
		const period = String(row.period);
		const total = totals.get(period) ?? { period, ...Object.fromEntries(columns.map((column) => [column, 0])) };
		for (const column of columns) total[column] = Number(total[column]) + Number(row[column] ?? 0);
		totals.set(period, total);
	}
	return [...totals.values()];
}
