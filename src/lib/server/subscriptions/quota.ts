// Plan slots: the hard limit of what the servers can hold. Slots are taken and released
// only with guarded updates inside the caller's transaction; the CHECK constraint
// (0 <= used <= total) backs them up.
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { servicePlans, type ServicePlan } from '../db/schema';
import { quotaExceeded } from '../errors';

/** Takes one slot of the plan, or fails with QUOTA_EXCEEDED when none is free. */
export async function takeSlot(db: DbOrTx, planId: string): Promise<ServicePlan> {
	const [plan] = await db
		.update(servicePlans)
		.set({ usedQuota: sql`${servicePlans.usedQuota} + 1` })
		.where(and(eq(servicePlans.id, planId), lt(servicePlans.usedQuota, servicePlans.totalQuota)))
		.returning();
	if (!plan) throw quotaExceeded(planId);
	return plan;
}

/** Gives one slot of the plan back. */
export async function releaseSlot(db: DbOrTx, planId: string): Promise<void> {
	const released = await db
		.update(servicePlans)
		.set({ usedQuota: sql`${servicePlans.usedQuota} - 1` })
		.where(and(eq(servicePlans.id, planId), gt(servicePlans.usedQuota, 0)))
		.returning({ id: servicePlans.id });
	// A release without a matching take means the books are wrong: fail loudly.
	if (released.length === 0) throw new Error(`No slot of plan ${planId} was held`);
}
