// Looking after customers: the searchable list (balance, live subscriptions, monthly spend)
// and one customer in full (profile, wallet and ledger, subscriptions and apps,
// notifications, and the audit trail of everything done to or by them).
import { and, asc, count, desc, eq, gte, ilike, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import {
	ENDED_SUBSCRIPTION_STATUSES,
	auditLog,
	notifications,
	serviceInstances,
	servicePlans,
	services,
	sessions,
	subscriptions,
	transactions,
	users
} from '../db/schema';
import { notFound } from '../errors';
import { likePattern } from '../catalog/service';
import { effectiveAt } from '../wallet/history';
import { auditNames } from './audit-names';
import type { CustomerListInput } from './schemas';
import {
	toAuditEntry,
	toCustomerNotification,
	toCustomerRow,
	toCustomerSubscription,
	toLedgerRow,
	type CustomerDetail,
	type CustomerList
} from './panel-views';

const LEDGER_PAGE_SIZE = 50;
const ended = sql.join(
	ENDED_SUBSCRIPTION_STATUSES.map((status) => sql`${status}`),
	sql`, `
);

const LIVE = sql`${subscriptions.status} NOT IN (${ended})`;
const PAYING = sql`NOT ${subscriptions.isGrant} AND ${subscriptions.status} NOT IN ('SUSPENDED', 'PENDING_PAYMENT')`;

/**
 * Per customer: how many live subscriptions, what they pay per month for those that are
 * paid and running (not granted, suspended or unpaid), and whether one is past due (its
 * paid period is over while it is still live: in grace, or waiting for payment).
 */
const liveFigures = sql`
	count(*)::int AS live,
	coalesce(sum(${subscriptions.monthlyPrice}) FILTER (WHERE ${PAYING}), 0)::bigint AS spend,
	coalesce(bool_or(${subscriptions.endDate} < now()), false) AS past_due`;

/** The figures of every customer at once: for sorting or filtering by them. */
const allCustomersLive = sql`(
	SELECT ${subscriptions.userId} AS user_id, ${liveFigures}
	FROM ${subscriptions} WHERE ${LIVE} GROUP BY ${subscriptions.userId}
) AS live`;
/** The figures of one customer: for a page sorted by something else (25 index lookups). */
const oneCustomerLive = sql`LATERAL (
	SELECT ${liveFigures} FROM ${subscriptions} WHERE ${subscriptions.userId} = ${users.id} AND ${LIVE}
) AS live`;

const live = {
	count: sql<number>`coalesce(live.live, 0)`,
	spend: sql<number>`coalesce(live.spend, 0)`,
	pastDue: sql<boolean>`coalesce(live.past_due, false)`
};

function userConditions(input: CustomerListInput): (SQL | undefined)[] {
	const conditions: (SQL | undefined)[] = [];
	if (input.q) conditions.push(or(ilike(users.email, likePattern(input.q)), ilike(users.name, likePattern(input.q))));
	if (input.role) conditions.push(eq(users.role, input.role));
	if (input.balanceAbove !== undefined) conditions.push(gte(users.creditBalance, input.balanceAbove));
	if (input.balanceBelow !== undefined) conditions.push(lte(users.creditBalance, input.balanceBelow));
	if (input.filter === 'blocked') conditions.push(eq(users.isActive, false));
	return conditions;
}

function liveConditions(input: CustomerListInput): (SQL | undefined)[] {
	if (input.filter === 'live') return [sql`${live.count} > 0`];
	if (input.filter === 'past_due') return [sql`${live.pastDue}`];
	return [];
}

const SORT_COLUMNS = {
	created: users.createdAt,
	name: users.name,
	email: users.email,
	balance: users.creditBalance,
	live: live.count,
	spend: live.spend
} as const;

export async function listCustomers(db: DbOrTx, input: CustomerListInput): Promise<CustomerList> {
	const byLive = liveConditions(input);
	const needsAll = byLive.length > 0 || input.sort === 'live' || input.sort === 'spend';
	const where = and(...userConditions(input), ...byLive);
	const direction = input.order === 'asc' ? asc : desc;
	// The id breaks ties, so a page never repeats or skips a customer.
	const order = [direction(SORT_COLUMNS[input.sort]), direction(users.id)];
	const counted = needsAll
		? db
				.select({ value: count() })
				.from(users)
				.leftJoin(allCustomersLive, sql`live.user_id = ${users.id}`)
				.where(where)
		: db.select({ value: count() }).from(users).where(where);
	const [rows, [total]] = await Promise.all([
		db
			.select({ user: users, live: live.count, spend: live.spend, pastDue: live.pastDue })
			.from(users)
			.leftJoin(needsAll ? allCustomersLive : oneCustomerLive, needsAll ? sql`live.user_id = ${users.id}` : sql`true`)
			.where(where)
			.orderBy(...order)
			.limit(input.pageSize)
			.offset((input.page - 1) * input.pageSize),
		counted
	]);
	return {
		items: rows.map((row) => toCustomerRow(row.user, { live: row.live, spend: row.spend, pastDue: row.pastDue })),
		total: total.value,
		page: input.page,
		pageSize: input.pageSize
	};
}

export async function getCustomer(db: DbOrTx, userId: string, ledgerPage = 1): Promise<CustomerDetail> {
	const [user] = await db.select().from(users).where(eq(users.id, userId));
	if (!user) throw notFound('Customer');
	const [ledger, [ledgerTotal], subscriptionRows, sent, audit, [sessionCount]] = await Promise.all([
		db
			.select()
			.from(transactions)
			.where(eq(transactions.userId, userId))
			// By when each row took effect, so the balance column reads top to bottom: a top-up or
			// a proof changes the balance when it completes, which may be days after it began.
			.orderBy(desc(effectiveAt), desc(transactions.createdAt), desc(transactions.id))
			.limit(LEDGER_PAGE_SIZE)
			.offset((ledgerPage - 1) * LEDGER_PAGE_SIZE),
		db.select({ value: count() }).from(transactions).where(eq(transactions.userId, userId)),
		customerSubscriptions(db, userId),
		db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt)).limit(50),
		auditTrail(db, userId),
		db
			.select({ value: count() })
			.from(sessions)
			.where(and(eq(sessions.userId, userId), sql`${sessions.expiresAt} > now()`))
	]);
	return {
		profile: {
			id: user.id,
			name: user.name,
			email: user.email,
			phone: user.phone,
			role: user.role,
			blocked: !user.isActive,
			createdAt: user.createdAt,
			activeSessions: sessionCount.value
		},
		wallet: { balance: user.creditBalance, totalTopUp: user.totalTopUp, totalSpent: user.totalSpent },
		ledger: { items: ledger.map(toLedgerRow), total: ledgerTotal.value, page: ledgerPage, pageSize: LEDGER_PAGE_SIZE },
		subscriptions: subscriptionRows,
		notifications: sent.map(toCustomerNotification),
		audit
	};
}

async function customerSubscriptions(db: DbOrTx, userId: string) {
	const rows = await db
		.select({ subscription: subscriptions, plan: servicePlans, service: services })
		.from(subscriptions)
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(eq(subscriptions.userId, userId))
		.orderBy(desc(subscriptions.createdAt));
	const ids = rows.map((row) => row.subscription.id);
	const instances = ids.length
		? await db
				.select()
				.from(serviceInstances)
				.where(inArray(serviceInstances.subscriptionId, ids))
				.orderBy(desc(serviceInstances.createdAt))
		: [];
	return rows.map((row) =>
		toCustomerSubscription(row, instances.find((instance) => instance.subscriptionId === row.subscription.id) ?? null)
	);
}

/** Everything done to or by the customer: as actor, on their account, subscriptions and payments. */
async function auditTrail(db: DbOrTx, userId: string, limit = 100) {
	const actor = { id: users.id, name: users.name, email: users.email };
	// One indexed lookup per kind of target, rather than one scan of the whole log.
	const concerning = sql`(
		SELECT id FROM audit_log WHERE actor_id = ${userId}
		UNION SELECT id FROM audit_log WHERE entity_type = 'user' AND entity_id = ${userId}
		UNION SELECT a.id FROM audit_log a JOIN subscriptions s ON a.entity_type = 'subscription' AND a.entity_id = s.id::text
			WHERE s.user_id = ${userId}
		UNION SELECT a.id FROM audit_log a JOIN transactions t ON a.entity_type = 'transaction' AND a.entity_id = t.id::text
			WHERE t.user_id = ${userId}
	)`;
	const rows = await db
		.select({ entry: auditLog, actor })
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(sql`${auditLog.id} IN ${concerning}`)
		.orderBy(desc(auditLog.createdAt))
		.limit(limit);
	const names = await auditNames(
		db,
		rows.map((row) => row.entry)
	);
	return rows.map((row) => toAuditEntry(row.entry, row.actor?.id ? row.actor : null, names));
}
