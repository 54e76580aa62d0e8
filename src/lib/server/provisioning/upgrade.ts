// Applying a subscription's new plan to its app after an upgrade, and reporting back. The
// backup asked for with the upgrade is waited for first (a failed one rolls the upgrade back
// before anything changed on the cluster). The namespace is sized for the new plan first (from the database, where the subscription is
// already on it), then the app's objects are applied and the rollout job waits for the
// pods. A failure puts the old resources back, rolls the upgrade back in the database and
// then sizes the namespace again from it: quota and limits return to the old plan's.
import { eq } from 'drizzle-orm';
import { backups, servicePlans } from '../db/schema';
import { enqueue } from '../queue';
import { planAsSold } from '../catalog/plan-terms';
import { companionObjects, type KubeManifest } from '../kube/manifests';
import { enforceDomainAllowance } from './domains';
import type { Runtime } from '../runtime';
import { completeUpgrade, rollbackUpgrade } from '../subscriptions/upgrade';
import { updateInstance } from '../instances/state';
import { KnownFailure, failureOf, isTransient, ownFailure, type Attempt, type Failure } from './attempts';
import { instanceReason, statusReason } from '../instances/reasons';
import { loadInstance, type LoadedInstance } from './job-data';
import { manifestsFor, namesOf, prepareNamespace, watchRollout } from './objects';

type UpgradeInput = { subscriptionId: string; instanceId: string; upgradeId: string; backupId?: string };

/** Between two looks at the backup an upgrade waits for (the backup-take job cuts it). */
const BACKUP_LOOK_MS = 1_000;

/**
 * Where the backup taken before an upgrade stands. The new plan is applied only once it is
 * ready, so a bad upgrade can always be undone from it; a failed one (or one deleted
 * meanwhile) stops the upgrade before anything of the new plan reaches the cluster.
 */
async function backupBeforeUpgrade(runtime: Runtime, backupId: string) {
	const [backup] = await runtime.db.select().from(backups).where(eq(backups.id, backupId));
	if (!backup || backup.status === 'DELETED') return { state: 'failed' as const, reason: instanceReason('backup_gone', {}) };
	if (backup.status === 'FAILED') {
		// A backup that failed before error_text existed says it in its stored English.
		const reason = backup.errorText ?? instanceReason('unexpected', { detail: backup.error ?? '' });
		return { state: 'failed' as const, reason };
	}
	return backup.status === 'READY' ? { state: 'ready' as const } : { state: 'waiting' as const };
}

/** Applies the subscription's new plan (resources, quota, volume); the rollout job reports back. */
export async function applyUpgrade(runtime: Runtime, input: UpgradeInput, attempt: Attempt = { final: true }) {
	const { cluster, db } = runtime;
	const loaded = await loadInstance(db, input.instanceId);
	if (!loaded || loaded.subscription.status !== 'PENDING_UPGRADE' || loaded.instance.status !== 'UPDATING') {
		return { outcome: 'skipped' as const };
	}
	if (input.backupId) {
		const backup = await backupBeforeUpgrade(runtime, input.backupId);
		if (backup.state === 'waiting') {
			await updateInstance(db, input.instanceId, statusReason(instanceReason('backup_before_upgrade', {})), ['UPDATING']);
			await enqueue(runtime.boss, 'update-instance-resources', input, { startAfter: new Date(Date.now() + BACKUP_LOOK_MS) });
			return { outcome: 'waiting-for-backup' as const };
		}
		if (backup.state === 'failed') {
			const failure = ownFailure(instanceReason('upgrade_backup_failed_because', { cause: backup.reason }));
			await failUpgrade(runtime, loaded, input, failure);
			return { outcome: 'rolled-back' as const, reason: failure.message };
		}
	}
	const names = namesOf(loaded.instance);
	const deployment = await cluster.getDeployment(names.namespace, names.deployment).catch((error) => {
		if (isTransient(error) && !attempt.final) throw error;
		return undefined;
	});
	const stopped = deployment?.spec?.replicas === 0;
	try {
		if (!deployment) throw new KnownFailure(instanceReason('deployment_missing', {}));
		if ((await prepareNamespace(runtime, loaded.instance, names.namespace)) !== 'ready') {
			throw new KnownFailure(instanceReason('namespace_deleting', {}));
		}
		const manifests = await manifestsFor(runtime, loaded, loaded.plan, { stopped });
		for (const object of appObjectsOf(manifests)) await cluster.apply<KubeManifest>(object);
		if (stopped) return await finishUpgrade(runtime, loaded, input, []);
		await watchRollout(runtime, { instanceId: input.instanceId, operation: 'upgrade', upgrade: input });
		return { outcome: 'applied' as const };
	} catch (error) {
		if (isTransient(error) && !attempt.final) throw error;
		const failure = failureOf(error);
		await failUpgrade(runtime, loaded, input, failure);
		return { outcome: 'rolled-back' as const, reason: failure.message };
	}
}

// The companion database first: it is resized from the new plan too (its Deployment's
// resources and its volume claim).
const appObjectsOf = (manifests: Awaited<ReturnType<typeof manifestsFor>>) =>
	[
		...companionObjects(manifests),
		manifests.secret,
		manifests.configMap,
		manifests.persistentVolumeClaim,
		manifests.deployment,
		manifests.service,
		manifests.ingress
	] as KubeManifest[];

/** The new plan is live: release the old slot, activate, and the app settles. */
export async function finishUpgrade(runtime: Runtime, loaded: LoadedInstance, input: UpgradeInput, pods: string[]) {
	await completeUpgrade(runtime.db, { subscriptionId: input.subscriptionId, upgradeId: input.upgradeId });
	const names = namesOf(loaded.instance);
	const deployment = await runtime.cluster.getDeployment(names.namespace, names.deployment);
	const stopped = deployment?.spec?.replicas === 0;
	await updateInstance(
		runtime.db,
		input.instanceId,
		{ status: stopped ? 'STOPPED' : 'RUNNING', statusReason: null, ...(stopped ? {} : { podName: pods[0] ?? null }) },
		['UPDATING']
	);
	// The new plan may allow fewer custom domains than the app has.
	await enforceDomainAllowance(runtime, input.instanceId);
	return { outcome: 'upgraded' as const };
}

/**
 * The new plan could not be applied: the app gets the old plan's resources back, the
 * upgrade is rolled back (refund, slots, plan), and the namespace is sized for the old plan.
 */
export async function failUpgrade(runtime: Runtime, loaded: LoadedInstance, input: UpgradeInput, failure: Failure) {
	const reason = failure.message;
	const { cluster, db } = runtime;
	const names = namesOf(loaded.instance);
	const [previousPlan] = loaded.subscription.previousPlanId
		? await db.select().from(servicePlans).where(eq(servicePlans.id, loaded.subscription.previousPlanId))
		: [];
	// The old resources as they were sold to this subscriber.
	const previous = previousPlan && planAsSold(previousPlan, { ...loaded.subscription, planId: previousPlan.id });
	const deployment = await cluster.getDeployment(names.namespace, names.deployment).catch(() => undefined);
	const stopped = deployment?.spec?.replicas === 0;
	if (previous && deployment) {
		try {
			const manifests = await manifestsFor(runtime, loaded, previous, { stopped });
			// A volume claim cannot shrink: the database keeps its grown volume, and gets its old CPU and memory back.
			if (manifests.companion) await cluster.apply<KubeManifest>(manifests.companion.deployment);
			await cluster.apply<KubeManifest>(manifests.deployment);
		} catch (restoreError) {
			runtime.log.error({ err: restoreError, instanceId: input.instanceId }, 'restoring the previous resources failed');
		}
	}
	await rollbackUpgrade(db, {
		subscriptionId: input.subscriptionId,
		upgradeId: input.upgradeId,
		reason,
		why: failure.text,
		now: runtime.clock.now()
	});
	await prepareNamespace(runtime, loaded.instance, names.namespace).catch((error) =>
		runtime.log.error({ err: error, instanceId: input.instanceId }, 'restoring the namespace quota failed')
	);
	await updateInstance(
		db,
		input.instanceId,
		{ status: stopped ? 'STOPPED' : 'RUNNING', ...statusReason(instanceReason('upgrade_failed', { cause: failure.text })) },
		['UPDATING']
	);
}
