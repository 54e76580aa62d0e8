// The one way an instance's status and progress change, so that every change reaches
// the live viewers of the instance (published when the transaction commits).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { inTransaction, type DbOrTx } from '../db/client';
import { instanceEvents, serviceInstances, subscriptions, type InstanceStatus, type ProvisioningStep } from '../db/schema';
import { publish } from '../events';

type InstancePatch = Partial<typeof serviceInstances.$inferInsert>;

/**
 * Changes an instance and tells every live viewer (delivered when the transaction commits).
 * With `onlyFrom`, the change happens only while the instance is still in one of those
 * statuses, so a job finishing late cannot overwrite what happened meanwhile (an app
 * terminated while it was being provisioned stays terminated). A change of status is kept
 * in `instance_events`, with the status it left.
 */
export async function updateInstance(db: DbOrTx, id: string, patch: InstancePatch, onlyFrom?: readonly InstanceStatus[]) {
	const status = patch.status;
	if (!status) return writeInstance(db, id, patch, onlyFrom);
	return inTransaction(db, async (tx) => {
		const [current] = await tx
			.select({
				status: serviceInstances.status,
				serviceId: subscriptions.serviceId,
				// When it entered its status: its latest recorded change, else its creation.
				since: sql<Date>`coalesce(
					(SELECT max(${instanceEvents.createdAt}) FROM ${instanceEvents} WHERE ${instanceEvents.instanceId} = ${serviceInstances.id}),
					${serviceInstances.createdAt}
				)`.mapWith(serviceInstances.createdAt)
			})
			.from(serviceInstances)
			.innerJoin(subscriptions, eq(subscriptions.id, serviceInstances.subscriptionId))
			.where(eq(serviceInstances.id, id))
			.for('update', { of: serviceInstances });
		const instance = await writeInstance(tx, id, patch, onlyFrom);
		if (instance && current && current.status !== status) {
			await tx.insert(instanceEvents).values({
				instanceId: id,
				serviceId: current.serviceId,
				status,
				previousStatus: current.status,
				previousSince: current.since,
				reason: patch.statusReason ?? null
			});
		}
		return instance;
	});
}

async function writeInstance(db: DbOrTx, id: string, patch: InstancePatch, onlyFrom?: readonly InstanceStatus[]) {
	const [instance] = await db
		.update(serviceInstances)
		.set(patch)
		.where(
			onlyFrom ? and(eq(serviceInstances.id, id), inArray(serviceInstances.status, [...onlyFrom])) : eq(serviceInstances.id, id)
		)
		.returning();
	if (instance) await publish(db, { type: 'instance', userId: instance.userId, instanceId: instance.id });
	return instance;
}

/** Records a provisioning step's progress on the instance (one atomic statement). */
export async function recordStep(db: DbOrTx, id: string, step: string, status: ProvisioningStep['status'], message?: string) {
	const entry: ProvisioningStep = { step, status, at: new Date().toISOString(), ...(message ? { message } : {}) };
	const json = JSON.stringify(entry);
	const steps = serviceInstances.provisioningSteps;
	const [instance] = await db
		.update(serviceInstances)
		.set({
			provisioningSteps: sql`CASE
				WHEN ${steps} @> ${JSON.stringify([{ step }])}::jsonb
				THEN (SELECT jsonb_agg(CASE WHEN item->>'step' = ${step} THEN ${json}::jsonb ELSE item END ORDER BY position)
					FROM jsonb_array_elements(${steps}) WITH ORDINALITY AS existing(item, position))
				ELSE ${steps} || jsonb_build_array(${json}::jsonb)
			END`
		})
		.where(eq(serviceInstances.id, id))
		.returning({ id: serviceInstances.id, userId: serviceInstances.userId });
	if (instance) await publish(db, { type: 'instance', userId: instance.userId, instanceId: instance.id });
}
