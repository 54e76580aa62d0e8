// What a subscriber has of a plan after an administrator changed it. A new price reaches a
// subscriber at their next renewal; new resources, custom domains and backups reach new
// subscriptions and upgrades only, so a running app is never resized (a volume cannot
// shrink) nor loses a domain or its backups behind its owner's back.
// Pure, so renewal, provisioning, domains, backups and the pages read the same rule.
import type { ServicePlan, SoldTerms, Subscription } from '../db/schema';

type Resources = Pick<ServicePlan, 'cpuMilli' | 'memoryMb' | 'storageGb'>;
type Terms = Resources & Pick<ServicePlan, 'customDomainsAllowed' | 'backupSchedule' | 'backupRetention'>;

/** The plan with the terms this subscription was sold (its plan's current ones unless frozen). */
export function planAsSold<P extends Partial<Terms> & { id: string }>(
	plan: P,
	subscription: Pick<Subscription, 'planId' | 'soldTerms'>
): P {
	const sold = subscription.soldTerms;
	if (!sold || sold.planId !== plan.id || subscription.planId !== plan.id) return plan;
	// Only the terms the caller read of the plan: a caller that reads resources gets resources.
	const terms = Object.entries(sold).filter(([key]) => key !== 'planId' && key in plan);
	return { ...plan, ...Object.fromEntries(terms) };
}

/** The terms to keep for a subscriber before its plan's terms change. */
export function soldTermsOf(plan: Terms & { id: string }): SoldTerms {
	return {
		planId: plan.id,
		cpuMilli: plan.cpuMilli,
		memoryMb: plan.memoryMb,
		storageGb: plan.storageGb,
		customDomainsAllowed: plan.customDomainsAllowed,
		backupSchedule: plan.backupSchedule,
		backupRetention: plan.backupRetention
	};
}

const changed = <T extends object>(before: T, after: Partial<T>, keys: (keyof T)[]) =>
	keys.some((key) => after[key] !== undefined && after[key] !== before[key]);

export function resourcesChanged(before: Resources, after: Partial<Resources>): boolean {
	return changed(before, after, ['cpuMilli', 'memoryMb', 'storageGb']);
}

/** Whether an edit changes what the plan sells (what its subscribers keep as they bought it). */
export function termsChanged(before: Terms, after: Partial<Terms>): boolean {
	return resourcesChanged(before, after) || changed(before, after, ['customDomainsAllowed', 'backupSchedule', 'backupRetention']);
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
