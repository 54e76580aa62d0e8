// The one way an instance's status and progress change, so that every change reaches
// the live viewers of the instance (published when the transaction commits).
import { and, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { inTransaction, type DbOrTx } from '../db/client';
import { instanceEvents, serviceInstances, subscriptions, type InstanceStatus, type ProvisioningStep } from '../db/schema';
import { notifyInstanceSql } from '../events';
import { renderInstanceReason, type InstanceReason } from './reasons';

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
export async function updateInstance(db: DbOrTx, id: string, given: InstancePatch, onlyFrom?: readonly InstanceStatus[]) {
	const patch = withReasonText(given);
	const status = patch.status;
	// A status computed in SQL is not recorded in the history (no caller sets one today).
	if (!status || typeof status !== 'string') return writeInstance(db, id, patch, onlyFrom);
	return inTransaction(db, async (tx) => {
		// The status it leaves, read in the same statement from the row locked first: FOR
		// UPDATE waits for a concurrent change and reads its result, so the history never
		// records a status the row had already left.
		// https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE
		const previous = tx
			.select({
				id: sql<string>`${serviceInstances.id}`.as('previous_id'),
				status: sql<InstanceStatus>`${serviceInstances.status}`.as('previous_status'),
				serviceId: sql<string>`${subscriptions.serviceId}`.as('previous_service_id'),
				// When it entered its status: its latest recorded change, else its creation.
				since: sql<Date>`coalesce(
					(SELECT max(${instanceEvents.createdAt}) FROM ${instanceEvents} WHERE ${instanceEvents.instanceId} = ${serviceInstances.id}),
					${serviceInstances.createdAt}
				)`.as('previous_since')
			})
			.from(serviceInstances)
			.innerJoin(subscriptions, eq(subscriptions.id, serviceInstances.subscriptionId))
			.where(eq(serviceInstances.id, id))
			.for('update', { of: serviceInstances })
			.as('previous');
		const [changed] = await tx
			.update(serviceInstances)
			.set(patch)
			.from(previous)
			.where(and(eq(serviceInstances.id, previous.id), onlyFrom ? inArray(serviceInstances.status, [...onlyFrom]) : undefined))
			.returning({
				instance: getTableColumns(serviceInstances),
				previousStatus: previous.status,
				serviceId: previous.serviceId,
				since: sql<string>`${previous.since}`,
				notified: notifyInstanceSql(sql`${serviceInstances.userId}`, sql`${serviceInstances.id}`)
			});
		if (changed && changed.previousStatus !== status) {
			await tx.insert(instanceEvents).values({
				instanceId: id,
				serviceId: changed.serviceId,
				status,
				previousStatus: changed.previousStatus,
				previousSince: new Date(changed.since),
				reason: patch.statusReason ?? null,
				reasonText: patch.statusReasonText ?? null
			});
		}
		return changed?.instance;
	});
}

/**
 * A reason given as text alone (no key) replaces a keyed one too, so the two columns never
 * tell different stories.
 */
function withReasonText(patch: InstancePatch): InstancePatch {
	return 'statusReason' in patch && !('statusReasonText' in patch) ? { ...patch, statusReasonText: null } : patch;
}

/** Changes the instance and tells its viewers in one statement. */
async function writeInstance(db: DbOrTx, id: string, patch: InstancePatch, onlyFrom?: readonly InstanceStatus[]) {
	const [changed] = await db
		.update(serviceInstances)
		.set(patch)
		.where(and(eq(serviceInstances.id, id), onlyFrom ? inArray(serviceInstances.status, [...onlyFrom]) : undefined))
		.returning({
			instance: getTableColumns(serviceInstances),
			notified: notifyInstanceSql(sql`${serviceInstances.userId}`, sql`${serviceInstances.id}`)
		});
	return changed?.instance;
}

/** Records a provisioning step's progress on the instance (one atomic statement). */
export async function recordStep(
	db: DbOrTx,
	id: string,
	step: string,
	status: ProvisioningStep['status'],
	text?: InstanceReason
) {
	await recordSteps(db, id, [{ step, status, text }]);
}

/** A step's progress; `text` says what it is doing or why it failed, read in each viewer's language. */
export type StepEntry = { step: string; status: ProvisioningStep['status']; text?: InstanceReason };

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
			// The English beside the key, as status reasons keep it (steps from before keys have only it).
			...(entry.text ? { message: renderInstanceReason(entry.text, 'en') ?? entry.text.key, text: entry.text } : {})
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
