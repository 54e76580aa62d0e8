// Which control action an instance allows in which status, and the status it passes
// through. Pure, so the rules read (and are tested) in one place.
import type { InstanceStatus, SubscriptionStatus } from '../db/schema';
import { statusLabel } from '$lib/format';
import { m } from '$lib/paraglide/messages';
import { render, say, sayIn, type Sentence } from '../sentences';

export type InstanceAction = 'stop' | 'start' | 'restart' | 'retry' | 'repair';

type StatusMessage = (inputs: { status: string }, options?: { locale?: 'id' | 'en' }) => string;
type Rule = { from: readonly InstanceStatus[]; via: InstanceStatus; refusal: StatusMessage };

const rules: Record<InstanceAction, Rule> = {
	stop: { from: ['RUNNING'], via: 'STOPPING', refusal: m.srv2_action_cannot_stop },
	start: { from: ['STOPPED'], via: 'STARTING', refusal: m.srv2_action_cannot_start },
	restart: { from: ['RUNNING'], via: 'RESTARTING', refusal: m.srv2_action_cannot_restart },
	retry: { from: ['ERROR', 'TERMINATED'], via: 'PENDING', refusal: m.srv2_action_cannot_retry },
	// A paid app whose objects went missing (or broke) gets them applied again.
	repair: { from: ['ERROR'], via: 'STARTING', refusal: m.srv2_action_cannot_repair }
};

/** Statuses in which a job is working on the instance. */
export const BUSY_STATUSES: readonly InstanceStatus[] = [
	'PENDING',
	'PROVISIONING',
	'STOPPING',
	'STARTING',
	'RESTARTING',
	'UPDATING',
	'TERMINATING'
];

export type ActionCheck = { allowed: true; via: InstanceStatus } | { allowed: false; reason: Sentence };

/** A refusal naming the instance's status in the sentence's language ("running", "berjalan"). */
const withStatus = (message: StatusMessage, status: InstanceStatus) =>
	sayIn(message, (locale) => ({ status: statusLabel(status, locale).toLowerCase() }));

export function checkAction(
	action: InstanceAction,
	instance: { status: InstanceStatus },
	subscription: { status: SubscriptionStatus }
): ActionCheck {
	const rule = rules[action];
	if (['CANCELLED', 'EXPIRED'].includes(subscription.status)) {
		return { allowed: false, reason: say(m.srv2_action_subscription_ended) };
	}
	if (subscription.status === 'SUSPENDED') {
		return { allowed: false, reason: say(m.srv2_action_suspended) };
	}
	if (BUSY_STATUSES.includes(instance.status)) {
		return { allowed: false, reason: withStatus(m.srv2_action_busy, instance.status) };
	}
	if (action !== 'retry' && subscription.status === 'PENDING_PAYMENT') {
		return { allowed: false, reason: say(m.srv2_action_unpaid) };
	}
	if (!rule.from.includes(instance.status)) {
		return { allowed: false, reason: withStatus(rule.refusal, instance.status) };
	}
	return { allowed: true, via: rule.via };
}

/** Every action with whether it is allowed now (for buttons and their tooltips, in the request's language). */
export function availableActions(instance: { status: InstanceStatus }, subscription: { status: SubscriptionStatus }) {
	return Object.fromEntries(
		(Object.keys(rules) as InstanceAction[]).map((action) => {
			const check = checkAction(action, instance, subscription);
			return [action, check.allowed ? { allowed: true, reason: null } : { allowed: false, reason: render(check.reason) }];
		})
	) as Record<InstanceAction, { allowed: boolean; reason: string | null }>;
}

/**
 * What a retry takes from the customer's credit now. A set-up that failed for good refunded
 * its period and left the subscription unpaid (PENDING_PAYMENT), so retrying it charges a
 * fresh month at the plan's price (a grant nothing); a retry of a paid app charges nothing.
 * The retry dialog shows this figure and repayForRetry charges it.
 */
export function retryCharge(
	subscription: { status: SubscriptionStatus; isGrant: boolean },
	plan: { monthlyPrice: number }
): number {
	return subscription.status === 'PENDING_PAYMENT' && !subscription.isGrant ? plan.monthlyPrice : 0;
}
