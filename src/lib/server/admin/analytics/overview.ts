// The dashboard's headline figures for a range, in rupiah and counts, by SQL from the
// ledger, subscriptions, instance history and accounts. Figures "at the end" are read at
// the end of the range, or now while that is still to come.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { Range } from './range';
import { mrrMovement } from './money-reports';
import { asOf, liveAt, subscriptionSpans, within } from './sql';
import { provisioningAttempts } from './usage-reports';

type Row = Record<string, number | null>;
const num = (value: unknown) => Number(value ?? 0);

export async function analyticsOverview(db: DbOrTx, range: Range) {
	const at = asOf(range);
	const settledIn = sql`(status = 'COMPLETED' AND ${within(range, sql`completed_at`)})`;
	const topUpStartedIn = sql`(type = 'TOP_UP' AND ${within(range, sql`created_at`)})`;
	const [money, subscriptionsNow, flow, cohort, customers, movementRows, provisioning] = await Promise.all([
		// One pass over the ledger for the money and the top-up conversion (the same figures
		// as the top-ups report's, summed over its channels): on a long range it reads most
		// of the table, and a second pass would double the overview's cost.
		db.execute<Row>(sql`
			SELECT
				coalesce(sum(amount) FILTER (WHERE ${settledIn} AND type = 'TOP_UP'), 0)::bigint AS received,
				coalesce(sum(-amount) FILTER (WHERE ${settledIn} AND type IN ('SUBSCRIPTION', 'UPGRADE', 'REFUND') AND subscription_id IS NOT NULL), 0)::bigint AS earned,
				count(*) FILTER (WHERE ${topUpStartedIn})::int AS top_ups_created,
				count(*) FILTER (WHERE ${topUpStartedIn} AND status = 'COMPLETED')::int AS top_ups_settled
			FROM transactions WHERE ${settledIn} OR ${topUpStartedIn}`),
		db.execute<Row>(sql`
			SELECT
				count(*) FILTER (WHERE ${liveAt(at)})::int AS active,
				coalesce(sum(price) FILTER (WHERE ${liveAt(at)} AND NOT is_grant AND price > 0), 0)::bigint AS mrr,
				count(DISTINCT user_id) FILTER (WHERE ${liveAt(at)} AND NOT is_grant AND price > 0)::int AS paying,
				count(DISTINCT user_id) FILTER (WHERE ${liveAt(at)})::int AS holders
			FROM ${subscriptionSpans} AS spans`),
		db.execute<Row>(sql`
			SELECT count(*)::int AS new FROM subscriptions WHERE NOT is_grant AND ${within(range, sql`start_date`)}`),
		// The churn rate's own population: the subscriptions live when the range began, and
		// which of them stopped in it (ended or suspended, as MRR churn counts them): the
		// churned count. One that started within the range is in neither, so the rate is a
		// share of one set, at most 1. Beside them, every one that stopped in the range, as
		// the page counts it against the new ones.
		db.execute<Row>(sql`
			SELECT
				count(*) FILTER (WHERE ${liveAt(range.start)})::int AS live_at_start,
				count(*) FILTER (WHERE ${liveAt(range.start)} AND ${within(range, sql`stopped`)})::int AS stopped,
				count(*) FILTER (WHERE ${within(range, sql`stopped`)})::int AS stopped_in_range
			FROM ${subscriptionSpans} AS spans WHERE NOT is_grant`),
		db.execute<Row>(sql`
			SELECT count(*) FILTER (WHERE created_at < ${at})::int AS total,
				count(*) FILTER (WHERE ${within(range, sql`created_at`)})::int AS new
			FROM users WHERE role = 'USER'`),
		db.execute<Row>(mrrMovement(range)),
		db.execute<Row>(provisioningAttempts(range, { byPeriod: false }))
	]);
	const [m, s, f, c, p] = [money.rows[0], subscriptionsNow.rows[0], flow.rows[0], customers.rows[0], provisioning.rows[0]];
	const [liveAtStart, stopped] = [num(cohort.rows[0].live_at_start), num(cohort.rows[0].stopped)];
	const movement = movementRows.rows[0];
	const [created, settled] = [num(m.top_ups_created), num(m.top_ups_settled)];
	const paying = num(s.paying);
	return {
		from: range.from,
		to: range.to,
		mrr: num(s.mrr),
		activeSubscriptions: num(s.active),
		revenueReceived: num(m.received),
		revenueEarned: num(m.earned),
		payingCustomers: paying,
		/** Average revenue per paying customer: MRR over the customers paying it. */
		arpu: paying === 0 ? 0 : Math.round(num(s.mrr) / paying),
		mrrMovement: { new: num(movement.new), expansion: num(movement.expansion), churn: num(movement.churn) },
		newSubscriptions: num(f.new),
		/** Every subscription (granted ones excepted) that stopped (ended or suspended) in the range: the counterpart of `newSubscriptions`. */
		stoppedSubscriptions: num(cohort.rows[0].stopped_in_range),
		/** The subscriptions live at the range's start that stopped (ended or suspended) in it: the churn rate's numerator. */
		churnedSubscriptions: stopped,
		/**
		 * Of the subscriptions live at the range's start, the share that stopped (ended or
		 * suspended) in it; none when none was live (a share of nothing is no rate, not 0%).
		 */
		churnRate: liveAtStart === 0 ? null : stopped / liveAtStart,
		churnBasis: { liveAtStart, stopped },
		topUps: { created, settled, conversion: created === 0 ? 0 : settled / created },
		provisioning: {
			attempts: num(p.attempts),
			succeeded: num(p.succeeded),
			failed: num(p.failed),
			successRate: num(p.success_rate),
			p50Seconds: p.p50_seconds === null ? null : num(p.p50_seconds),
			p95Seconds: p.p95_seconds === null ? null : num(p.p95_seconds)
		},
		customers: { total: num(c.total), new: num(c.new), withLiveSubscriptions: num(s.holders) }
	};
}

export type AnalyticsOverview = Awaited<ReturnType<typeof analyticsOverview>>;
