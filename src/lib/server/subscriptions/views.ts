// What customers and administrators see of subscriptions: built here only, never a raw row,
// so a new column is never sent by accident. Procedures declare these schemas with
// `.output()`, which also strips any field a view did not list.
import { z } from 'zod';
import type { ServiceInstance, Service, ServicePlan, Subscription, Transaction } from '../db/schema';
import { planViewSchema } from '../catalog/views';
import { instanceViewSchema, toInstanceView } from '../instances/views';
import { ledgerDescription } from '../wallet/views';
import {
	INSTANCE_STATUSES,
	PLAN_TYPES,
	SUBSCRIPTION_STATUSES,
	TRANSACTION_STATUSES,
	TRANSACTION_TYPES,
	type InstanceStatus,
	type PlanType
} from '$lib/statuses';
import { endReasons } from './end-reasons';
import { endedAt } from './status';
import { sentenceLocale } from '../sentences';

export const subscriptionViewSchema = z.object({
	id: z.string(),
	serviceId: z.string(),
	planId: z.string(),
	name: z.string().nullable(),
	status: z.enum(SUBSCRIPTION_STATUSES),
	startDate: z.date(),
	currentPeriodStart: z.date(),
	endDate: z.date(),
	lastBilled: z.date().nullable(),
	monthlyPrice: z.number(),
	/** A price change announced for the subscriber, from their next renewal. */
	pendingMonthlyPrice: z.number().nullable(),
	pendingPriceFrom: z.date().nullable(),
	lastChargeAmount: z.number().nullable(),
	previousPlanId: z.string().nullable(),
	upgradeDate: z.date().nullable(),
	autoRenew: z.boolean(),
	cancelAtPeriodEnd: z.boolean(),
	cancelledAt: z.date().nullable(),
	/** When it ended (CANCELLED or EXPIRED); null while it is live. */
	endedAt: z.date().nullable(),
	cancelReason: z.string().nullable(),
	gracePeriodEnd: z.date().nullable(),
	suspendedAt: z.date().nullable(),
	/** Why MinisPod staff suspended it, while it is suspended. */
	suspensionNote: z.string().nullable(),
	isGrant: z.boolean(),
	createdAt: z.date(),
	updatedAt: z.date()
});
export type SubscriptionView = z.infer<typeof subscriptionViewSchema>;

export function toSubscriptionView(subscription: Subscription): SubscriptionView {
	return {
		id: subscription.id,
		serviceId: subscription.serviceId,
		planId: subscription.planId,
		name: subscription.name,
		status: subscription.status,
		startDate: subscription.startDate,
		currentPeriodStart: subscription.currentPeriodStart,
		endDate: subscription.endDate,
		lastBilled: subscription.lastBilled,
		monthlyPrice: subscription.monthlyPrice,
		pendingMonthlyPrice: subscription.pendingMonthlyPrice,
		pendingPriceFrom: subscription.pendingPriceFrom,
		lastChargeAmount: subscription.lastChargeAmount,
		previousPlanId: subscription.previousPlanId,
		upgradeDate: subscription.upgradeDate,
		autoRenew: subscription.autoRenew,
		cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
		cancelledAt: subscription.cancelledAt,
		endedAt: endedAt(subscription),
		cancelReason: endReasons.readFor(subscription.cancelReasonText, subscription.cancelReason, sentenceLocale()),
		gracePeriodEnd: subscription.gracePeriodEnd,
		suspendedAt: subscription.suspendedAt,
		suspensionNote: subscription.suspensionNote,
		isGrant: subscription.isGrant,
		createdAt: subscription.createdAt,
		updatedAt: subscription.updatedAt
	};
}

const planRefSchema = z.object({ id: z.string(), name: z.string(), planType: z.enum(PLAN_TYPES) });
const serviceRefSchema = z.object({ id: z.string(), slug: z.string(), name: z.string(), icon: z.string().nullable() });

const planRef = (plan: Pick<ServicePlan, 'id' | 'name' | 'planType'>) => ({
	id: plan.id,
	name: plan.name,
	planType: plan.planType
});
const serviceRef = (service: Pick<Service, 'id' | 'slug' | 'name' | 'icon'>) => ({
	id: service.id,
	slug: service.slug,
	name: service.name,
	icon: service.icon
});

/** What the list shows of a subscription's newest app (the one controls act on). */
const appRefSchema = z.object({ id: z.string(), name: z.string(), status: z.enum(INSTANCE_STATUSES) });

export const subscriptionListItemSchema = subscriptionViewSchema.extend({
	plan: planRefSchema,
	service: serviceRefSchema,
	instance: appRefSchema.nullable()
});
export type SubscriptionListItem = z.infer<typeof subscriptionListItemSchema>;

export function toSubscriptionListItem(
	subscription: Subscription,
	related: {
		plan: Pick<ServicePlan, 'id' | 'name' | 'planType'>;
		service: Pick<Service, 'id' | 'slug' | 'name' | 'icon'>;
		instance: Pick<ServiceInstance, 'id' | 'name' | 'status'> | null;
	}
): SubscriptionListItem {
	const { instance } = related;
	return {
		...toSubscriptionView(subscription),
		plan: planRef(related.plan),
		service: serviceRef(related.service),
		instance: instance ? { id: instance.id, name: instance.name, status: instance.status } : null
	};
}

/** The newest instance of a subscription (the one controls act on), as a view. */
function latestInstance(instances: ServiceInstance[]) {
	const latest = [...instances].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
	return latest ? toInstanceView(latest) : null;
}

const paymentSchema = z.object({
	id: z.string(),
	type: z.enum(TRANSACTION_TYPES),
	status: z.enum(TRANSACTION_STATUSES),
	amount: z.number(),
	description: z.string(),
	createdAt: z.date()
});

export const subscriptionDetailSchema = subscriptionViewSchema.extend({
	plan: planViewSchema,
	service: serviceRefSchema,
	instance: instanceViewSchema.nullable(),
	transactions: z.array(paymentSchema),
	upgradeOptions: z.array(planViewSchema),
	/** What its owner ending it now gets back (an active period's unused paid part), for the dialog. */
	refundIfEndedNow: z.number()
});
export type SubscriptionDetail = z.infer<typeof subscriptionDetailSchema>;

export function toSubscriptionDetail(
	subscription: Subscription,
	related: {
		plan: z.input<typeof planViewSchema>;
		service: Service;
		instances: ServiceInstance[];
		payments: Transaction[];
		upgradeOptions: z.input<typeof planViewSchema>[];
		refundIfEndedNow: number;
	}
): SubscriptionDetail {
	return {
		...toSubscriptionView(subscription),
		plan: related.plan,
		service: serviceRef(related.service),
		instance: latestInstance(related.instances),
		transactions: related.payments.map((t) => ({
			id: t.id,
			type: t.type,
			status: t.status,
			amount: t.amount,
			description: ledgerDescription(t),
			createdAt: t.createdAt
		})),
		upgradeOptions: related.upgradeOptions,
		refundIfEndedNow: related.refundIfEndedNow
	};
}

// -- Administrators ------------------------------------------------------------------------

export const adminSubscriptionItemSchema = subscriptionViewSchema.extend({
	userId: z.string(),
	grantedBy: z.string().nullable(),
	user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
	plan: planRefSchema,
	service: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
	/** The status of its newest app, if it has one. */
	instanceStatus: z.enum(INSTANCE_STATUSES).nullable()
});

export function toAdminSubscriptionItem(
	subscription: Subscription,
	related: {
		user: { id: string; name: string; email: string };
		plan: { id: string; name: string; planType: PlanType };
		service: { id: string; name: string; slug: string };
		instanceStatus: InstanceStatus | null;
	}
): z.infer<typeof adminSubscriptionItemSchema> {
	return {
		...toSubscriptionView(subscription),
		userId: subscription.userId,
		grantedBy: subscription.grantedBy,
		user: { id: related.user.id, name: related.user.name, email: related.user.email },
		plan: planRef(related.plan),
		service: { id: related.service.id, name: related.service.name, slug: related.service.slug },
		instanceStatus: related.instanceStatus
	};
}

export const adminSubscriptionPageSchema = z.object({
	items: z.array(adminSubscriptionItemSchema),
	total: z.number(),
	page: z.number(),
	pageSize: z.number()
});

export const quotaOverviewSchema = z.array(
	z.object({
		service: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
		total: z.number(),
		used: z.number(),
		available: z.number(),
		plans: z.array(
			z.object({
				id: z.string(),
				name: z.string(),
				planType: z.enum(PLAN_TYPES),
				isActive: z.boolean(),
				monthlyPrice: z.number(),
				totalQuota: z.number(),
				usedQuota: z.number(),
				available: z.number(),
				liveSubscriptions: z.number(),
				utilization: z.number()
			})
		)
	})
);
export type QuotaOverview = z.infer<typeof quotaOverviewSchema>;

// -- What actions answer -------------------------------------------------------------------

export const subscribeQuoteSchema = z.object({
	plan: planViewSchema,
	service: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
	price: z.number(),
	balance: z.number(),
	/** None when something stands in the way (a problem): nothing would be charged. */
	balanceAfter: z.number().nullable(),
	slotsLeft: z.number(),
	shortfall: z.number(),
	/** For a customer who joins the waitlist of a sold-out plan: how many hours the offer of a freed slot lasts. */
	waitlistOfferHours: z.number(),
	existingSubscriptionId: z.string().nullable(),
	problem: z.enum(['DUPLICATE_SUBSCRIPTION', 'QUOTA_EXCEEDED', 'INSUFFICIENT_CREDIT']).nullable()
});

export const subscribeResultSchema = z.object({ subscriptionId: z.string(), instanceId: z.string(), subdomain: z.string() });

export const upgradeQuoteSchema = z.object({
	allowed: z.boolean(),
	code: z.string().nullable(),
	reason: z.string().nullable(),
	fromPlan: planRefSchema,
	toPlan: planViewSchema,
	charge: z.number(),
	newMonthlyPrice: z.number(),
	periodEnd: z.date(),
	slotsLeft: z.number(),
	balance: z.number(),
	/** None when the upgrade cannot go ahead. */
	balanceAfter: z.number().nullable(),
	shortfall: z.number(),
	waitlistOfferHours: z.number()
});

export const upgradeResultSchema = z.object({ subscription: subscriptionViewSchema, charge: z.number(), upgradeId: z.string() });

export const cancelResultSchema = z.object({ when: z.enum(['period_end', 'now']), refunded: z.number(), endsAt: z.date() });

export const grantResultSchema = z.object({ subscriptionId: z.string(), instanceId: z.string() });

export const terminateResultSchema = z.object({ refunded: z.number(), instances: z.number() });

/** What terminating a subscription now would refund (the administrator's dialog). */
export const terminationRefundSchema = z.object({ subscriptionId: z.string(), refund: z.number() });

export const setQuotaResultSchema = z.object({ plan: planViewSchema, offered: z.number() });
