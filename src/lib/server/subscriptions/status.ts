// Which subscription statuses are live and which hold a plan slot (pure).
import { ENDED_SUBSCRIPTION_STATUSES, SLOT_HOLDING_STATUSES, type SubscriptionStatus } from '../db/schema';

export const isLive = (status: SubscriptionStatus) =>
	!(ENDED_SUBSCRIPTION_STATUSES as readonly SubscriptionStatus[]).includes(status);
export const holdsSlot = (status: SubscriptionStatus) =>
	(SLOT_HOLDING_STATUSES as readonly SubscriptionStatus[]).includes(status);
