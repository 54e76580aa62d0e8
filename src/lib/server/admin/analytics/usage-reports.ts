// The usage reports, computed by SQL from subscriptions, instance status history, slot
// snapshots and accounts; a period is a day or a month in WIB.
import { sql } from 'drizzle-orm';
import type { Range } from './range';
import { periodOf, periodsOf, within } from './sql';

/**
 * Subscriptions started and ended per period (granted ones excepted). An ended one was
 * cancelled or expired; its end is the moment it stopped.
 */
export const subscriptionFlow = (range: Range) => sql`
	WITH flows AS (
		SELECT ${periodOf(range, sql`start_date`)} AS period, 1 AS new, 0 AS churned
		FROM subscriptions WHERE NOT is_grant AND ${within(range, sql`start_date`)}
		UNION ALL
		SELECT ${periodOf(range, sql`end_date`)}, 0, 1
		FROM subscriptions
		WHERE NOT is_grant AND status IN ('CANCELLED', 'EXPIRED') AND ${within(range, sql`end_date`)}
	)
	SELECT periods.period, coalesce(sum(flows.new), 0)::int AS new, coalesce(sum(flows.churned), 0)::int AS churned
	FROM ${periodsOf(range)} AS periods
	LEFT JOIN flows USING (period)
	GROUP BY periods.period
	ORDER BY periods.period`;

/**
 * Provisioning attempts per period: each time an app went from PENDING to PROVISIONING
 * (its first set-up or a retry), and how it ended — RUNNING, ERROR, or removed before it
 * came up — with the time from the request (the subscription, or the retry) to RUNNING.
 */
export const provisioningAttempts = (range: Range, options: { byPeriod: boolean } = { byPeriod: true }) => sql`
	WITH attempts AS (
		SELECT e.instance_id, e.created_at AS at,
			coalesce(
				(SELECT max(p.created_at) FROM instance_events p
					WHERE p.instance_id = e.instance_id AND p.status = 'PENDING' AND p.created_at <= e.created_at),
				i.created_at
			) AS requested_at,
			outcome.status AS outcome, outcome.created_at AS settled_at
		FROM instance_events e
		JOIN service_instances i ON i.id = e.instance_id
		LEFT JOIN LATERAL (
			SELECT o.status, o.created_at FROM instance_events o
			WHERE o.instance_id = e.instance_id AND o.created_at >= e.created_at AND o.id <> e.id
				AND o.status IN ('RUNNING', 'ERROR', 'TERMINATING', 'TERMINATED')
			ORDER BY o.created_at LIMIT 1
		) outcome ON true
		WHERE e.status = 'PROVISIONING' AND e.previous_status = 'PENDING' AND ${within(range, sql`e.created_at`)}
	)
	SELECT ${options.byPeriod ? sql`${periodOf(range, sql`at`)} AS period,` : sql``}
		count(*)::int AS attempts,
		count(*) FILTER (WHERE outcome = 'RUNNING')::int AS succeeded,
		count(*) FILTER (WHERE outcome = 'ERROR')::int AS failed,
		coalesce(round(count(*) FILTER (WHERE outcome = 'RUNNING')::numeric / nullif(count(*), 0), 4), 0)::float8 AS success_rate,
		round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM settled_at - requested_at))
			FILTER (WHERE outcome = 'RUNNING'))::numeric, 1)::float8 AS p50_seconds,
		round((percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM settled_at - requested_at))
			FILTER (WHERE outcome = 'RUNNING'))::numeric, 1)::float8 AS p95_seconds
	FROM attempts
	${options.byPeriod ? sql`GROUP BY 1 ORDER BY 1` : sql``}`;

/** Each plan's slots per day, from the daily snapshots. */
export const slotUtilisation = (range: Range) => sql`
	SELECT to_char(snap.day, 'YYYY-MM-DD') AS day, s.name AS service, p.name AS plan,
		snap.total_quota AS total, snap.used_quota AS used,
		CASE WHEN snap.total_quota = 0 THEN 0 ELSE round(snap.used_quota::numeric / snap.total_quota, 4) END::float8 AS utilisation
	FROM plan_slot_snapshots snap
	JOIN service_plans p ON p.id = snap.plan_id
	JOIN services s ON s.id = p.service_id
	WHERE snap.day BETWEEN ${range.from}::date AND ${range.to}::date
	ORDER BY 1, 2, p.plan_type`;

/**
 * Stop, start, restart and retry requests per period and service: the statuses an app
 * enters when one is asked for (a start from STOPPED; a resume from a suspension is not one).
 */
export const controlUsage = (range: Range) => sql`
	WITH controls AS (
		SELECT e.created_at, i.subscription_id,
			CASE
				WHEN e.status = 'STOPPING' THEN 'stop'
				WHEN e.status = 'STARTING' AND e.previous_status = 'STOPPED' THEN 'start'
				WHEN e.status = 'RESTARTING' THEN 'restart'
				WHEN e.status = 'PENDING' AND e.previous_status IN ('ERROR', 'TERMINATED') THEN 'retry'
			END AS action
		FROM instance_events e
		JOIN service_instances i ON i.id = e.instance_id
		WHERE e.status IN ('STOPPING', 'STARTING', 'RESTARTING', 'PENDING') AND ${within(range, sql`e.created_at`)}
	)
	SELECT ${periodOf(range, sql`c.created_at`)} AS period, s.name AS service,
		count(*) FILTER (WHERE c.action = 'stop')::int AS stop,
		count(*) FILTER (WHERE c.action = 'start')::int AS start,
		count(*) FILTER (WHERE c.action = 'restart')::int AS restart,
		count(*) FILTER (WHERE c.action = 'retry')::int AS retry
	FROM controls c
	JOIN subscriptions sub ON sub.id = c.subscription_id
	JOIN services s ON s.id = sub.service_id
	WHERE c.action IS NOT NULL
	GROUP BY 1, s.id, s.name
	ORDER BY 1, 2`;

/** Customers (accounts with the customer role) per period: new ones, and all of them by its end. */
export const customerGrowth = (range: Range) => sql`
	WITH customers AS (SELECT id, created_at FROM users WHERE role = 'USER'),
	joined AS (
		SELECT ${periodOf(range, sql`created_at`)} AS period, count(*)::int AS new FROM customers
		WHERE ${within(range, sql`created_at`)} GROUP BY 1
	),
	before AS (SELECT count(*)::int AS total FROM customers WHERE created_at < ${range.start})
	SELECT periods.period,
		coalesce(joined.new, 0)::int AS new,
		((SELECT total FROM before) + sum(coalesce(joined.new, 0)) OVER (ORDER BY periods.period))::int AS total
	FROM ${periodsOf(range)} AS periods
	LEFT JOIN joined USING (period)
	ORDER BY periods.period`;
