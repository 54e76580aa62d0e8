// Which subscription statuses are live and which hold a plan slot (pure).
import { ENDED_SUBSCRIPTION_STATUSES, SLOT_HOLDING_STATUSES, type Subscription, type SubscriptionStatus } from '../db/schema';

export const isLive = (status: SubscriptionStatus) =>
	!(ENDED_SUBSCRIPTION_STATUSES as readonly SubscriptionStatus[]).includes(status);
export const holdsSlot = (status: SubscriptionStatus) =>
	(SLOT_HOLDING_STATUSES as readonly SubscriptionStatus[]).includes(status);

/**
 * When an ended subscription stopped, null while it is live: the end of its last period, or
 * its cancellation when that came later (an app deleted for an unpaid renewal). A termination
 * moves the end date to the moment it happened (cancel.ts).
 */
export function endedAt(subscription: Pick<Subscription, 'status' | 'endDate' | 'cancelledAt'>): Date | null {
	if (isLive(subscription.status)) return null;
	const { endDate, cancelledAt } = subscription;
	return cancelledAt && cancelledAt > endDate ? cancelledAt : endDate;
}
