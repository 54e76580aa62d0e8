// Bringing apps up and down on the cluster. Every step converges (create, or bring an
// existing object to the desired state), so a job may run twice or resume after a crash.
// Outcomes are written back to the instance (steps, status, reason) as they happen.
import { and, eq, inArray, ne, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
	instanceStatusEnum,
	serviceInstances,
	servicePlans,
	services,
	subscriptions,
	type Service,
	type ServiceInstance,
	type ServicePlan,
	type Subscription
} from '../db/schema';
import { ClusterError } from '../kube/errors';
import { podFailureReason } from '../kube/rollout';
import { ensureGeneratedSecrets } from '../kube/environment';
import type { NamespaceApp } from '../kube/inputs';
import { planResources } from '../kube/instance-objects';
import { buildManifests, type KubeManifest } from '../kube/manifests';
import { instanceNames } from '../kube/names';
import { buildNamespaceManifests } from '../kube/namespace-objects';
import { notify } from '../notifications/service';
import type { Runtime } from '../runtime';
import { completeUpgrade, holdsSlot, releaseAfterFailedProvisioning, rollbackUpgrade } from '../subscriptions/service';
import { formatRupiah } from '$lib/format';
import { recordStep, updateInstance } from './state';

type Context = Pick<Runtime, 'db' | 'cluster' | 'config' | 'log'>;

/** The step each kind of object belongs to, as shown to the customer. */
const STEP_OF_KIND: Record<string, string> = {
	Namespace: 'namespace',
	ResourceQuota: 'quota',
	LimitRange: 'quota',
	NetworkPolicy: 'network-policy',
	Secret: 'secret',
	ConfigMap: 'config',
	PersistentVolumeClaim: 'volume',
	Deployment: 'deployment',
	Service: 'service',
	Ingress: 'ingress'
};
export const PROVISIONING_STEPS = [...new Set(Object.values(STEP_OF_KIND)), 'rollout'];

type Loaded = { instance: ServiceInstance; subscription: Subscription; plan: ServicePlan; service: Service };

async function load(db: Db, instanceId: string): Promise<Loaded | undefined> {
	const [row] = await db
		.select({ instance: serviceInstances, subscription: subscriptions, plan: servicePlans, service: services })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(eq(serviceInstances.id, instanceId));
	return row;
}

/** The user's other apps that share the namespace (for quota and security level). */
async function otherApps(db: Db, instance: ServiceInstance): Promise<NamespaceApp[]> {
	const rows = await db
		.select({ id: serviceInstances.id, level: services.podSecurityLevel, plan: servicePlans })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.innerJoin(servicePlans, eq(subscriptions.planId, servicePlans.id))
		.innerJoin(services, eq(subscriptions.serviceId, services.id))
		.where(
			and(
				eq(serviceInstances.userId, instance.userId),
				ne(serviceInstances.id, instance.id),
				notInArray(serviceInstances.status, ['TERMINATED', 'TERMINATING', 'ERROR', 'PENDING'])
			)
		);
	return rows.map((row) => ({ instanceId: row.id, podSecurityLevel: row.level, plan: row.plan }));
}

/** Generates the instance's missing secrets once and keeps them for every later attempt. */
async function secretsFor(db: Db, loaded: Loaded) {
	const { secrets, generated } = ensureGeneratedSecrets(loaded.service.envTemplate, loaded.instance.generatedSecrets);
	if (generated.length > 0) {
		await db.update(serviceInstances).set({ generatedSecrets: secrets }).where(eq(serviceInstances.id, loaded.instance.id));
	}
	return secrets;
}

async function manifestsFor(ctx: Context, loaded: Loaded, plan: ServicePlan, options: { stopped?: boolean } = {}) {
	return buildManifests({
		service: loaded.service,
		plan,
		instance: loaded.instance,
		settings: ctx.config.kube,
		secrets: await secretsFor(ctx.db, loaded),
		stopped: options.stopped,
		userApps: await otherApps(ctx.db, loaded.instance)
	});
}

const reasonOf = (error: unknown) =>
	error instanceof ClusterError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;

/** Transient trouble worth another attempt of the whole job (the cluster client already retried). */
const isTransient = (error: unknown) => !(error instanceof ClusterError) || error.retryable;

export type Attempt = { final: boolean };

/**
 * Provisions an instance: every object, then waits for the app to be ready. Ready means
 * RUNNING with its URL. Failure or timeout means ERROR with the cluster's reason, partial
 * objects removed, slot released and the charge refunded. Transient errors rethrow so the
 * queue retries the job, unless this is its final attempt.
 */
export async function provisionInstance(ctx: Context, instanceId: string, attempt: Attempt = { final: true }) {
	const loaded = await load(ctx.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const { instance, subscription } = loaded;
	if (!['PENDING', 'PROVISIONING'].includes(instance.status) || !holdsSlot(subscription.status)) {
		return { outcome: 'skipped' as const, status: instance.status };
	}

	const fresh = instance.status === 'PENDING';
	const started = await updateInstance(
		ctx.db,
		instance.id,
		{
			status: 'PROVISIONING',
			statusReason: null,
			...(fresh
				? {
						provisioningSteps: PROVISIONING_STEPS.map((step) => ({
							step,
							status: 'pending' as const,
							at: new Date().toISOString()
						}))
					}
				: {})
		},
		['PENDING', 'PROVISIONING']
	);
	if (!started) return { outcome: 'skipped' as const };

	try {
		const manifests = await manifestsFor(ctx, loaded, loaded.plan);
		await ctx.db
			.update(serviceInstances)
			.set({
				namespace: manifests.names.namespace,
				deploymentName: manifests.names.deployment,
				serviceName: manifests.names.service,
				ingressName: manifests.names.ingress,
				envVars: manifests.environment
			})
			.where(eq(serviceInstances.id, instance.id));

		for (const step of PROVISIONING_STEPS.filter((s) => s !== 'rollout')) {
			if (await abandoned(ctx, instance.id)) return await cancelProvisioning(ctx, instance);
			const objects = manifests.objects.filter((object) => STEP_OF_KIND[object.kind ?? ''] === step);
			await recordStep(ctx.db, instance.id, step, 'running');
			for (const object of objects) await ctx.cluster.apply<KubeManifest>(object);
			await recordStep(ctx.db, instance.id, step, 'done');
		}

		await recordStep(ctx.db, instance.id, 'rollout', 'running', 'Starting the app');
		// Progress is written in order, and all of it before the outcome.
		let progressWrites = Promise.resolve();
		const rollout = await ctx.cluster
			.waitForRollout(manifests.names.namespace, manifests.names.deployment, {
				timeoutMs: ctx.config.kube.provisionTimeoutSeconds * 1000,
				failureGraceMs: ctx.config.kube.podFailureGraceSeconds * 1000,
				pollMs: 500,
				onProgress: (progress) => {
					progressWrites = progressWrites
						.then(() => recordStep(ctx.db, instance.id, 'rollout', 'running', progress.message))
						.catch(() => undefined);
				}
			})
			.finally(() => progressWrites);
		await recordStep(ctx.db, instance.id, 'rollout', 'done', 'Ready');

		const running = await ctx.db.transaction(async (tx) => {
			const updated = await updateInstance(
				tx,
				instance.id,
				{
					status: 'RUNNING',
					statusReason: null,
					podName: rollout.pods[0] ?? null,
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
				body: `Your ${loaded.service.name} app is ready at ${manifests.publicUrl}.`,
				link: `/instances/${instance.id}`
			});
			return true;
		});
		// Terminated while it came up: what this job created must not outlive it.
		if (!running) return await cancelProvisioning(ctx, instance);
		return { outcome: 'running' as const };
	} catch (error) {
		if (isTransient(error) && !attempt.final) {
			ctx.log.warn({ err: error, instanceId }, 'provisioning hit a transient error; the job will be retried');
			throw error;
		}
		const reason = reasonOf(error);
		await failProvisioning(ctx, loaded, reason);
		return { outcome: 'failed' as const, reason };
	}
}

/** The instance stopped being provisioned (it was terminated meanwhile). */
async function abandoned(ctx: Context, instanceId: string) {
	const [row] = await ctx.db
		.select({ status: serviceInstances.status })
		.from(serviceInstances)
		.where(eq(serviceInstances.id, instanceId));
	return row?.status !== 'PROVISIONING';
}

/** Removes what an abandoned provisioning created; the deprovisioning job may have run first. */
async function cancelProvisioning(ctx: Context, instance: ServiceInstance) {
	await removeInstanceObjects(ctx, instance);
	return { outcome: 'cancelled' as const };
}

/** Failure: clean up, then ERROR + slot released + refund, and the customer told why. */
async function failProvisioning(ctx: Context, loaded: Loaded, reason: string) {
	const { instance, service, plan } = loaded;
	await recordStep(ctx.db, instance.id, 'rollout', 'failed', reason).catch(() => undefined);
	await recordStep(ctx.db, instance.id, 'cleanup', 'running');
	try {
		await removeInstanceObjects(ctx, instance);
		await recordStep(ctx.db, instance.id, 'cleanup', 'done');
	} catch (error) {
		ctx.log.error({ err: error, instanceId: instance.id }, 'cleanup after failed provisioning failed');
		await recordStep(ctx.db, instance.id, 'cleanup', 'failed', reasonOf(error));
	}
	await ctx.db.transaction(async (tx) => {
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

/**
 * Deletes the instance's objects; the namespace too when the user has no other app in it,
 * else the namespace quota is resized for the apps that remain.
 */
async function removeInstanceObjects(ctx: Context, instance: ServiceInstance) {
	const names = instanceNames(instance);
	const namespace = names.namespace;
	await ctx.cluster.delete('Ingress', namespace, names.ingress);
	await ctx.cluster.delete('Service', namespace, names.service);
	await ctx.cluster.delete('Deployment', namespace, names.deployment);
	await ctx.cluster.delete('PersistentVolumeClaim', namespace, names.persistentVolumeClaim);
	await ctx.cluster.delete('ConfigMap', namespace, names.configMap);
	await ctx.cluster.delete('Secret', namespace, names.secret);
	const remaining = await otherApps(ctx.db, instance);
	if (remaining.length === 0) {
		await ctx.cluster.delete('Namespace', undefined, namespace);
		return;
	}
	const shared = buildNamespaceManifests({ userId: instance.userId, apps: remaining, settings: ctx.config.kube });
	for (const object of [shared.namespace, shared.resourceQuota, shared.limitRange]) await ctx.cluster.apply<KubeManifest>(object);
}

/** Removes an instance from the cluster for good: TERMINATED. Safe to repeat. */
export async function deprovisionInstance(ctx: Context, instanceId: string) {
	const loaded = await load(ctx.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	if (loaded.instance.status === 'TERMINATED') return { outcome: 'skipped' as const };
	await updateInstance(ctx.db, instanceId, { status: 'TERMINATING' });
	await removeInstanceObjects(ctx, loaded.instance);
	await updateInstance(ctx.db, instanceId, {
		status: 'TERMINATED',
		statusReason: null,
		podName: null,
		publicUrl: null,
		healthStatus: null,
		lastStopped: new Date()
	});
	return { outcome: 'terminated' as const };
}

/**
 * Applies the subscription's new plan after an upgrade (resources, quota, volume) and
 * reports back: completeUpgrade on success, rollbackUpgrade (refund, slots and plan
 * restored, the app back on the old resources) on failure.
 */
export async function applyUpgrade(
	ctx: Context,
	input: { subscriptionId: string; instanceId: string; upgradeId: string },
	attempt: Attempt = { final: true }
) {
	const loaded = await load(ctx.db, input.instanceId);
	if (!loaded || loaded.subscription.status !== 'PENDING_UPGRADE') return { outcome: 'skipped' as const };
	const names = instanceNames(loaded.instance);
	const deployment = await ctx.cluster.getDeployment(names.namespace, names.deployment).catch((error) => {
		if (isTransient(error) && !attempt.final) throw error;
		return undefined;
	});
	const stopped = (deployment?.spec?.replicas ?? 1) === 0;
	const settled = stopped ? ('STOPPED' as const) : ('RUNNING' as const);

	try {
		if (!deployment) throw new ClusterError('The app is not on the cluster', { reason: 'NotFound' });
		const manifests = await manifestsFor(ctx, loaded, loaded.plan, { stopped });
		for (const object of manifests.objects) await ctx.cluster.apply<KubeManifest>(object);
		const rollout = stopped
			? undefined
			: await ctx.cluster.waitForRollout(names.namespace, names.deployment, {
					timeoutMs: ctx.config.kube.provisionTimeoutSeconds * 1000,
					failureGraceMs: ctx.config.kube.podFailureGraceSeconds * 1000,
					pollMs: 500
				});
		await completeUpgrade(ctx.db, { subscriptionId: input.subscriptionId, upgradeId: input.upgradeId });
		await updateInstance(
			ctx.db,
			input.instanceId,
			{ status: settled, statusReason: null, ...(rollout ? { podName: rollout.pods[0] ?? null } : {}) },
			['UPDATING']
		);
		return { outcome: 'upgraded' as const };
	} catch (error) {
		if (isTransient(error) && !attempt.final) throw error;
		const reason = reasonOf(error);
		// Put the old resources back before giving the old plan back.
		const [previous] = loaded.subscription.previousPlanId
			? await ctx.db.select().from(servicePlans).where(eq(servicePlans.id, loaded.subscription.previousPlanId))
			: [];
		if (previous && deployment) {
			await ctx.cluster
				.patchDeploymentResources(names.namespace, names.deployment, planResources(previous))
				.catch((restoreError) => ctx.log.error({ err: restoreError }, 'restoring the previous resources failed'));
		}
		await rollbackUpgrade(ctx.db, { subscriptionId: input.subscriptionId, upgradeId: input.upgradeId, reason });
		await updateInstance(ctx.db, input.instanceId, { status: settled, statusReason: `Upgrade failed: ${reason}` }, ['UPDATING']);
		return { outcome: 'rolled-back' as const, reason };
	}
}

type Action = 'stop' | 'start' | 'restart' | 'suspend' | 'resume';

/** Every status but the end of an instance's life. */
const LIVE_STATUSES = instanceStatusEnum.enumValues.filter((status) => status !== 'TERMINATING' && status !== 'TERMINATED');

/** Scales or restarts an app and waits for the cluster to get there. */
export async function runInstanceAction(ctx: Context, instanceId: string, action: Action, attempt: Attempt = { final: true }) {
	const loaded = await load(ctx.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const { instance } = loaded;
	const names = instanceNames(instance);
	const wait = (timeoutMs = ctx.config.kube.provisionTimeoutSeconds * 1000) =>
		ctx.cluster.waitForRollout(names.namespace, names.deployment, {
			timeoutMs,
			failureGraceMs: ctx.config.kube.podFailureGraceSeconds * 1000,
			pollMs: 500
		});

	try {
		switch (action) {
			case 'stop':
			case 'suspend': {
				if (action === 'suspend' && ['TERMINATING', 'TERMINATED'].includes(instance.status))
					return { outcome: 'skipped' as const };
				if (await ctx.cluster.getDeployment(names.namespace, names.deployment)) {
					await ctx.cluster.scaleDeployment(names.namespace, names.deployment, 0);
					await wait();
				}
				await updateInstance(
					ctx.db,
					instanceId,
					{
						status: action === 'stop' ? 'STOPPED' : 'SUSPENDED',
						statusReason: action === 'suspend' ? 'Suspended: the subscription is on hold' : null,
						podName: null,
						lastStopped: new Date()
					},
					action === 'stop' ? ['STOPPING'] : LIVE_STATUSES
				);
				return { outcome: action };
			}
			case 'start':
			case 'resume':
			case 'restart': {
				if (action === 'resume' && instance.status !== 'SUSPENDED') return { outcome: 'skipped' as const };
				if (action === 'resume')
					await updateInstance(ctx.db, instanceId, { status: 'STARTING', statusReason: null }, ['SUSPENDED']);
				if (action === 'restart') await ctx.cluster.restartDeployment(names.namespace, names.deployment);
				else await ctx.cluster.scaleDeployment(names.namespace, names.deployment, 1);
				const rollout = await wait();
				await updateInstance(
					ctx.db,
					instanceId,
					{ status: 'RUNNING', statusReason: null, podName: rollout.pods[0] ?? null, lastStarted: new Date() },
					[action === 'restart' ? 'RESTARTING' : 'STARTING']
				);
				return { outcome: 'running' as const };
			}
		}
	} catch (error) {
		if (isTransient(error) && !attempt.final) throw error;
		const reason = reasonOf(error);
		await ctx.db.transaction(async (tx) => {
			const failed = await updateInstance(
				tx,
				instanceId,
				{ status: 'ERROR', statusReason: `Could not ${action} the app: ${reason}` },
				LIVE_STATUSES
			);
			if (!failed) return;
			await notify(tx, {
				userId: instance.userId,
				type: 'INSTANCE_ACTION_FAILED',
				title: `${instance.name}: ${action} failed`,
				body: `${reason}. You can retry from the app page.`,
				link: `/instances/${instance.id}`
			});
		});
		return { outcome: 'failed' as const, reason };
	}
}

/**
 * Refreshes the pod, health and last check of running apps; marks an app whose pod is
 * failing as ERROR with the cluster's reason, and a recovered one RUNNING again.
 */
export async function checkHealth(ctx: Context) {
	const watched = await ctx.db
		.select({ instance: serviceInstances })
		.from(serviceInstances)
		.innerJoin(subscriptions, eq(serviceInstances.subscriptionId, subscriptions.id))
		.where(
			and(inArray(serviceInstances.status, ['RUNNING', 'ERROR']), inArray(subscriptions.status, ['ACTIVE', 'PENDING_UPGRADE']))
		);
	let checked = 0;
	for (const { instance } of watched) {
		const names = instanceNames(instance);
		const deployment = await ctx.cluster.getDeployment(names.namespace, names.deployment).catch(() => undefined);
		// An app that failed provisioning has nothing on the cluster to check.
		if (!deployment) continue;
		checked += 1;
		const [pod] = await ctx.cluster.deploymentPods(deployment);
		const failure = pod ? podFailureReason(pod) : undefined;
		const ready = pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
		const now = new Date();
		if (ready) {
			await updateInstance(
				ctx.db,
				instance.id,
				{
					status: 'RUNNING',
					statusReason: instance.status === 'ERROR' ? null : instance.statusReason,
					healthStatus: 'healthy',
					lastHealthCheck: now,
					podName: pod?.metadata?.name ?? null
				},
				[instance.status]
			);
		} else if (failure) {
			await updateInstance(
				ctx.db,
				instance.id,
				{
					status: 'ERROR',
					statusReason: failure.message,
					healthStatus: 'failing',
					lastHealthCheck: now,
					podName: pod?.metadata?.name ?? null
				},
				[instance.status]
			);
		} else {
			await updateInstance(
				ctx.db,
				instance.id,
				{ healthStatus: 'starting', lastHealthCheck: now, podName: pod?.metadata?.name ?? null },
				[instance.status]
			);
		}
	}
	return { checked };
}
