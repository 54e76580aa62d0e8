// An administrator's restore of a terminated app from the backup taken before its
// termination (kept 7 days: rules.ts). The app is created again as a granted subscription
// (no charge; the same service and plan; a slot taken again) whose set-up makes its claims
// from the backup's snapshots (provisioning/restored-volumes.ts); the owner is told when it
// runs, and the backup is released then.
import { and, desc, eq, gt, inArray, notExists, notInArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { ENDED_SUBSCRIPTION_STATUSES } from '$lib/statuses';
import { m } from '$lib/paraglide/messages';
import type { DbOrTx } from '../db/client';
import { backups, serviceInstances, services, subscriptions, users } from '../db/schema';
import { audit } from '../audit/service';
import { availableSlots } from '../catalog/service';
import { customerAlreadySubscribed, invalidState, notFound, quotaExceeded } from '../errors';
import type { Runtime } from '../runtime';
import { openSecrets, sealSecrets } from '../secrets/instance-secrets';
import { say } from '../sentences';
import { createSubscription } from '../subscriptions/subscribe';
import { liveSubscriptionFor, loadPlan } from '../subscriptions/queries';
import type { RestoreActor } from './restore';
import { TERMINATION_BACKUP_DAYS } from './rules';
import { toRestorableTermination } from './views';

/** An app already being restored from a backup (or running on it, until the backup is released). */
const restoredApps = alias(serviceInstances, 'restored_apps');

/** The termination backups an administrator can restore from now: ready, unexpired, their app terminated, not in use. */
function restorableWhere(db: DbOrTx, now: Date) {
	const inUse = db
		.select({ id: restoredApps.id })
		.from(restoredApps)
		.where(and(eq(restoredApps.restoredFromBackupId, backups.id), notInArray(restoredApps.status, ['TERMINATED', 'ERROR'])));
	return and(
		notExists(inUse),
		eq(backups.kind, 'BEFORE_TERMINATION'),
		eq(backups.status, 'READY'),
		eq(backups.readyToUse, true),
		gt(backups.expiresAt, now),
		eq(serviceInstances.status, 'TERMINATED'),
		inArray(subscriptions.status, [...ENDED_SUBSCRIPTION_STATUSES])
	);
}

const restorableColumns = {
	backupId: backups.id,
	subscriptionId: subscriptions.id,
	instanceId: serviceInstances.id,
	name: serviceInstances.name,
	userId: subscriptions.userId,
	customer: users.name,
	service: services.name,
	terminatedAt: backups.createdAt,
	expiresAt: backups.expiresAt
};

const restorableQuery = (db: DbOrTx) =>
	db
		.select(restorableColumns)
		.from(backups)
		.innerJoin(serviceInstances, eq(backups.instanceId, serviceInstances.id))
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.innerJoin(users, eq(subscriptions.userId, users.id));

/** Every terminated app that can be restored now (at most a week's terminations), newest first; of one customer when given. */
export async function listRestorableTerminations(runtime: Runtime, filter: { userId?: string } = {}) {
	const rows = await restorableQuery(runtime.db)
		.where(
			and(restorableWhere(runtime.db, runtime.clock.now()), filter.userId ? eq(subscriptions.userId, filter.userId) : undefined)
		)
		.orderBy(desc(backups.createdAt));
	// expiresAt is set on every termination backup (and checked above).
	return rows.map((row) => toRestorableTermination({ ...row, expiresAt: row.expiresAt! }));
}

/** The terminated subscription's restorable backup, or the refusal that says why there is none. */
async function restorableBackupOf(runtime: Runtime, subscriptionId: string) {
	const [subscription] = await runtime.db.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId));
	if (!subscription) throw notFound('Subscription');
	const [instance] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.subscriptionId, subscriptionId));
	if (!instance || instance.status !== 'TERMINATED' || !ENDED_SUBSCRIPTION_STATUSES.some((s) => s === subscription.status)) {
		throw invalidState(say(m.rst2_not_terminated));
	}
	// Named first: while this app is being restored, its new subscription is what stands in the way.
	// Told to the administrator, as a grant's refusal is: it is the customer who has the app.
	const existing = await liveSubscriptionFor(runtime.db, subscription.userId, subscription.serviceId);
	if (existing) {
		const [service] = await runtime.db
			.select({ name: services.name })
			.from(services)
			.where(eq(services.id, subscription.serviceId));
		throw customerAlreadySubscribed(existing.id, service.name);
	}
	const [row] = await restorableQuery(runtime.db)
		.where(and(restorableWhere(runtime.db, runtime.clock.now()), eq(subscriptions.id, subscriptionId)))
		.orderBy(desc(backups.createdAt))
		.limit(1);
	if (!row) throw invalidState(say(m.rst2_no_termination_backup, { days: TERMINATION_BACKUP_DAYS }));
	return { subscription, instance, backupId: row.backupId };
}

/**
 * Restores a terminated app from its termination backup as a granted subscription on the
 * same plan (a slot taken again; refused when the plan is sold out or the customer has a
 * live subscription of that service). The app keeps its generated secrets, so its restored
 * database still accepts them. Audited with the reason and the backup.
 */
export async function restoreTerminatedApp(
	runtime: Runtime,
	admin: RestoreActor,
	input: { subscriptionId: string; reason: string }
) {
	const { subscription, instance, backupId } = await restorableBackupOf(runtime, input.subscriptionId);
	const { plan, service } = await loadPlan(runtime.db, subscription.planId);
	if (availableSlots(plan) === 0) throw quotaExceeded(plan.id);
	return runtime.db.transaction(async (tx) => {
		// Locked, and looked at again: it may have expired or been used since.
		const [backup] = await tx.select().from(backups).where(eq(backups.id, backupId)).for('update');
		if (backup?.status !== 'READY' || !backup.expiresAt || backup.expiresAt <= runtime.clock.now())
			throw invalidState(say(m.rst2_no_termination_backup, { days: TERMINATION_BACKUP_DAYS }));
		const created = await createSubscription(runtime, tx, {
			userId: subscription.userId,
			plan,
			service,
			name: subscription.name ?? instance.name,
			grant: { by: admin.id, months: 1 }
		});
		const secrets = openSecrets(instance.id, instance.generatedSecrets);
		await tx
			.update(serviceInstances)
			.set({
				restoredFromBackupId: backup.id,
				...(secrets ? { generatedSecrets: sealSecrets(created.instance.id, secrets) } : {})
			})
			.where(eq(serviceInstances.id, created.instance.id));
		await audit(tx, {
			actorId: admin.id,
			action: 'backup.restore_terminated',
			entityType: 'subscription',
			entityId: created.subscription.id,
			details: {
				reason: input.reason,
				backupId: backup.id,
				terminatedSubscriptionId: subscription.id,
				terminatedInstanceId: instance.id,
				userId: subscription.userId
			},
			ipAddress: admin.ipAddress ?? null
		});
		return { subscriptionId: created.subscription.id, instanceId: created.instance.id, backupId: backup.id };
	});
}
