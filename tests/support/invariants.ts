// The money invariants of DESIGN.md, checked against the database after a scenario:
// every balance equals the sum of its completed transactions and is never negative, the
// lifetime totals agree with the ledger, each balance history is one unbroken chain, and
// no top-up was credited twice.
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { DbOrTx } from '../../src/lib/server/db/client';
import { SLOT_HOLDING_STATUSES } from '../../src/lib/statuses';

type Row = Record<string, unknown>;

export async function moneyInvariantViolations(db: DbOrTx): Promise<string[]> {
	const problems: string[] = [];
	const totals = await db.execute<Row>(sql`
		SELECT u.id, u.credit_balance AS balance, u.total_top_up AS total_top_up, u.total_spent AS total_spent,
			COALESCE(SUM(t.amount) FILTER (WHERE t.status = 'COMPLETED'), 0) AS completed,
			COALESCE(SUM(t.amount) FILTER (WHERE t.status = 'COMPLETED' AND t.type = 'TOP_UP'), 0) AS topped_up,
			COALESCE(-SUM(t.amount) FILTER (WHERE t.status = 'COMPLETED' AND t.type IN ('SUBSCRIPTION', 'UPGRADE', 'REFUND')), 0) AS spent
		FROM users u LEFT JOIN transactions t ON t.user_id = u.id
		GROUP BY u.id`);
	for (const row of totals.rows) {
		const [balance, completed] = [Number(row.balance), Number(row.completed)];
		if (balance !== completed) problems.push(`user ${row.id}: balance ${balance} but completed transactions sum to ${completed}`);
		if (balance < 0) problems.push(`user ${row.id}: negative balance ${balance}`);
		if (Number(row.total_top_up) !== Number(row.topped_up)) {
			problems.push(`user ${row.id}: totalTopUp ${row.total_top_up} but completed top-ups sum to ${row.topped_up}`);
		}
		if (Number(row.total_spent) !== Number(row.spent)) {
			problems.push(`user ${row.id}: totalSpent ${row.total_spent} but completed charges net ${row.spent}`);
		}
	}

	const unsettled = await db.execute<Row>(sql`
		SELECT id, status FROM transactions
		WHERE status <> 'COMPLETED' AND (balance_before IS NOT NULL OR balance_after IS NOT NULL)`);
	for (const row of unsettled.rows) problems.push(`transaction ${row.id}: ${row.status} but carries balances`);

	const twiceByOrder = await db.execute<Row>(sql`
		SELECT order_id, count(*) AS n FROM transactions
		WHERE type = 'TOP_UP' AND status = 'COMPLETED' AND order_id IS NOT NULL
		GROUP BY order_id HAVING count(*) > 1`);
	for (const row of twiceByOrder.rows) problems.push(`order ${row.order_id} credited ${row.n} times`);
	const twiceByEvent = await db.execute<Row>(sql`
		SELECT order_id, count(*) AS n FROM payment_events WHERE outcome = 'credited'
		GROUP BY order_id HAVING count(*) > 1`);
	for (const row of twiceByEvent.rows) problems.push(`order ${row.order_id} has ${row.n} crediting notifications`);

	// Balance changes are serialised per user, so the completed rows form one chain from 0 to
	// the balance: every intermediate balance is left exactly as often as it is reached.
	const edges = await db.execute<Row>(sql`
		SELECT t.user_id, t.balance_before, t.balance_after, u.credit_balance AS balance
		FROM transactions t JOIN users u ON u.id = t.user_id
		WHERE t.status = 'COMPLETED' AND t.amount <> 0`);
	const degrees = new Map<string, { balance: number; diff: Map<number, number> }>();
	for (const row of edges.rows) {
		const user = String(row.user_id);
		const entry = degrees.get(user) ?? { balance: Number(row.balance), diff: new Map<number, number>() };
		const [from, to] = [Number(row.balance_before), Number(row.balance_after)];
		entry.diff.set(from, (entry.diff.get(from) ?? 0) + 1);
		entry.diff.set(to, (entry.diff.get(to) ?? 0) - 1);
		degrees.set(user, entry);
	}
	for (const [user, { balance, diff }] of degrees) {
		if (balance !== 0) {
			diff.set(0, (diff.get(0) ?? 0) - 1);
			diff.set(balance, (diff.get(balance) ?? 0) + 1);
		}
		const broken = [...diff].filter(([, value]) => value !== 0);
		if (broken.length) problems.push(`user ${user}: balance history is not one chain from 0 to ${balance}`);
	}
	problems.push(...(await receiptViolations(db)));
	return problems;
}

/**
 * Each year's receipt numbers run 1..n without a gap, and only completed top-ups and
 * charges have one.
 */
async function receiptViolations(db: DbOrTx): Promise<string[]> {
	const problems: string[] = [];
	const years = await db.execute<Row>(sql`
		SELECT year, count(*) AS n, max(sequence) AS last FROM receipts GROUP BY year`);
	for (const row of years.rows) {
		if (Number(row.n) !== Number(row.last)) problems.push(`receipts of ${row.year}: ${row.n} numbers up to ${row.last}`);
	}
	const stray = await db.execute<Row>(sql`
		SELECT r.number FROM receipts r JOIN transactions t ON t.id = r.transaction_id
		WHERE t.status <> 'COMPLETED' OR t.type NOT IN ('TOP_UP', 'SUBSCRIPTION', 'UPGRADE') OR t.amount = 0
			OR r.user_id <> t.user_id`);
	for (const row of stray.rows) problems.push(`receipt ${row.number} is not for a completed top-up or charge`);
	return problems;
}

export async function expectMoneyInvariants(db: DbOrTx) {
	expect(await moneyInvariantViolations(db)).toEqual([]);
}

/**
 * Every plan's used slots = live subscriptions holding one (SLOT_HOLDING_STATUSES; a
 * subscription that is being upgraded also still holds its previous plan's), never above
 * the total; no subscription period charged twice.
 */
export async function quotaInvariantViolations(db: DbOrTx): Promise<string[]> {
	const problems: string[] = [];
	const plans = await db.execute<Row>(sql`
		SELECT p.id, p.used_quota AS used, p.total_quota AS total,
			(SELECT count(*) FROM subscriptions s WHERE s.plan_id = p.id AND s.status::text = ANY(${sql.param([...SLOT_HOLDING_STATUSES])}::text[]))
			+ (SELECT count(*) FROM subscriptions s WHERE s.previous_plan_id = p.id AND s.status = 'PENDING_UPGRADE') AS holders
		FROM service_plans p`);
	for (const plan of plans.rows) {
		if (Number(plan.used) !== Number(plan.holders)) {
			problems.push(`plan ${plan.id}: ${plan.used} slots used but ${plan.holders} subscriptions hold one`);
		}
		if (Number(plan.used) > Number(plan.total)) problems.push(`plan ${plan.id}: ${plan.used} of ${plan.total} slots used`);
	}
	const charged = await db.execute<Row>(sql`
		SELECT subscription_id, metadata->>'periodStart' AS period, count(*) AS n FROM transactions
		WHERE type = 'SUBSCRIPTION' AND status = 'COMPLETED'
		GROUP BY subscription_id, metadata->>'periodStart' HAVING count(*) > 1`);
	for (const row of charged.rows)
		problems.push(`subscription ${row.subscription_id}: period ${row.period} charged ${row.n} times`);
	return problems;
}

/** Money and quota invariants together. */
export async function expectInvariants(db: DbOrTx) {
	expect([...(await moneyInvariantViolations(db)), ...(await quotaInvariantViolations(db))]).toEqual([]);
}
