// The whole MinisPod product model, one file per area. Later capabilities extend these
// tables rather than reshape them. Money is integer rupiah in `bigint` columns (read as JS
// numbers: every amount MinisPod handles is far below 2^53). drizzle-kit reads this file
// (drizzle.config.ts) and every table it re-exports.
import { sessions, users } from './accounts';
import {
	paymentEvents,
	paymentMethodEnum,
	subscriptionStatusEnum,
	subscriptions,
	suspensionReasonEnum,
	transactionStatusEnum,
	transactionTypeEnum,
	transactions
} from './billing';
import { planTypeEnum, serviceCategories, servicePlans, services } from './catalog';
import { instanceEvents, instanceStatusEnum, instanceUsageSamples, serviceInstances } from './instances';
import { auditLog, mailOutbox, notifications } from './operations';
import { customDomains } from './domains';
import { backups, restores } from './backups';
import { billingProfiles, receipts } from './receipts';

export * from './accounts';
export * from './catalog';
export * from './billing';
export * from './instances';
export * from './operations';
export * from './domains';
export * from './backups';
export * from './receipts';
export { ENDED_SUBSCRIPTION_STATUSES, SLOT_HOLDING_STATUSES } from '../../../statuses';

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ServiceCategory = typeof serviceCategories.$inferSelect;
export type Service = typeof services.$inferSelect;
export type ServicePlan = typeof servicePlans.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Transaction = typeof transactions.$inferSelect;
export type ServiceInstance = typeof serviceInstances.$inferSelect;
export type InstanceUsageSample = typeof instanceUsageSamples.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type MailOutboxRow = typeof mailOutbox.$inferSelect;
export type InstanceEvent = typeof instanceEvents.$inferSelect;
export type AuditLogEntry = typeof auditLog.$inferSelect;
export type PaymentEvent = typeof paymentEvents.$inferSelect;
export type CustomDomain = typeof customDomains.$inferSelect;
export type BillingProfile = typeof billingProfiles.$inferSelect;
export type Receipt = typeof receipts.$inferSelect;
export type CustomDomainStatus = CustomDomain['status'];
export type Backup = typeof backups.$inferSelect;
export type Restore = typeof restores.$inferSelect;
export type PlanType = (typeof planTypeEnum.enumValues)[number];
export type InstanceStatus = (typeof instanceStatusEnum.enumValues)[number];
export type SubscriptionStatus = (typeof subscriptionStatusEnum.enumValues)[number];
export type SuspensionReason = (typeof suspensionReasonEnum.enumValues)[number];
export type TransactionType = (typeof transactionTypeEnum.enumValues)[number];
export type TransactionStatus = (typeof transactionStatusEnum.enumValues)[number];
export type PaymentMethod = (typeof paymentMethodEnum.enumValues)[number];
