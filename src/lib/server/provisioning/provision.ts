// Bringing a new (or retried) app up: every object, then the wait for it to be ready.
// Every step converges (create, or bring an existing object to the desired state), so the
// job may run twice or resume after a crash. Outcomes are written back to the instance.
import { eq } from 'drizzle-orm';
import { serviceInstances, type ServiceInstance } from '../db/schema';
import { notify } from '../notifications/service';
import type { Runtime } from '../runtime';
import { releaseAfterFailedProvisioning } from '../subscriptions/outcomes';
import { holdsSlot } from '../subscriptions/status';
import { recordStep, updateInstance } from '../instances/state';
import type { Manifests } from '../kube/manifests';
import { formatRupiah } from '$lib/format';
import { isTransient, reasonOf, type Attempt } from './attempts';
import { loadInstance, type LoadedInstance } from './job-data';
import { applyInSteps, manifestsFor, PROVISIONING_STEPS, removeInstanceObjects, rolloutLimits } from './objects';
import { provisioningEnded } from '../metrics';

/**
 * Provisions an instance: every object, then waits for the app to be ready. Ready means
 * RUNNING with its URL. Failure or timeout means ERROR with the cluster's reason, partial
 * objects removed, slot released and the charge refunded. Transient errors rethrow so the
 * queue retries the job, unless this is its final attempt.
 */
export async function provisionInstance(runtime: Runtime, instanceId: string, attempt: Attempt = { final: true }) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const { instance, subscription } = loaded;
	if (!['PENDING', 'PROVISIONING'].includes(instance.status) || !holdsSlot(subscription.status)) {
		return { outcome: 'skipped' as const, status: instance.status };
	}
	if (!(await markProvisioning(runtime, instance))) return { outcome: 'skipped' as const };

	try {
		const manifests = await manifestsFor(runtime, loaded, loaded.plan);
		await recordObjectNames(runtime, instance.id, manifests);
		const applied = await applyInSteps(runtime, instance.id, manifests, () => stillProvisioning(runtime, instance.id));
		if (!applied) return await cancelProvisioning(runtime, instance);
		const pods = await waitUntilReady(runtime, instance.id, manifests);
		// Terminated while it came up: what this job created must not outlive it.
		if (!(await markRunning(runtime, loaded, manifests, pods))) return await cancelProvisioning(runtime, instance);
		provisioningEnded('running', instance.updatedAt);
		return { outcome: 'running' as const };
	} catch (error) {
		if (isTransient(error) && !attempt.final) {
			runtime.log.warn({ err: error, instanceId }, 'provisioning hit a transient error; the job will be retried');
			throw error;
		}
		const reason = reasonOf(error);
		await failProvisioning(runtime, loaded, reason);
		provisioningEnded('failed', instance.updatedAt);
		return { outcome: 'failed' as const, reason };
	}
}

/** PENDING becomes PROVISIONING with every step pending; a resumed job keeps its steps. */
async function markProvisioning(runtime: Runtime, instance: ServiceInstance) {
	const fresh = instance.status === 'PENDING';
	const steps = PROVISIONING_STEPS.map((step) => ({ step, status: 'pending' as const, at: new Date().toISOString() }));
	return updateInstance(
		runtime.db,
		instance.id,
		{ status: 'PROVISIONING', statusReason: null, ...(fresh ? { provisioningSteps: steps } : {}) },
		['PENDING', 'PROVISIONING']
	);
}

async function recordObjectNames(runtime: Runtime, instanceId: string, manifests: Manifests) {
	await runtime.db
		.update(serviceInstances)
		.set({
			namespace: manifests.names.namespace,
			deploymentName: manifests.names.deployment,
			serviceName: manifests.names.service,
			ingressName: manifests.names.ingress,
			envVars: manifests.environment
		})
		.where(eq(serviceInstances.id, instanceId));
}

/** Waits for the rollout, recording its progress in order and all of it before the outcome. */
async function waitUntilReady(runtime: Runtime, instanceId: string, manifests: Manifests): Promise<string[]> {
	await recordStep(runtime.db, instanceId, 'rollout', 'running', 'Starting the app');
	let progressWrites = Promise.resolve();
	const rollout = await runtime.cluster
		.waitForRollout(manifests.names.namespace, manifests.names.deployment, {
			...rolloutLimits(runtime),
			onProgress: (progress) => {
				progressWrites = progressWrites
					.then(() => recordStep(runtime.db, instanceId, 'rollout', 'running', progress.message))
					.catch(() => undefined);
			}
		})
		.finally(() => progressWrites);
	await recordStep(runtime.db, instanceId, 'rollout', 'done', 'Ready');
	return rollout.pods;
}

/** RUNNING with its address, and the customer told; false if it was terminated meanwhile. */
async function markRunning(runtime: Runtime, loaded: LoadedInstance, manifests: Manifests, pods: string[]) {
	const { instance, service } = loaded;
	return runtime.db.transaction(async (tx) => {
		const updated = await updateInstance(
			tx,
			instance.id,
			{
				status: 'RUNNING',
				statusReason: null,
				podName: pods[0] ?? null,
				publicUrl: manifests.publicUrl,
				sslEnabled: true,
				healthStatus: 'healthy',
				lastHealthCheck: new Date(),
				lastStarted: new Date()
			},
			['PROVISIONING']
		);
		if (!updated) return false;
		await notify(tx, {
			userId: instance.userId,
			type: 'INSTANCE_RUNNING',
			title: `${instance.name} is running`,
			body: `Your ${service.name} app is ready at ${manifests.publicUrl}.`,
			link: `/instances/${instance.id}`
		});
		return true;
	});
}

/** Whether the instance is still being provisioned (not terminated meanwhile). */
async function stillProvisioning(runtime: Runtime, instanceId: string) {
	const [row] = await runtime.db
		.select({ status: serviceInstances.status })
		.from(serviceInstances)
		.where(eq(serviceInstances.id, instanceId));
	return row?.status === 'PROVISIONING';
}

/** Removes what an abandoned provisioning created; the deprovisioning job may have run first. */
async function cancelProvisioning(runtime: Runtime, instance: ServiceInstance) {
	await removeInstanceObjects(runtime, instance);
	return { outcome: 'cancelled' as const };
}

/** Failure: clean up, then ERROR + slot released + refund, and the customer told why. */
async function failProvisioning(runtime: Runtime, loaded: LoadedInstance, reason: string) {
	const { instance, service, plan } = loaded;
	await recordStep(runtime.db, instance.id, 'rollout', 'failed', reason).catch(() => undefined);
	await recordStep(runtime.db, instance.id, 'cleanup', 'running');
	try {
		await removeInstanceObjects(runtime, instance);
		await recordStep(runtime.db, instance.id, 'cleanup', 'done');
	} catch (error) {
		runtime.log.error({ err: error, instanceId: instance.id }, 'cleanup after failed provisioning failed');
		await recordStep(runtime.db, instance.id, 'cleanup', 'failed', reasonOf(error));
	}
	await runtime.db.transaction(async (tx) => {
		const failed = await updateInstance(
			tx,
			instance.id,
			{ status: 'ERROR', statusReason: reason, podName: null, healthStatus: null },
			['PROVISIONING']
		);
		// Terminated meanwhile: the termination settled the money and the slot.
		if (!failed) return;
		const { refunded } = await releaseAfterFailedProvisioning(tx, instance.subscriptionId, reason);
		await notify(tx, {
			userId: instance.userId,
			type: 'INSTANCE_FAILED',
			title: `${instance.name} could not be set up`,
			body: `Setting up ${service.name} ${plan.name} failed: ${reason}.${refunded > 0 ? ` ${formatRupiah(refunded)} was refunded to your credit.` : ''} You can retry from the app page.`,
			link: `/instances/${instance.id}`
		});
	});
}
