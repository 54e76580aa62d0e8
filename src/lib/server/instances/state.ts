// The one way an instance's status and progress change, so that every change reaches
// the live viewers of the instance (published when the transaction commits).
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { inTransaction, type DbOrTx } from '../db/client';
import { instanceEvents, serviceInstances, subscriptions, type InstanceStatus, type ProvisioningStep } from '../db/schema';
import { notifyInstanceSql, publish } from '../events';

type InstanceRow = typeof serviceInstances.$inferInsert;
/** Column values, or SQL computing them from the row (the steps with one changed, say). */
type InstancePatch = { [K in keyof InstanceRow]?: InstanceRow[K] | SQL };

/**
 * Changes an instance and tells every live viewer (delivered when the transaction commits).
 * With `onlyFrom`, the change happens only while the instance is still in one of those
 * statuses, so a job finishing late cannot overwrite what happened meanwhile (an app
 * terminated while it was being provisioned stays terminated). A change of status is kept
 * in `instance_events`, with the status it left.
 */
export async function updateInstance(db: DbOrTx, id: string, patch: InstancePatch, onlyFrom?: readonly InstanceStatus[]) {
	const status = patch.status;
	// A status computed in SQL is not recorded in the history (no caller sets one today).
	if (!status || typeof status !== 'string') return writeInstance(db, id, patch, onlyFrom);
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
	await recordSteps(db, id, [{ step, status, message }]);
}

export type StepEntry = { step: string; status: ProvisioningStep['status']; message?: string };

/**
 * The instance's steps with these entries recorded, as SQL for an update's SET: each entry
 * replaces the step of its name where it is, or is appended after the others.
 */
export function stepsWith(entries: StepEntry[]): SQL {
	const at = new Date().toISOString();
	const json = JSON.stringify(
		entries.map((entry): ProvisioningStep => ({
			step: entry.step,
			status: entry.status,
			at,
			...(entry.message ? { message: entry.message } : {})
		}))
	);
	const steps = serviceInstances.provisioningSteps;
	return sql`(
		(SELECT COALESCE(jsonb_agg(COALESCE(
				(SELECT entry FROM jsonb_array_elements(${json}::jsonb) AS given(entry) WHERE entry->>'step' = item->>'step' LIMIT 1),
				item) ORDER BY position), '[]'::jsonb)
			FROM jsonb_array_elements(${steps}) WITH ORDINALITY AS existing(item, position))
		|| (SELECT COALESCE(jsonb_agg(entry ORDER BY position), '[]'::jsonb)
			FROM jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS added(entry, position)
			WHERE NOT ${steps} @> jsonb_build_array(jsonb_build_object('step', entry->>'step')))
	)`;
}

/**
 * Records several steps' progress in one statement (a step done and the next one started),
 * telling live viewers in the same statement. With `onlyWhile`, only while the instance is
 * still in that status: false when it is not (the work was abandoned, say the app was
 * terminated meanwhile).
 */
export async function recordSteps(db: DbOrTx, id: string, entries: StepEntry[], options: { onlyWhile?: InstanceStatus } = {}) {
	const guard = options.onlyWhile ? sql` AND ${serviceInstances.status} = ${options.onlyWhile}` : sql``;
	const { rows } = await db.execute<{ id: string }>(sql`
		WITH updated AS (
			UPDATE ${serviceInstances}
			SET provisioning_steps = ${stepsWith(entries)}, updated_at = now()
			WHERE ${serviceInstances.id} = ${id}${guard}
			RETURNING ${serviceInstances.id}, ${serviceInstances.userId}
		)
		SELECT updated.id, ${notifyInstanceSql(sql`updated.user_id`, sql`updated.id`)} FROM updated`);
	return rows.length > 0;
}
