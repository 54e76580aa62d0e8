import { count, eq, inArray, sum } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { SLOT_HOLDING_STATUSES, services, subscriptions, users } from '../db/schema';

export async function overview(db: DbOrTx) {
	const [[customers], [serviceCount], [live], [credit]] = await Promise.all([
		db.select({ value: count() }).from(users).where(eq(users.role, 'USER')),
		db.select({ value: count() }).from(services),
		db
			.select({ value: count() })
			.from(subscriptions)
			.where(inArray(subscriptions.status, [...SLOT_HOLDING_STATUSES])),
		db.select({ value: sum(users.creditBalance) }).from(users)
	]);
	return {
		customers: customers.value,
		services: serviceCount.value,
		liveSubscriptions: live.value,
		creditHeld: Number(credit.value ?? 0)
	};
}
