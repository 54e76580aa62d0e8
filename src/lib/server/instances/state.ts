// The one way an instance's status and progress change, so that every change reaches
// the live viewers of the instance (published when the transaction commits).
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { serviceInstances, type ProvisioningStep } from '../db/schema';
import { publish } from '../events';

/** Changes an instance and tells every live viewer (delivered when the transaction commits). */
export async function updateInstance(db: DbOrTx, id: string, patch: Partial<typeof serviceInstances.$inferInsert>) {
	const [instance] = await db.update(serviceInstances).set(patch).where(eq(serviceInstances.id, id)).returning();
	if (instance) await publish(db, { type: 'instance', userId: instance.userId, instanceId: instance.id });
	return instance;
}

/** Records a provisioning step's progress on the instance. */
export async function recordStep(db: DbOrTx, id: string, step: string, status: ProvisioningStep['status'], message?: string) {
	const [current] = await db
		.select({ steps: serviceInstances.provisioningSteps })
		.from(serviceInstances)
		.where(eq(serviceInstances.id, id));
	if (!current) return;
	const entry: ProvisioningStep = { step, status, at: new Date().toISOString(), ...(message ? { message } : {}) };
	const steps = current.steps.some((s) => s.step === step)
		? current.steps.map((s) => (s.step === step ? entry : s))
		: [...current.steps, entry];
	await updateInstance(db, id, { provisioningSteps: steps });
}
