// Bringing a new (or retried) app up: the namespace in line with the customer's apps, then
// the app's objects, then the rollout watched by a short job that comes back until the app
// is ready (readiness never holds a worker). Every step converges, so a job may run twice or
// resume after a crash. Outcomes are written back to the instance.
import { eq } from 'drizzle-orm';
import { backups, serviceInstances, type ServiceInstance } from '../db/schema';
import type { DbOrTx } from '../db/client';
import { notify } from '../notifications/service';
import { asDate, asInstanceReason, asRupiah } from '../notifications/texts';
import { enqueue } from '../queue';
import type { Runtime } from '../runtime';
import { releaseAfterFailedProvisioning } from '../subscriptions/outcomes';
import { holdsSlot } from '../subscriptions/status';
import { recordStep, stepsWith, updateInstance } from '../instances/state';
import { ensureGeneratedSecrets } from '../kube/environment';
import { templateSecrets } from '../kube/companion';
import { sealSecrets } from '../secrets/instance-secrets';
import { buildManifests, type Manifests } from '../kube/manifests';
import { instanceNames } from '../kube/names';
import { failureOf, isTransient, ownFailure, type Attempt, type Failure } from './attempts';
import { instanceReason, statusReason, type InstanceReason } from '../instances/reasons';
import { provisioningEnded } from '../metrics';
import { loadInstance, type LoadedInstance } from './job-data';
import {
	LOOK_AGAIN_MS,
	NAMESPACE_STEPS,
	provisioningSteps,
	applyAppObjects,
	deleteAppObjects,
	isNamespaceTerminating,
	prepareNamespace,
	rolloutLimits,
	watchRollout
} from './objects';
import { BackupUnavailable, releaseRestoredBackup, restoredClaimSources, withClaimSources } from './restored-volumes';

/**
 * Provisions an instance up to its rollout: the namespace's shared objects, then the app's
 * objects; the rollout job takes it from there (RUNNING, or ERROR with a refund). While a
 * previous app's namespace is still terminating the job comes back for it, within the
 * provisioning timeout. Failure means ERROR with the cluster's reason, partial objects
 * removed, slot released and the charge refunded. Transient errors rethrow so the queue
 * retries the job, unless this is its final attempt.
 */
export async function provisionInstance(
	runtime: Runtime,
	instanceId: string,
	attempt: Attempt = { final: true },
	options: { deadline?: string } = {}
) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const { instance, subscription } = loaded;
	if (!['PENDING', 'PROVISIONING'].includes(instance.status) || !holdsSlot(subscription.status)) {
		return { outcome: 'skipped' as const, status: instance.status };
	}
	// The first set-up of the app: its objects' names are new, so they can be created at once.
	const fresh = instance.status === 'PENDING' && !instance.deploymentName;
	const deadline = options.deadline ?? new Date(Date.now() + rolloutLimits(runtime).timeoutMs).toISOString();

	try {
		const { secrets, generated } = ensureGeneratedSecrets(templateSecrets(loaded.service), instance.generatedSecrets);
		// The namespace's shared objects come from syncNamespace: these manifests are the app's own.
		const manifests = buildManifests({ ...loaded, settings: runtime.config.kube, secrets, namespaceApps: [] });
		if (!(await startProvisioning(runtime, instance, manifests, generated.length > 0 ? secrets : undefined))) {
			return { outcome: 'skipped' as const };
		}
		if ((await prepareNamespace(runtime, instance, manifests.names.namespace)) === 'terminating') {
			return await waitForCleanup(runtime, loaded, deadline);
		}
		// An app restored from its termination backup: its claims come from the backup's snapshots.
		const sources = await restoredClaimSources(runtime, instance, manifests.names.namespace);
		if (sources === 'wait') return await waitForRestoredSnapshots(runtime, loaded, deadline);
		const objects = sources ? withClaimSources(manifests.objects, instance.subdomain, sources) : manifests.objects;
		const applied = await applyAppObjects(
			runtime,
			instance.id,
			{ ...manifests, objects },
			{
				onlyWhile: 'PROVISIONING',
				fresh,
				before: NAMESPACE_STEPS.map((step) => ({ step, status: 'done' as const }))
			}
		);
		// Terminated meanwhile: the termination removes what was made.
		if (!applied) return { outcome: 'cancelled' as const };
		await watchRollout(runtime, { instanceId: instance.id, operation: 'provision', deadline });
		return { outcome: 'applied' as const };
	} catch (error) {
		if (isNamespaceTerminating(error)) return await waitForCleanup(runtime, loaded, deadline);
		if (isTransient(error) && !attempt.final) {
			runtime.log.warn({ err: error, instanceId }, 'provisioning hit a transient error; the job will be retried');
			throw error;
		}
		// A backup the restore cannot use (gone, or its snapshot failed) is told in MinisPod's words.
		const failure =
			error instanceof BackupUnavailable
				? ownFailure(instanceReason('backup_unusable', { cause: error.text }))
				: failureOf(error);
		await failProvisioning(runtime, loaded, failure);
		return { outcome: 'failed' as const, reason: failure.message };
	}
}

/** The namespace is still going: come back shortly, within the provisioning timeout. */
const waitForCleanup = (runtime: Runtime, loaded: LoadedInstance, deadline: string) =>
	comeBackShortly(runtime, loaded, deadline, {
		step: 'namespace',
		text: instanceReason('step_waiting_for_cleanup', {}),
		late: instanceReason('cleanup_timeout', {})
	});

/** The restored app's snapshots are being bound: come back shortly, within the provisioning timeout. */
const waitForRestoredSnapshots = (runtime: Runtime, loaded: LoadedInstance, deadline: string) =>
	comeBackShortly(runtime, loaded, deadline, {
		step: 'volume',
		text: instanceReason('step_restoring_volumes', {}),
		late: instanceReason('backup_snapshots_late', {})
	});

/** Shows what the set-up waits for and sends the job again a moment later; past the deadline, fails with `late`. */
async function comeBackShortly(
	runtime: Runtime,
	loaded: LoadedInstance,
	deadline: string,
	waiting: { step: string; text: InstanceReason; late: InstanceReason }
) {
	const { instance } = loaded;
	if (Date.now() >= new Date(deadline).getTime()) {
		const failure = ownFailure(waiting.late);
		await failProvisioning(runtime, loaded, failure);
		return { outcome: 'failed' as const, reason: failure.message };
	}
	await recordStep(runtime.db, instance.id, waiting.step, 'running', waiting.text);
	await enqueue(
		runtime.boss,
		'provision-instance',
		{ instanceId: instance.id, deadline },
		{ startAfter: new Date(Date.now() + LOOK_AGAIN_MS) }
	);
	return { outcome: 'waiting' as const };
}

/**
 * PENDING becomes PROVISIONING with every step pending (a resumed job keeps its steps), the
 * namespace step started, the objects' names and the environment recorded and the
 * instance's new secrets kept for every later attempt: one write.
 */
async function startProvisioning(
	runtime: Runtime,
	instance: ServiceInstance,
	manifests: Manifests,
	newSecrets?: Record<string, string>
) {
	const namespaceStarted = { step: 'namespace', status: 'running' as const };
	const steps =
		instance.status === 'PENDING'
			? provisioningSteps(manifests.companion !== undefined).map((step) => ({
					step,
					status: step === 'namespace' ? ('running' as const) : ('pending' as const),
					at: new Date().toISOString()
				}))
			: stepsWith([namespaceStarted]);
	return updateInstance(
		runtime.db,
		instance.id,
		{
			status: 'PROVISIONING',
			statusReason: null,
			provisioningSteps: steps,
			namespace: manifests.names.namespace,
			deploymentName: manifests.names.deployment,
			serviceName: manifests.names.service,
			ingressName: manifests.names.ingress,
			envVars: manifests.environment,
			...(newSecrets ? { generatedSecrets: sealSecrets(instance.id, newSecrets) } : {})
		},
		['PENDING', 'PROVISIONING']
	);
}

/** RUNNING with its address, and the customer told; false if it was terminated meanwhile. */
export async function markRunning(runtime: Runtime, loaded: LoadedInstance, pods: string[]) {
	const { instance, service } = loaded;
	const publicUrl = `https://${instance.subdomain}.${runtime.config.kube.baseDomain}`;
	const running = await runtime.db.transaction(async (tx) => {
		const updated = await updateInstance(
			tx,
			instance.id,
			{
				status: 'RUNNING',
				statusReason: null,
				provisioningSteps: stepsWith([{ step: 'rollout', status: 'done', text: instanceReason('step_ready', {}) }]),
				podName: pods[0] ?? null,
				publicUrl,
				sslEnabled: true,
				healthStatus: 'healthy',
				lastHealthCheck: new Date(),
				lastStarted: new Date()
			},
			['PROVISIONING']
		);
		if (!updated) return false;
		const restoredFrom = await restoredFromBackup(tx, instance);
		await notify(tx, {
			userId: instance.userId,
			type: restoredFrom ? 'INSTANCE_RESTORED' : 'INSTANCE_RUNNING',
			text: restoredFrom
				? {
						key: 'app_restored',
						params: { name: instance.name, service: service.name, url: publicUrl, date: asDate(restoredFrom.createdAt) }
					}
				: { key: 'instance_running', params: { name: instance.name, service: service.name, url: publicUrl } },
			link: `/instances/${instance.id}`
		});
		return true;
	});
	if (running) provisioningEnded('running', instance.createdAt);
	// Its volumes are copies now: the backup is released (left to its expiry if that fails).
	if (running) {
		await releaseRestoredBackup(runtime, instance).catch((error: unknown) =>
			runtime.log.warn({ err: error, instanceId: instance.id }, 'could not release the backup a restored app was made from')
		);
	}
	return running;
}

/** The backup an administrator restored the app from, if it was. */
async function restoredFromBackup(db: DbOrTx, instance: Pick<ServiceInstance, 'restoredFromBackupId'>) {
	if (!instance.restoredFromBackupId) return undefined;
	const [backup] = await db.select().from(backups).where(eq(backups.id, instance.restoredFromBackupId));
	return backup;
}

/** Failure: clean up, then ERROR + slot released + refund, and the customer told why. */
export async function failProvisioning(runtime: Runtime, loaded: LoadedInstance, failure: Failure) {
	const { instance, service, plan } = loaded;
	const reason = failure.message;
	provisioningEnded('failed', instance.createdAt);
	await recordStep(runtime.db, instance.id, 'rollout', 'failed', failure.text).catch(() => undefined);
	await recordStep(runtime.db, instance.id, 'cleanup', 'running');
	// Where the objects are: the namespace recorded once provisioning began.
	const [current] = await runtime.db.select().from(serviceInstances).where(eq(serviceInstances.id, instance.id));
	const names = instanceNames(current ?? instance);
	try {
		// Deletion started is enough here: what is still going is gone shortly. An app that ran
		// before (a retry after it broke) keeps its data for the next retry or a repair: only
		// ending the subscription removes it (deprovision.ts).
		await deleteAppObjects(runtime, names, [], { keepData: instance.lastStarted !== null });
		await recordStep(runtime.db, instance.id, 'cleanup', 'done');
	} catch (error) {
		runtime.log.error({ err: error, instanceId: instance.id }, 'cleanup after failed provisioning failed');
		await recordStep(runtime.db, instance.id, 'cleanup', 'failed', failureOf(error).text);
	}
	await runtime.db.transaction(async (tx) => {
		const failed = await updateInstance(
			tx,
			instance.id,
			{ status: 'ERROR', ...statusReason(failure.text), podName: null, healthStatus: null },
			// Still PENDING when it failed before anything was made (its secrets, its manifests).
			['PENDING', 'PROVISIONING']
		);
		// Terminated meanwhile: the termination settled the money and the slot.
		if (!failed) return;
		const { refunded } = await releaseAfterFailedProvisioning(
			tx,
			{ subscriptionId: instance.subscriptionId, lastStarted: instance.lastStarted },
			reason,
			runtime.clock.now()
		);
		const why = asInstanceReason(failure.text, reason);
		const failedParams = { name: instance.name, service: service.name, plan: plan.name, reason: why };
		const restoredFrom = await restoredFromBackup(tx, instance);
		await notify(tx, {
			userId: instance.userId,
			type: restoredFrom ? 'RESTORE_FAILED' : 'INSTANCE_FAILED',
			text: restoredFrom
				? {
						key: 'app_restore_failed',
						params: {
							name: instance.name,
							service: service.name,
							reason: why,
							date: asDate(restoredFrom.expiresAt ?? new Date())
						}
					}
				: refunded > 0
					? {
							key: 'instance_failed_refunded',
							params: { ...failedParams, amount: asRupiah(refunded) }
						}
					: { key: 'instance_failed', params: failedParams },
			link: `/instances/${instance.id}`
		});
	});
	// The namespace no longer needs room for this app (or goes, if it held nothing else).
	await prepareNamespace(runtime, instance, names.namespace).catch((error) =>
		runtime.log.warn({ err: error, instanceId: instance.id }, 'resizing the namespace after a failed set-up failed')
	);
}
