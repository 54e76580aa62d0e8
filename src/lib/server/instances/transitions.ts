// Which control action an instance allows in which status, and the status it passes
// through. Pure, so the rules read (and are tested) in one place.
import type { InstanceStatus, SubscriptionStatus } from '../db/schema';

export type InstanceAction = 'stop' | 'start' | 'restart' | 'retry' | 'repair';

type Rule = { from: readonly InstanceStatus[]; via: InstanceStatus; verb: string };

const rules: Record<InstanceAction, Rule> = {
	stop: { from: ['RUNNING'], via: 'STOPPING', verb: 'stopped' },
	start: { from: ['STOPPED'], via: 'STARTING', verb: 'started' },
	restart: { from: ['RUNNING'], via: 'RESTARTING', verb: 'restarted' },
	retry: { from: ['ERROR', 'TERMINATED'], via: 'PENDING', verb: 'set up again' },
	// A paid app whose objects went missing (or broke) gets them applied again.
	repair: { from: ['ERROR'], via: 'STARTING', verb: 'repaired' }
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

export type ActionCheck = { allowed: true; via: InstanceStatus } | { allowed: false; reason: string };

const describe = (status: InstanceStatus) => status.toLowerCase().replace(/_/g, ' ');

export function checkAction(
	action: InstanceAction,
	instance: { status: InstanceStatus },
	subscription: { status: SubscriptionStatus }
): ActionCheck {
	const rule = rules[action];
	if (['CANCELLED', 'EXPIRED'].includes(subscription.status)) {
		return { allowed: false, reason: 'The subscription of this app has ended.' };
	}
	if (subscription.status === 'SUSPENDED') {
		return { allowed: false, reason: 'The subscription is suspended; the app cannot be controlled until it is resumed.' };
	}
	if (BUSY_STATUSES.includes(instance.status)) {
		return { allowed: false, reason: `The app is ${describe(instance.status)}; wait until that has finished.` };
	}
	if (action !== 'retry' && subscription.status === 'PENDING_PAYMENT') {
		return { allowed: false, reason: 'This subscription is unpaid; retry the set-up instead.' };
	}
	if (!rule.from.includes(instance.status)) {
		return {
			allowed: false,
			reason: `An app that is ${describe(instance.status)} cannot be ${rule.verb}${
				action === 'retry' ? ': only a failed or removed app can be set up again' : ''
			}.`
		};
	}
	return { allowed: true, via: rule.via };
}

/** Every action with whether it is allowed now (for buttons and their tooltips). */
export function availableActions(instance: { status: InstanceStatus }, subscription: { status: SubscriptionStatus }) {
	return Object.fromEntries(
		(Object.keys(rules) as InstanceAction[]).map((action) => {
			const check = checkAction(action, instance, subscription);
			return [action, check.allowed ? { allowed: true, reason: null } : { allowed: false, reason: check.reason }];
		})
	) as Record<InstanceAction, { allowed: boolean; reason: string | null }>;
}
