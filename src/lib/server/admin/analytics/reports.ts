// Every analytics report by name: its SQL and its columns, in one place for the dashboard's
// tables and charts and for the CSV export.
import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { ReportName } from '$lib/analytics';
import type { Range } from './range';
import { mrr, revenueEarned, revenueReceived, topUps } from './money-reports';
import { toReportRows } from './views';
import { controlUsage, customerGrowth, provisioningAttempts, slotUtilisation, subscriptionFlow } from './usage-reports';

export type ReportRow = Record<string, string | number | null>;

type Report = { columns: readonly string[]; query: (range: Range) => SQL };

export const REPORT_QUERIES: Record<ReportName, Report> = {
	'revenue-received': { columns: ['period', 'channel', 'top_ups', 'amount'], query: revenueReceived },
	'revenue-earned': { columns: ['period', 'service', 'plan', 'charged', 'refunded', 'net'], query: revenueEarned },
	mrr: { columns: ['period', 'mrr', 'new', 'expansion', 'churn'], query: mrr },
	subscriptions: { columns: ['period', 'new', 'churned'], query: subscriptionFlow },
	topups: { columns: ['channel', 'created', 'settled', 'settled_amount', 'conversion'], query: topUps },
	provisioning: {
		columns: ['period', 'attempts', 'succeeded', 'failed', 'success_rate', 'p50_seconds', 'p95_seconds'],
		query: (range) => provisioningAttempts(range)
	},
	slots: { columns: ['period', 'service', 'plan', 'total', 'used', 'utilisation'], query: slotUtilisation },
	controls: { columns: ['period', 'service', 'stop', 'start', 'restart', 'retry'], query: controlUsage },
	customers: { columns: ['period', 'new', 'total'], query: customerGrowth }
};

export async function runReport(db: DbOrTx, name: ReportName, range: Range) {
	const report = REPORT_QUERIES[name];
	const result = await db.execute<ReportRow>(report.query(range));
	return { name, columns: [...report.columns], rows: toReportRows(result.rows, report.columns) };
}
