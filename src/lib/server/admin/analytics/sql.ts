// SQL pieces every report shares: periods in WIB, and each subscription's span of life.
import { sql, type SQL } from 'drizzle-orm';
import { ANALYTICS_TIME_ZONE } from '$lib/analytics';
import type { Range } from './range';

const zone = sql.raw(`'${ANALYTICS_TIME_ZONE}'`);

/**
 * The period (day or month, WIB) an instant falls in, as the timestamp of its start: cheap
 * to group by. The unit is written into the statement (it is 'day' or 'month'), so that the
 * same expression in SELECT and GROUP BY is recognised as one.
 */
export const periodOf = (range: Range, instant: SQL) =>
	sql`date_trunc(${sql.raw(`'${range.unit}'`)}, ${instant} AT TIME ZONE ${zone})`;

/** A period as people read it: YYYY-MM-DD of its first day (formatted after grouping). */
export const label = (period: SQL) => sql`to_char(${period}, 'YYYY-MM-DD')`;

/** Every period of the range, as `period` (the timestamp of its start). */
export const periodsOf = (range: Range) => sql`(
	SELECT p AS period
	FROM generate_series(
		date_trunc(${sql.raw(`'${range.unit}'`)}, ${range.from}::date::timestamp),
		${range.to}::date::timestamp,
		${sql.raw(`interval '1 ${range.unit}'`)}
	) AS p
)`;

/** Whether an instant lies in the range. */
export const within = (range: Range, instant: SQL) => sql`(${instant} >= ${range.start} AND ${instant} < ${range.end})`;

/**
 * Each subscription's span of life: from its start until it `stopped` — its end for a
 * cancelled or expired one, the suspension for a suspended one, its start for one that was
 * never paid (PENDING_PAYMENT) — or open while it lives. A subscription suspended and resumed
 * since counts as live throughout: a lifted suspension leaves no trace on the row.
 */
export const subscriptionSpans = sql`(
	SELECT id, user_id, service_id, plan_id, is_grant, monthly_price AS price, start_date AS started,
		CASE
			WHEN status IN ('CANCELLED', 'EXPIRED') THEN end_date
			WHEN status = 'SUSPENDED' THEN coalesce(suspended_at, start_date)
			WHEN status = 'PENDING_PAYMENT' THEN start_date
		END AS stopped
	FROM subscriptions
)`;

/** Spans that bring in money: not granted, not free. */
export const payingSpans = sql`(SELECT * FROM ${subscriptionSpans} AS spans WHERE NOT is_grant AND price > 0)`;

/** A span is live just before an instant: started before it and not stopped before it. */
export const liveAt = (instant: SQL | Date) => sql`(started < ${instant} AND (stopped IS NULL OR stopped >= ${instant}))`;

/** The instant a range's figures are read at: its end, or now if that is still to come. */
export const asOf = (range: Range, now = new Date()) => (range.end < now ? range.end : now);
