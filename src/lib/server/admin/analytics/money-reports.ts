// The money reports, computed by SQL from the ledger and subscriptions. Amounts are whole
// rupiah; a period is a day or a month in WIB, by when the money moved (`completed_at`).
import { sql } from 'drizzle-orm';
import type { Range } from './range';
import { label, payingSpans, periodOf, periodsOf, within } from './sql';

/** Settled top-ups per period and channel: the money customers paid in. */
export const revenueReceived = (range: Range) => sql`
	SELECT ${label(periodOf(range, sql`completed_at`))} AS period,
		payment_method AS channel,
		count(*)::int AS top_ups,
		sum(amount)::bigint AS amount
	FROM transactions
	WHERE type = 'TOP_UP' AND status = 'COMPLETED' AND ${within(range, sql`completed_at`)}
	GROUP BY ${periodOf(range, sql`completed_at`)}, payment_method
	ORDER BY 1, 2`;

/**
 * Subscription charges (new periods, renewals, upgrades) less their refunds, per period,
 * service and plan: the money earned from credit. A charge counts for the plan it bought;
 * a refund for the plan of what it refunds.
 */
export const revenueEarned = (range: Range) => sql`
	WITH earned AS (
		SELECT ${periodOf(range, sql`t.completed_at`)} AS period,
			-- The plan the money is for: the charge's own; for a refund of an upgrade, the
			-- upgrade's; else the subscription's. The lookups run only for the rows that need
			-- them (coalesce stops at the first value).
			coalesce(
				(t.metadata->>'planId')::uuid,
				(t.metadata->>'toPlanId')::uuid,
				(SELECT (u.metadata->>'toPlanId')::uuid FROM transactions u
					WHERE u.idempotency_key = 'upgrade:' || (t.metadata->>'upgradeId')),
				(SELECT sub.plan_id FROM subscriptions sub WHERE sub.id = t.subscription_id)
			) AS plan_id,
			t.type, t.amount
		FROM transactions t
		WHERE t.status = 'COMPLETED' AND t.type IN ('SUBSCRIPTION', 'UPGRADE', 'REFUND') AND t.subscription_id IS NOT NULL
			AND ${within(range, sql`t.completed_at`)}
	),
	per_plan AS (
		SELECT period, plan_id,
			coalesce(sum(-amount) FILTER (WHERE type IN ('SUBSCRIPTION', 'UPGRADE')), 0)::bigint AS charged,
			coalesce(sum(amount) FILTER (WHERE type = 'REFUND'), 0)::bigint AS refunded,
			sum(-amount)::bigint AS net
		FROM earned GROUP BY period, plan_id
	)
	SELECT ${label(sql`per_plan.period`)} AS period, s.name AS service, p.name AS plan, per_plan.charged, per_plan.refunded, per_plan.net
	FROM per_plan
	JOIN service_plans p ON p.id = per_plan.plan_id
	JOIN services s ON s.id = p.service_id
	ORDER BY 1, 2, 3`;

// The movement of MRR in a range, as rows of (`at`, `amount`), from the paying spans
// (`spans`, a CTE of the statement using them). The MRR report sums them per period, the
// overview over the whole range.

/** `new`: the first charge of paid subscriptions started in the range (and not refunded straight away after a failed set-up). */
const openedRows = (range: Range) => sql`
	SELECT spans.started AS at, first_charge.amount FROM spans
	JOIN LATERAL (
		SELECT -amount AS amount FROM transactions
		WHERE subscription_id = spans.id AND type = 'SUBSCRIPTION' AND status = 'COMPLETED'
		ORDER BY created_at LIMIT 1
	) first_charge ON true
	WHERE ${within(range, sql`spans.started`)} AND (spans.stopped IS NULL OR spans.stopped > spans.started)`;

/** `expansion`: the monthly price added by upgrades in the range, those rolled back excepted. */
const upgradedRows = (range: Range) => sql`
	SELECT u.completed_at AS at,
		coalesce((u.metadata->>'toMonthlyPrice')::bigint, tp.monthly_price)
			- coalesce((u.metadata->>'fromMonthlyPrice')::bigint, fp.monthly_price) AS amount
	FROM transactions u
	LEFT JOIN service_plans tp ON tp.id = (u.metadata->>'toPlanId')::uuid
	LEFT JOIN service_plans fp ON fp.id = (u.metadata->>'fromPlanId')::uuid
	WHERE u.type = 'UPGRADE' AND u.status = 'COMPLETED' AND ${within(range, sql`u.completed_at`)}
		-- The refund's type and status let PostgreSQL probe the small partial index of
		-- completed refunds instead of hashing the whole ledger by idempotency key (5x faster).
		AND NOT EXISTS (
			SELECT 1 FROM transactions r
			WHERE r.type = 'REFUND' AND r.status = 'COMPLETED'
				AND r.idempotency_key = 'upgrade-refund:' || (u.metadata->>'upgradeId')
		)`;

/** `churn`: the monthly price of paid subscriptions that ended or were suspended in the range. */
const churnedRows = (range: Range) => sql`
	SELECT stopped AS at, price AS amount FROM spans WHERE ${within(range, sql`stopped`)} AND stopped > started`;

/**
 * Monthly recurring revenue at the end of each period — the monthly price of the paid
 * subscriptions live then, each at its current price — and its movement in the period
 * (new, expansion and churn, above).
 */
export const mrr = (range: Range) => sql`
	WITH spans AS (SELECT * FROM ${payingSpans} AS paying),
	moves AS (
		SELECT started AS at, price AS delta FROM spans WHERE started < ${range.end} AND (stopped IS NULL OR stopped > started)
		UNION ALL
		SELECT stopped, -price FROM spans WHERE stopped < ${range.end} AND stopped > started
	),
	base AS (SELECT coalesce(sum(delta), 0)::bigint AS mrr FROM moves WHERE at < ${range.start}),
	deltas AS (
		SELECT ${periodOf(range, sql`at`)} AS period, sum(delta)::bigint AS delta FROM moves
		WHERE ${within(range, sql`at`)} GROUP BY 1
	),
	churned AS (SELECT ${periodOf(range, sql`at`)} AS period, sum(amount)::bigint AS churn FROM (${churnedRows(range)}) AS rows GROUP BY 1),
	opened AS (SELECT ${periodOf(range, sql`at`)} AS period, sum(amount)::bigint AS new FROM (${openedRows(range)}) AS rows GROUP BY 1),
	upgraded AS (
		SELECT ${periodOf(range, sql`at`)} AS period, sum(amount)::bigint AS expansion FROM (${upgradedRows(range)}) AS rows GROUP BY 1
	)
	SELECT ${label(sql`periods.period`)} AS period,
		((SELECT mrr FROM base) + sum(coalesce(deltas.delta, 0)) OVER (ORDER BY periods.period))::bigint AS mrr,
		coalesce(opened.new, 0)::bigint AS new,
		coalesce(upgraded.expansion, 0)::bigint AS expansion,
		coalesce(churned.churn, 0)::bigint AS churn
	FROM ${periodsOf(range)} AS periods
	LEFT JOIN deltas USING (period)
	LEFT JOIN opened USING (period)
	LEFT JOIN upgraded USING (period)
	LEFT JOIN churned USING (period)
	ORDER BY periods.period`;

/**
 * The movement of MRR over the whole range, for the overview: the same rows as the MRR
 * report's, summed once, without the report's per-period series (its running total over
 * every subscription's moves is most of its cost).
 */
export const mrrMovement = (range: Range) => sql`
	WITH spans AS (SELECT * FROM ${payingSpans} AS paying)
	SELECT
		(SELECT coalesce(sum(amount), 0)::bigint FROM (${openedRows(range)}) AS rows) AS new,
		(SELECT coalesce(sum(amount), 0)::bigint FROM (${upgradedRows(range)}) AS rows) AS expansion,
		(SELECT coalesce(sum(amount), 0)::bigint FROM (${churnedRows(range)}) AS rows) AS churn`;

/** Top-ups started in the range per channel: how many were created, how many settled. */
export const topUps = (range: Range) => sql`
	SELECT coalesce(payment_method::text, 'UNKNOWN') AS channel,
		count(*)::int AS created,
		count(*) FILTER (WHERE status = 'COMPLETED')::int AS settled,
		coalesce(sum(amount) FILTER (WHERE status = 'COMPLETED'), 0)::bigint AS settled_amount,
		round(count(*) FILTER (WHERE status = 'COMPLETED')::numeric / count(*), 4)::float8 AS conversion
	FROM transactions
	WHERE type = 'TOP_UP' AND ${within(range, sql`created_at`)}
	GROUP BY 1
	ORDER BY 1`;
