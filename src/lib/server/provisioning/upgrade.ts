// Applying a subscription's new plan to its app after an upgrade, and reporting back.
import { eq } from 'drizzle-orm';
import { servicePlans } from '../db/schema';
import { planAsSold } from '../catalog/plan-terms';
import { ClusterError } from '../kube/errors';
import { planResources } from '../kube/instance-objects';
import type { KubeManifest } from '../kube/manifests';
import { instanceNames } from '../kube/names';
import type { Runtime } from '../runtime';
import { completeUpgrade, rollbackUpgrade } from '../subscriptions/upgrade';
import { updateInstance } from '../instances/state';
import { isTransient, reasonOf, type Attempt } from './attempts';
import { loadInstance } from './job-data';
import { manifestsFor, rolloutLimits } from './objects';

/**
 * Applies the subscription's new plan after an upgrade (resources, quota, volume) and
 * reports back: completeUpgrade on success, rollbackUpgrade (refund, slots and plan
 * restored, the app back on the old resources) on failure.
 */
export async function applyUpgrade(
	runtime: Runtime,
	input: { subscriptionId: string; instanceId: string; upgradeId: string },
	attempt: Attempt = { final: true }
) {
	const { cluster, db } = runtime;
	const loaded = await loadInstance(db, input.instanceId);
	if (!loaded || loaded.subscription.status !== 'PENDING_UPGRADE') return { outcome: 'skipped' as const };
	const names = instanceNames(loaded.instance);
	const deployment = await cluster.getDeployment(names.namespace, names.deployment).catch((error) => {
		if (isTransient(error) && !attempt.final) throw error;
		return undefined;
	});
	const stopped = (deployment?.spec?.replicas ?? 1) === 0;
	const settled = stopped ? ('STOPPED' as const) : ('RUNNING' as const);

	try {
		if (!deployment) throw new ClusterError('The app is not on the cluster', { reason: 'NotFound' });
		const manifests = await manifestsFor(runtime, loaded, loaded.plan, { stopped });
		for (const object of manifests.objects) await cluster.apply<KubeManifest>(object);
		const rollout = stopped ? undefined : await cluster.waitForRollout(names.namespace, names.deployment, rolloutLimits(runtime));
		await completeUpgrade(db, { subscriptionId: input.subscriptionId, upgradeId: input.upgradeId });
		await updateInstance(
			db,
			input.instanceId,
			{ status: settled, statusReason: null, ...(rollout ? { podName: rollout.pods[0] ?? null } : {}) },
			['UPDATING']
		);
		return { outcome: 'upgraded' as const };
	} catch (error) {
		if (isTransient(error) && !attempt.final) throw error;
		const reason = reasonOf(error);
		// Put the old resources back (as they were sold) before giving the old plan back.
		const [previousPlan] = loaded.subscription.previousPlanId
			? await db.select().from(servicePlans).where(eq(servicePlans.id, loaded.subscription.previousPlanId))
			: [];
		const previous = previousPlan && planAsSold(previousPlan, { ...loaded.subscription, planId: previousPlan.id });
		if (previous && deployment) {
			await cluster
				.patchDeploymentResources(names.namespace, names.deployment, planResources(previous))
				.catch((restoreError) => runtime.log.error({ err: restoreError }, 'restoring the previous resources failed'));
		}
		await rollbackUpgrade(db, { subscriptionId: input.subscriptionId, upgradeId: input.upgradeId, reason });
		await updateInstance(db, input.instanceId, { status: settled, statusReason: `Upgrade failed: ${reason}` }, ['UPDATING']);
		return { outcome: 'rolled-back' as const, reason };
	}
}
