// Every kind of notification MinisPod sends, in one list: the type column holds one of these.
export const NOTIFICATION_TYPES = [
	'SUBSCRIPTION_STARTED',
	'SUBSCRIPTION_EXTENDED',
	'SUBSCRIPTION_RENEWED',
	'RENEWAL_NOTICE',
	'LOW_CREDIT',
	'RENEWAL_FAILED',
	'GRACE_REMINDER',
	'GRACE_EXTENDED',
	'RENEWAL_WAIVED',
	'SUBSCRIPTION_SUSPENDED',
	'SUBSCRIPTION_RESUMED',
	'DELETION_WARNING',
	'SUBSCRIPTION_DELETED',
	'SUBSCRIPTION_TERMINATED',
	'SUBSCRIPTION_EXPIRED',
	'UPGRADE_COMPLETED',
	'UPGRADE_FAILED',
	'WAITLIST_SLOT_AVAILABLE',
	'INSTANCE_RUNNING',
	'INSTANCE_FAILED',
	'INSTANCE_ACTION_FAILED',
	'INSTANCE_MISSING',
	'DOMAIN_ACTIVE',
	'DOMAIN_FAILED',
	'BACKUP_FAILED',
	'INSTANCE_RESTORED',
	'RESTORE_FAILED',
	'TOP_UP_COMPLETED',
	'TOP_UP_FAILED',
	'TRANSFER_PROOF_APPROVED',
	'TRANSFER_PROOF_REJECTED',
	'WALLET_ADJUSTED',
	'PLAN_PRICE_CHANGED'
] as const;

export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/**
 * Which notifications are also e-mailed. `essential` ones (money owed, data at risk) go out
 * whatever the customer's mail setting; `optional` ones stop when they turn optional mails
 * off; `null` stays in the app (the start of a subscription is mailed once its app runs,
 * with its address, as INSTANCE_RUNNING).
 */
export const NOTIFICATION_MAIL: Record<NotificationType, 'essential' | 'optional' | null> = {
	SUBSCRIPTION_STARTED: null,
	SUBSCRIPTION_EXTENDED: 'optional',
	SUBSCRIPTION_RENEWED: 'optional',
	RENEWAL_NOTICE: 'optional',
	LOW_CREDIT: 'optional',
	RENEWAL_FAILED: 'essential',
	GRACE_REMINDER: 'essential',
	GRACE_EXTENDED: 'optional',
	RENEWAL_WAIVED: 'optional',
	SUBSCRIPTION_SUSPENDED: 'essential',
	SUBSCRIPTION_RESUMED: 'optional',
	DELETION_WARNING: 'essential',
	SUBSCRIPTION_DELETED: 'essential',
	SUBSCRIPTION_TERMINATED: 'optional',
	SUBSCRIPTION_EXPIRED: 'optional',
	UPGRADE_COMPLETED: 'optional',
	UPGRADE_FAILED: 'optional',
	WAITLIST_SLOT_AVAILABLE: 'optional',
	INSTANCE_RUNNING: 'optional',
	INSTANCE_FAILED: 'optional',
	INSTANCE_ACTION_FAILED: 'optional',
	INSTANCE_MISSING: 'optional',
	DOMAIN_ACTIVE: 'optional',
	DOMAIN_FAILED: 'optional',
	BACKUP_FAILED: 'essential',
	// The app's data came back (or did not): the customer hears of it whatever the mail setting.
	INSTANCE_RESTORED: 'essential',
	RESTORE_FAILED: 'essential',
	PLAN_PRICE_CHANGED: 'essential',
	TOP_UP_COMPLETED: 'optional',
	TOP_UP_FAILED: 'optional',
	TRANSFER_PROOF_APPROVED: 'optional',
	TRANSFER_PROOF_REJECTED: 'optional',
	WALLET_ADJUSTED: 'optional'
};
