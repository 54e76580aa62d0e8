// The usage reports, computed by SQL from subscriptions, instance status history, slot
// snapshots and accounts; a period is a day or a month in WIB.
import { sql } from 'drizzle-orm';
import type { Range } from './range';
import { label, periodOf, periodsOf, subscriptionSpans, within } from './sql';

/**
 * Subscriptions started and churned per period (granted ones excepted), churned as the
 * overview's churn rate counts them: live when the period began (or the range, if later)
 * and stopped in it — ended, or suspended. So a range of one period has the overview's
 * figures; one that began within the period is new in it, not churned.
 */
export const subscriptionFlow = (range: Range) => sql`
	WITH flows AS (
		SELECT ${periodOf(range, sql`start_date`)} AS period, 1 AS new, 0 AS churned
		FROM subscriptions WHERE NOT is_grant AND ${within(range, sql`start_date`)}
		UNION ALL
		SELECT ${periodOf(range, sql`stopped`)}, 0, 1
		FROM ${subscriptionSpans} AS spans
		WHERE NOT is_grant AND ${within(range, sql`stopped`)}
			AND (started < ${range.start} OR ${periodOf(range, sql`started`)} < ${periodOf(range, sql`stopped`)})
	)
	SELECT ${label(sql`periods.period`)} AS period, coalesce(sum(flows.new), 0)::int AS new,
		coalesce(sum(flows.churned), 0)::int AS churned
	FROM ${periodsOf(range)} AS periods
	LEFT JOIN flows USING (period)
	GROUP BY periods.period
	ORDER BY periods.period`;

/**
 * Provisioning attempts per period, counted when they ended: each time an app left
 * PROVISIONING (its first set-up or a retry), for RUNNING, for ERROR, or because it was
 * removed meanwhile; with the time it took to reach RUNNING from the start of the set-up.
 */
export const provisioningAttempts = (range: Range, options: { byPeriod: boolean } = { byPeriod: true }) => sql`
	SELECT ${options.byPeriod ? sql`${label(periodOf(range, sql`created_at`))} AS period,` : sql``}
		count(*)::int AS attempts,
		count(*) FILTER (WHERE status = 'RUNNING')::int AS succeeded,
		count(*) FILTER (WHERE status = 'ERROR')::int AS failed,
		coalesce(round(count(*) FILTER (WHERE status = 'RUNNING')::numeric / nullif(count(*), 0), 4), 0)::float8 AS success_rate,
		round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - previous_since))
			FILTER (WHERE status = 'RUNNING'))::numeric, 1)::float8 AS p50_seconds,
		round((percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - previous_since))
			FILTER (WHERE status = 'RUNNING'))::numeric, 1)::float8 AS p95_seconds
	FROM instance_events
	WHERE status IN ('RUNNING', 'ERROR', 'TERMINATING') AND previous_status = 'PROVISIONING'
		AND ${within(range, sql`created_at`)}
	${options.byPeriod ? sql`GROUP BY ${periodOf(range, sql`created_at`)} ORDER BY 1` : sql``}`;

/**
 * Each plan's slots per period, from the daily snapshots (by month: the average used and
 * the largest total), with today's figures live until tonight's snapshot is written.
 */
export const slotUtilisation = (range: Range) => sql`
	WITH days AS (
		SELECT day, plan_id, total_quota, used_quota FROM plan_slot_snapshots
		WHERE day BETWEEN ${range.from}::date AND ${range.to}::date
		UNION ALL
		SELECT today.day, p.id, p.total_quota, p.used_quota
		FROM service_plans p, (SELECT (now() AT TIME ZONE 'Asia/Jakarta')::date AS day) today
		WHERE today.day BETWEEN ${range.from}::date AND ${range.to}::date
			AND NOT EXISTS (SELECT 1 FROM plan_slot_snapshots snap WHERE snap.day = today.day AND snap.plan_id = p.id)
	),
	periods AS (
		SELECT date_trunc(${sql.raw(`'${range.unit}'`)}, day::timestamp) AS period, plan_id,
			max(total_quota) AS total, round(avg(used_quota), 1)::float8 AS used,
			round(avg(used_quota::numeric / nullif(total_quota, 0)), 4) AS utilisation
		FROM days GROUP BY 1, 2
	)
	SELECT ${label(sql`periods.period`)} AS period, s.name AS service, p.name AS plan, periods.total, periods.used,
		coalesce(periods.utilisation, 0)::float8 AS utilisation
	FROM periods
	JOIN service_plans p ON p.id = periods.plan_id
	JOIN services s ON s.id = p.service_id
	ORDER BY 1, 2, p.plan_type`;

/**
 * Stop, start, restart and retry requests per period and service: the statuses an app
 * enters when one is asked for (a start from STOPPED; a resume from a suspension is not one).
 */
export const controlUsage = (range: Range) => sql`
	WITH controls AS (
		SELECT created_at, service_id,
			CASE
				WHEN status = 'STOPPING' THEN 'stop'
				WHEN status = 'STARTING' AND previous_status = 'STOPPED' THEN 'start'
				WHEN status = 'RESTARTING' THEN 'restart'
				WHEN status = 'PENDING' AND previous_status IN ('ERROR', 'TERMINATED') THEN 'retry'
			END AS action
		FROM instance_events
		WHERE status IN ('STOPPING', 'STARTING', 'RESTARTING', 'PENDING') AND ${within(range, sql`created_at`)}
	),
	counted AS (
		SELECT ${periodOf(range, sql`created_at`)} AS period, service_id,
			count(*) FILTER (WHERE action = 'stop')::int AS stop,
			count(*) FILTER (WHERE action = 'start')::int AS start,
			count(*) FILTER (WHERE action = 'restart')::int AS restart,
			count(*) FILTER (WHERE action = 'retry')::int AS retry
		FROM controls WHERE action IS NOT NULL
		GROUP BY 1, 2
	)
	SELECT ${label(sql`counted.period`)} AS period, s.name AS service, counted.stop, counted.start, counted.restart, counted.retry
	FROM counted JOIN services s ON s.id = counted.service_id
	ORDER BY 1, 2`;

/** Customers (accounts with the customer role) per period: new ones, and all of them by its end. */
export const customerGrowth = (range: Range) => sql`
	WITH customers AS (SELECT id, created_at FROM users WHERE role = 'USER'),
	joined AS (
		SELECT ${periodOf(range, sql`created_at`)} AS period, count(*)::int AS new FROM customers
		WHERE ${within(range, sql`created_at`)} GROUP BY 1
	),
	before AS (SELECT count(*)::int AS total FROM customers WHERE created_at < ${range.start})
	SELECT ${label(sql`periods.period`)} AS period,
		coalesce(joined.new, 0)::int AS new,
		((SELECT total FROM before) + sum(coalesce(joined.new, 0)) OVER (ORDER BY periods.period))::int AS total
	FROM ${periodsOf(range)} AS periods
	LEFT JOIN joined USING (period)
	ORDER BY periods.period`;
