// What a subscriber has of a plan after an administrator changed it. A new price reaches a
// subscriber at their next renewal; new resources reach new subscriptions and upgrades
// only, so a running app is never resized (a volume cannot shrink) behind its owner's back.
// Pure, so renewal, provisioning and the pages read the same rule.
import type { ServicePlan, SoldResources, Subscription } from '../db/schema';

type Resources = Pick<ServicePlan, 'cpuMilli' | 'memoryMb' | 'storageGb'>;

/** The plan with the resources this subscription was sold (its plan's current ones unless frozen). */
export function planAsSold<P extends Resources & { id: string }>(
	plan: P,
	subscription: Pick<Subscription, 'planId' | 'soldResources'>
): P {
	const sold = subscription.soldResources;
	if (!sold || sold.planId !== plan.id || subscription.planId !== plan.id) return plan;
	return { ...plan, cpuMilli: sold.cpuMilli, memoryMb: sold.memoryMb, storageGb: sold.storageGb };
}

/** The resources to keep for a subscriber before its plan's resources change. */
export function soldResourcesOf(plan: Resources & { id: string }): SoldResources {
	return { planId: plan.id, cpuMilli: plan.cpuMilli, memoryMb: plan.memoryMb, storageGb: plan.storageGb };
}

export function resourcesChanged(before: Resources, after: Partial<Resources>): boolean {
	return (
		(after.cpuMilli !== undefined && after.cpuMilli !== before.cpuMilli) ||
		(after.memoryMb !== undefined && after.memoryMb !== before.memoryMb) ||
		(after.storageGb !== undefined && after.storageGb !== before.storageGb)
	);
}

/**
 * The price a renewal charges for the period starting at `periodStart`: a pending price
 * change once its date has come (then it becomes the subscription's monthly price and the
 * pending fields are cleared), else the monthly price the subscriber pays now.
 */
export function priceForPeriod(
	subscription: Pick<Subscription, 'monthlyPrice' | 'pendingMonthlyPrice' | 'pendingPriceFrom'>,
	periodStart: Date
): { price: number; adoptsPendingPrice: boolean } {
	const { pendingMonthlyPrice, pendingPriceFrom } = subscription;
	if (pendingMonthlyPrice !== null && pendingPriceFrom !== null && periodStart.getTime() >= pendingPriceFrom.getTime()) {
		return { price: pendingMonthlyPrice, adoptsPendingPrice: true };
	}
	return { price: subscription.monthlyPrice, adoptsPendingPrice: false };
}
