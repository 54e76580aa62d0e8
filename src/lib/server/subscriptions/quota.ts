// Plan slots: the hard limit of what the servers can hold. Slots are taken and released
// only with guarded updates inside the caller's transaction; the CHECK constraint
// (0 <= used <= total) backs them up. Each update announces a `catalog` event in the same
// statement, so the catalog cached in every web process (catalog/cache.ts) is dropped when,
// and only if, the slot change commits.
import { and, eq, getTableColumns, gt, lt, sql } from 'drizzle-orm';
import { notifyCatalogSql, publishedLocally } from '../events';
import type { DbOrTx } from '../db/client';
import { servicePlans, type ServicePlan } from '../db/schema';
import { quotaExceeded } from '../errors';

/** Takes one slot of the plan, or fails with QUOTA_EXCEEDED when none is free. */
export async function takeSlot(db: DbOrTx, planId: string): Promise<ServicePlan> {
	const [taken] = await db
		.update(servicePlans)
		.set({ usedQuota: sql`${servicePlans.usedQuota} + 1` })
		.where(and(eq(servicePlans.id, planId), lt(servicePlans.usedQuota, servicePlans.totalQuota)))
		.returning({ ...getTableColumns(servicePlans), notified: notifyCatalogSql() });
	if (!taken) throw quotaExceeded(planId);
	publishedLocally({ type: 'catalog' });
	const { notified: _notified, ...plan } = taken;
	return plan;
}

/** Gives one slot of the plan back. */
export async function releaseSlot(db: DbOrTx, planId: string): Promise<void> {
	const released = await db
		.update(servicePlans)
		.set({ usedQuota: sql`${servicePlans.usedQuota} - 1` })
		.where(and(eq(servicePlans.id, planId), gt(servicePlans.usedQuota, 0)))
		.returning({ id: servicePlans.id, notified: notifyCatalogSql() });
	// A release without a matching take means the books are wrong: fail loudly.
	if (released.length === 0) throw new Error(`No slot of plan ${planId} was held`);
	publishedLocally({ type: 'catalog' });
}
