// A business of some size for the admin benchmarks: 10,000 customers, 20,000
// subscriptions with their apps and status history, 100,000 ledger rows, webhook and audit
// logs and two years of slot snapshots, written in SQL (through the services it would take
// longer than the measurements).
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestRuntime } from '../tests/support/runtime';

export const CUSTOMERS = 10_000;
export const LEDGER_ROWS = 100_000;

export async function seedBusiness(runtime: TestRuntime) {
	const run = (statement: string) => runtime.db.execute(sql.raw(statement));
	await run(`
		INSERT INTO users (name, email, password_hash, role, credit_balance, created_at)
		SELECT 'Bench Customer ' || g, 'bench' || g || '@example.com', 'not-a-hash', 'USER',
			(g * 7919) % 2000000, now() - ((g * 37) % 730) * interval '1 day' - (g % 86400) * interval '1 second'
		FROM generate_series(1, ${CUSTOMERS}) g`);
	// Two subscriptions per customer, to two different services, on plans of every tier.
	await run(`
		WITH customers AS (SELECT id, created_at, row_number() OVER (ORDER BY id) AS n FROM users WHERE email LIKE 'bench%'),
		catalog AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM services),
		plans AS (SELECT id, service_id, monthly_price, row_number() OVER (PARTITION BY service_id ORDER BY plan_type) - 1 AS t FROM service_plans),
		picks AS (
			SELECT c.id AS user_id, c.n, j, c.created_at, p.id AS plan_id, p.service_id, p.monthly_price,
				least(now() - interval '1 hour', c.created_at + ((c.n * 13 + j * 101) % 60) * interval '1 day') AS started
			FROM customers c CROSS JOIN generate_series(0, 1) j
			JOIN catalog s ON s.k = (c.n + j) % (SELECT count(*) FROM services)
			JOIN plans p ON p.service_id = s.id AND p.t = (c.n + j) % 4
		)
		INSERT INTO subscriptions (user_id, service_id, plan_id, status, start_date, current_period_start, end_date, monthly_price, suspended_at, created_at)
		SELECT user_id, service_id, plan_id, status::subscription_status, started, started, end_date, monthly_price,
			CASE WHEN status = 'SUSPENDED' THEN started + interval '20 days' END, started
		FROM (
			SELECT *, CASE (n + j) % 20 WHEN 0 THEN 'SUSPENDED' WHEN 1 THEN 'CANCELLED' WHEN 2 THEN 'CANCELLED' WHEN 3 THEN 'EXPIRED'
				WHEN 4 THEN 'EXPIRED' WHEN 5 THEN 'CANCELLED' ELSE 'ACTIVE' END AS status,
				CASE WHEN (n + j) % 20 BETWEEN 1 AND 5 THEN started + interval '1 month' ELSE now() + ((n % 28) + 1) * interval '1 day' END AS end_date
			FROM picks
		) chosen`);
	// The ledger: a first charge per subscription, renewals, upgrades, refunds and top-ups.
	await run(`
		INSERT INTO transactions (user_id, type, status, amount, balance_before, balance_after, payment_method, subscription_id,
			description, metadata, idempotency_key, created_at, completed_at)
		SELECT s.user_id, 'SUBSCRIPTION', 'COMPLETED', -s.monthly_price, 0, -s.monthly_price, 'CREDIT', s.id, 'Bench charge',
			jsonb_build_object('planId', s.plan_id), 'bench-charge:' || s.id, s.start_date, s.start_date
		FROM subscriptions s`);
	const charges = 2 * CUSTOMERS;
	const renewals = 20_000;
	const upgrades = 5_000;
	const refunds = 5_000;
	const topUps = LEDGER_ROWS - charges - renewals - upgrades - refunds;
	await run(`
		INSERT INTO transactions (user_id, type, status, amount, balance_before, balance_after, payment_method, subscription_id,
			description, metadata, idempotency_key, created_at, completed_at)
		SELECT s.user_id, 'SUBSCRIPTION', 'COMPLETED', -s.monthly_price, 0, -s.monthly_price, 'CREDIT', s.id, 'Bench renewal',
			jsonb_build_object('planId', s.plan_id), 'bench-renewal:' || s.id || ':' || g, at, at
		FROM (SELECT s.*, row_number() OVER (ORDER BY s.id) AS n FROM subscriptions s) s
		JOIN generate_series(1, ${renewals}) g ON s.n = (g % ${charges}) + 1
		CROSS JOIN LATERAL (SELECT least(now(), s.start_date + (1 + g / ${charges}) * interval '1 month') AS at) t`);
	await run(`
		INSERT INTO transactions (user_id, type, status, amount, balance_before, balance_after, payment_method, subscription_id,
			description, metadata, idempotency_key, created_at, completed_at)
		SELECT s.user_id, CASE WHEN g <= ${upgrades} THEN 'UPGRADE' ELSE 'REFUND' END::transaction_type, 'COMPLETED',
			CASE WHEN g <= ${upgrades} THEN -10000 ELSE 5000 END, 0, CASE WHEN g <= ${upgrades} THEN -10000 ELSE 5000 END,
			'CREDIT', s.id, 'Bench change',
			CASE WHEN g <= ${upgrades}
				THEN jsonb_build_object('upgradeId', 'bench-' || g, 'toPlanId', s.plan_id, 'fromPlanId', s.plan_id, 'fromMonthlyPrice', 0, 'toMonthlyPrice', s.monthly_price)
				ELSE '{}'::jsonb END,
			'bench-change:' || g, s.start_date + interval '3 days', s.start_date + interval '3 days'
		FROM (SELECT s.*, row_number() OVER (ORDER BY s.id) AS n FROM subscriptions s) s
		JOIN generate_series(1, ${upgrades + refunds}) g ON s.n = g`);
	await run(`
		INSERT INTO transactions (user_id, type, status, amount, balance_before, balance_after, payment_method, order_id,
			description, idempotency_key, created_at, completed_at)
		SELECT u.id, 'TOP_UP', status::transaction_status, 10000 * (1 + g % 50),
			CASE WHEN status = 'COMPLETED' THEN 0 END, CASE WHEN status = 'COMPLETED' THEN 10000 * (1 + g % 50) END,
			(ARRAY['MIDTRANS_BANK_TRANSFER', 'MIDTRANS_E_WALLET', 'MIDTRANS_QRIS', 'MIDTRANS_CREDIT_CARD'])[1 + g % 4]::payment_method,
			'TXMP-BENCH-' || g, 'Bench top-up', 'bench-topup:' || g, at, CASE WHEN status = 'COMPLETED' THEN at + interval '5 minutes' END
		FROM generate_series(1, ${topUps}) g
		JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE email LIKE 'bench%') u ON u.n = (g % ${CUSTOMERS}) + 1
		CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 = 0 THEN 'FAILED' WHEN g % 10 = 1 THEN 'PENDING' ELSE 'COMPLETED' END AS status,
			now() - ((g * 17) % 730) * interval '1 day' - (g % 86400) * interval '1 second' AS at) t`);
	// Apps, their status history, notifications of the webhook, the audit log, slot snapshots.
	await run(`
		INSERT INTO service_instances (subscription_id, user_id, name, subdomain, namespace, status, status_reason, health_status, created_at)
		SELECT s.id, s.user_id, 'Bench app', 'bench-' || replace(s.id::text, '-', ''), 'user-' || s.user_id,
			CASE s.status WHEN 'ACTIVE' THEN (CASE WHEN random() < 0.03 THEN 'ERROR' ELSE 'RUNNING' END)
				WHEN 'SUSPENDED' THEN 'SUSPENDED' ELSE 'TERMINATED' END::instance_status,
			NULL, CASE WHEN random() < 0.05 THEN 'failing' ELSE 'healthy' END, s.start_date
		FROM subscriptions s`);
	await run(`
		INSERT INTO instance_events (instance_id, service_id, previous_status, previous_since, status, reason, created_at)
		SELECT i.id, s.service_id, e.previous::instance_status, i.created_at + e.since, e.status::instance_status, e.reason,
			i.created_at + e.after
		FROM service_instances i JOIN subscriptions s ON s.id = i.subscription_id
		CROSS JOIN LATERAL (VALUES
			('PENDING', 'PROVISIONING', NULL, interval '0 seconds', interval '2 seconds'),
			('PROVISIONING', 'RUNNING', NULL, interval '2 seconds', interval '40 seconds'),
			('RUNNING', 'STOPPING', NULL, interval '40 seconds', interval '3 days'),
			('STOPPING', 'STOPPED', NULL, interval '3 days', interval '3 days 10 seconds'),
			('STOPPED', 'STARTING', NULL, interval '3 days 10 seconds', interval '4 days'),
			('STARTING', 'ERROR', 'Back-off restarting failed container', interval '4 days', interval '4 days 30 seconds')
		) AS e(previous, status, reason, since, after)
		WHERE i.status <> 'TERMINATED' OR e.previous IN ('PENDING', 'PROVISIONING')`);
	await run(`
		INSERT INTO payment_events (order_id, transaction_id, transaction_status, signature_valid, outcome, payload, received_at)
		SELECT t.order_id, t.id, 'settlement', true,
			(ARRAY['credited', 'ignored_duplicate', 'ignored_stale', 'rejected_signature', 'amount_mismatch'])[1 + (row_number() OVER (ORDER BY t.id))::int % 5],
			'{}'::jsonb, t.created_at
		FROM transactions t WHERE t.type = 'TOP_UP'`);
	await run(`
		INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details, created_at)
		SELECT (SELECT id FROM users WHERE role = 'ADMINISTRATOR' LIMIT 1),
			(ARRAY['subscription.extend', 'wallet.adjustment.credit', 'user.block', 'catalog.plan.update', 'job.retry'])[1 + g % 5],
			(ARRAY['subscription', 'user', 'user', 'service_plan', 'job'])[1 + g % 5], s.id::text, '{}'::jsonb,
			now() - (g % 730) * interval '1 day'
		FROM generate_series(1, 30000) g
		JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM subscriptions) s ON s.n = (g % ${charges}) + 1`);
	await run(`
		INSERT INTO plan_slot_snapshots (day, plan_id, total_quota, used_quota)
		SELECT d::date, p.id, p.total_quota, (p.total_quota * random())::int
		FROM generate_series(current_date - 729, current_date, interval '1 day') d CROSS JOIN service_plans p`);
	await run('ANALYZE');
	const [{ rows }] = (await runtime.db.execute<{ rows: number }>(sql`SELECT count(*)::int AS rows FROM transactions`)).rows.map(
		(row) => ({ rows: row.rows })
	);
	expect(rows).toBe(LEDGER_ROWS);
}
