// Deletion after suspension for non-payment: MINISPOD_SUSPENDED_RETENTION_DAYS after the
// suspension the subscription is EXPIRED and its app and volume are deleted from the
// cluster, with a warning DELETION_WARNING_DAYS before. Nothing is charged for the time it
// was suspended.
import { and, asc, eq, lte } from 'drizzle-orm';
import { services, subscriptions } from '../db/schema';
import { notify, notifyOnce } from '../notifications/service';
import { asDate, asRupiah } from '../notifications/texts';
import { endReasons, endReasonColumns } from './end-reasons';
import type { Runtime } from '../runtime';
import { endInstances } from './cancel';
import { DAY_MS, DELETION_WARNING_DAYS, deletionAt, deletionWarningAt } from './renewal-rules';
import { loadPlan } from './queries';

const suspendedForNonPayment = and(eq(subscriptions.status, 'SUSPENDED'), eq(subscriptions.suspendedFor, 'NON_PAYMENT'));

/** Tells owners, once per suspension, that their suspended app will be deleted soon. */
export async function warnBeforeDeletion(runtime: Runtime, now = runtime.clock.now()) {
	const retention = runtime.config.billing.suspendedRetentionDays;
	const warnCutoff = new Date(now.getTime() - Math.max(0, retention - DELETION_WARNING_DAYS) * DAY_MS);
	const rows = await runtime.db
		.select({ subscription: subscriptions, serviceName: services.name })
		.from(subscriptions)
		.innerJoin(services, eq(services.id, subscriptions.serviceId))
		.where(and(suspendedForNonPayment, lte(subscriptions.suspendedAt, warnCutoff)));
	let warned = 0;
	for (const { subscription, serviceName } of rows) {
		const suspendedAt = subscription.suspendedAt!;
		const deletion = deletionAt(suspendedAt, retention);
		if (deletionWarningAt(suspendedAt, retention) > now || deletion <= now) continue;
		const { plan } = await loadPlan(runtime.db, subscription.planId);
		const name = subscription.name ?? serviceName;
		const sent = await notifyOnce(runtime.db, `deletion-warning:${subscription.id}:${suspendedAt.toISOString()}`, {
			userId: subscription.userId,
			type: 'DELETION_WARNING',
			text: {
				key: 'deletion_warning',
				params: { name, date: asDate(deletion), since: asDate(suspendedAt), amount: asRupiah(plan.monthlyPrice) }
			},
			link: `/subscriptions/${subscription.id}`,
			metadata: { subscriptionId: subscription.id, deletionAt: deletion }
		});
		if (sent) warned += 1;
	}
	return { warned };
}

/** Ends subscriptions suspended for non-payment past the retention days and deletes their apps. */
export async function deleteExpiredSuspensions(runtime: Runtime, now = runtime.clock.now()) {
	const retention = runtime.config.billing.suspendedRetentionDays;
	const cutoff = new Date(now.getTime() - retention * DAY_MS);
	const due = await runtime.db
		.select({ id: subscriptions.id })
		.from(subscriptions)
		.where(and(suspendedForNonPayment, lte(subscriptions.suspendedAt, cutoff)))
		.orderBy(asc(subscriptions.suspendedAt));
	let deleted = 0;
	for (const { id } of due) {
		const done = await runtime.db.transaction(async (tx) => {
			const [subscription] = await tx
				.select()
				.from(subscriptions)
				.where(eq(subscriptions.id, id))
				.for('update', { skipLocked: true });
			if (!subscription || subscription.status !== 'SUSPENDED' || subscription.suspendedFor !== 'NON_PAYMENT') return false;
			if (!subscription.suspendedAt || deletionAt(subscription.suspendedAt, retention) > now) return false;
			await tx
				.update(subscriptions)
				.set({ status: 'EXPIRED', autoRenew: false, cancelledAt: now, ...endReasonColumns(endReasons.reason('deleted_unpaid')) })
				.where(eq(subscriptions.id, id));
			await endInstances(runtime, tx, id);
			const { service } = await loadPlan(tx, subscription.planId);
			await notify(tx, {
				userId: subscription.userId,
				type: 'SUBSCRIPTION_DELETED',
				text: { key: 'deleted', params: { name: subscription.name ?? service.name, since: asDate(subscription.suspendedAt) } },
				link: `/subscriptions/${id}`
			});
			return true;
		});
		if (done) deleted += 1;
	}
	return { deleted };
}
