import { count, eq, ilike, notInArray, or, sum } from 'drizzle-orm';
import { countListedServices, likePattern } from '../catalog/service';
import type { DbOrTx } from '../db/client';
import { ENDED_SUBSCRIPTION_STATUSES, subscriptions, users } from '../db/schema';
import { toCustomerSummary } from './views';

export async function overview(db: DbOrTx) {
	const [[customers], catalog, [live], [credit]] = await Promise.all([
		db.select({ value: count() }).from(users).where(eq(users.role, 'USER')),
		// Apps in the catalog as customers see it; the others apart.
		countListedServices(db),
		db
			.select({ value: count() })
			.from(subscriptions)
			// Live as the customers list and the catalog count it: every subscription not ended.
			.where(notInArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES])),
		db.select({ value: sum(users.creditBalance) }).from(users)
	]);
	return {
		customers: customers.value,
		services: catalog.listed,
		unlistedServices: catalog.unlisted,
		liveSubscriptions: live.value,
		creditHeld: Number(credit.value ?? 0)
	};
}

/** Customers (and staff) by e-mail or name, for an administrator to act for. */
export async function searchUsers(db: DbOrTx, query: string) {
	const pattern = likePattern(query.trim());
	const rows = await db
		.select({
			id: users.id,
			name: users.name,
			email: users.email,
			role: users.role,
			creditBalance: users.creditBalance,
			totalTopUp: users.totalTopUp,
			totalSpent: users.totalSpent
		})
		.from(users)
		.where(or(ilike(users.email, pattern), ilike(users.name, pattern)))
		.orderBy(users.email)
		.limit(20);
	return rows.map(toCustomerSummary);
}
