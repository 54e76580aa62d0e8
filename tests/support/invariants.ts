// The invariants of DESIGN.md (Money), checked against the database after test scenarios.
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';

/** Balance = sum of completed amounts; balance >= 0; lifetime totals match the ledger. */
export async function expectLedgerInvariants(db: Db) {
	const result = await db.execute<{
		id: string;
		balance: number;
		ledger: number;
		top_up: number;
		ledger_top_up: number;
		spent: number;
		ledger_spent: number;
	}>(sql`
		SELECT u.id, u.credit_balance::bigint AS balance, u.total_top_up::bigint AS top_up, u.total_spent::bigint AS spent,
			coalesce(sum(t.amount) FILTER (WHERE t.status = 'COMPLETED'), 0)::bigint AS ledger,
			coalesce(sum(t.amount) FILTER (WHERE t.status = 'COMPLETED' AND t.type = 'TOP_UP'), 0)::bigint AS ledger_top_up,
			coalesce(-sum(t.amount) FILTER (WHERE t.status = 'COMPLETED' AND t.type IN ('SUBSCRIPTION', 'UPGRADE', 'REFUND')), 0)::bigint AS ledger_spent
		FROM users u LEFT JOIN transactions t ON t.user_id = u.id
		GROUP BY u.id`);
	for (const row of result.rows) {
		expect(Number(row.balance), `balance of ${row.id}`).toBe(Number(row.ledger));
		expect(Number(row.balance)).toBeGreaterThanOrEqual(0);
		expect(Number(row.top_up), `lifetime top-up of ${row.id}`).toBe(Number(row.ledger_top_up));
		expect(Number(row.spent), `lifetime spend of ${row.id}`).toBe(Number(row.ledger_spent));
	}
}

/**
 * Every plan's used slots = live subscriptions holding one (a subscription that is being
 * upgraded also still holds its previous plan's), never above the total; no subscription
 * period charged twice.
 */
export async function expectQuotaInvariants(db: Db) {
	const plans = await db.execute<{ id: string; used: number; total: number; holders: number }>(sql`
		SELECT p.id, p.used_quota AS used, p.total_quota AS total,
			(SELECT count(*) FROM subscriptions s WHERE s.plan_id = p.id AND s.status IN ('ACTIVE', 'PENDING_UPGRADE'))
			+ (SELECT count(*) FROM subscriptions s WHERE s.previous_plan_id = p.id AND s.status = 'PENDING_UPGRADE') AS holders
		FROM service_plans p`);
	for (const plan of plans.rows) {
		expect(Number(plan.used), `used slots of plan ${plan.id}`).toBe(Number(plan.holders));
		expect(Number(plan.used)).toBeLessThanOrEqual(Number(plan.total));
	}
	const doubleCharged = await db.execute(sql`
		SELECT subscription_id, metadata->>'periodStart' AS period, count(*) FROM transactions
		WHERE type = 'SUBSCRIPTION' AND status = 'COMPLETED'
		GROUP BY subscription_id, metadata->>'periodStart' HAVING count(*) > 1`);
	expect(doubleCharged.rows).toEqual([]);
}

export async function expectInvariants(db: Db) {
	await expectLedgerInvariants(db);
	await expectQuotaInvariants(db);
}
