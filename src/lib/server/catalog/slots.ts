import type { ServicePlan } from '../db/schema';

/** Slots left on a plan; never negative. */
export function availableSlots(plan: Pick<ServicePlan, 'totalQuota' | 'usedQuota'>): number {
	return Math.max(0, plan.totalQuota - plan.usedQuota);
}
