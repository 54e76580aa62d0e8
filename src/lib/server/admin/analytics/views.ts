// What `admin.analytics.*` returns, with the zod schema each procedure checks with `.output()`:
// the dashboard's figures, and each report's rows holding its listed columns only.
import { z } from 'zod';
import { REPORT_NAMES } from '$lib/analytics';
import type { ReportRow } from './reports';

const cell = z.union([z.string(), z.number(), z.null()]);

export const overviewSchema = z.object({
	from: z.string(),
	to: z.string(),
	mrr: z.number(),
	activeSubscriptions: z.number(),
	revenueReceived: z.number(),
	revenueEarned: z.number(),
	payingCustomers: z.number(),
	arpu: z.number(),
	mrrMovement: z.object({ new: z.number(), expansion: z.number(), churn: z.number() }),
	newSubscriptions: z.number(),
	/** Of the paid subscriptions live at the range's start, those that stopped (ended or suspended) in it. */
	churnedSubscriptions: z.number(),
	/** Every subscription (granted ones excepted) that stopped in the range, however recent: beside `newSubscriptions`. */
	stoppedSubscriptions: z.number(),
	churnRate: z.number().nullable(),
	/** The churn rate's basis: the paid subscriptions live at the range's start, and how many of them stopped in it. */
	churnBasis: z.object({ liveAtStart: z.number(), stopped: z.number() }),
	topUps: z.object({ created: z.number(), settled: z.number(), conversion: z.number() }),
	provisioning: z.object({
		attempts: z.number(),
		succeeded: z.number(),
		failed: z.number(),
		successRate: z.number(),
		p50Seconds: z.number().nullable(),
		p95Seconds: z.number().nullable()
	}),
	customers: z.object({ total: z.number(), new: z.number(), withLiveSubscriptions: z.number() })
});

export const reportSchema = z.object({
	name: z.enum(REPORT_NAMES as [string, ...string[]]),
	columns: z.array(z.string()),
	rows: z.array(z.record(z.string(), cell))
});

/** A report's rows with exactly its columns, in order (a missing value is null). */
export function toReportRows(rows: ReportRow[], columns: readonly string[]): ReportRow[] {
	return rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? null])));
}
