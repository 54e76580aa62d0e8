// Stopping, starting, restarting, suspending, resuming and repairing an app. The job asks
// the cluster for the change and hands the wait for the pods to the rollout job. When the
// API server is overloaded or failing (429, 5xx, out of reach) the job is run again by the
// queue, with backoff, and the app's page says so meanwhile. When it has failed for good, a
// stop, start or restart that changed nothing on the cluster leaves the app as it was
// (running, or stopped) with the reason beside it: the customer's app did not break because
// the control plane could not act, so it is not marked ERROR. Any other failure puts the
// app in ERROR with the reason. Either way its owner is told.
//
// Suspension follows the subscription, whatever order the jobs run in: a suspend job that
// finds the subscription active again does nothing, and one that suspends does so in a
// transaction that holds the subscription's row, so an administrator's resume either waits
// for it (and then finds the app SUSPENDED and resumes it) or went first (and the suspend
// job then sees the active subscription). The last request wins.
import { eq } from 'drizzle-orm';
import { instanceStatusEnum, serviceInstances, subscriptions, type InstanceStatus, type ServiceInstance } from '../db/schema';
import { notify } from '../notifications/service';
import type { Runtime } from '../runtime';
import { updateInstance } from '../instances/state';
import type { JobPayloads } from '../queue';
import { failureOf, isTransient, type Attempt, type Failure } from './attempts';
import { instanceReason, renderInstanceReason, statusReason, type FailedAction } from '../instances/reasons';
import { loadInstance, type LoadedInstance } from './job-data';
import type { KubeManifest } from '../kube/manifests';
import { applyAppObjects, manifestsFor, namesOf, prepareNamespace, watchRollout } from './objects';
import { pauseDomains, resumeDomains } from './domains';
import { asInstanceReason } from '../notifications/texts';

type Action = JobPayloads['instance-action']['action'];

/** Every status but the end of an instance's life. */
export const LIVE_STATUSES: readonly InstanceStatus[] = instanceStatusEnum.enumValues.filter(
	(status) => status !== 'TERMINATING' && status !== 'TERMINATED'
);

/** Scales, restarts or repairs an app; bringing one up ends in the rollout job. */
export async function runInstanceAction(
	runtime: Runtime,
	instanceId: string,
	action: Action,
	attempt: Attempt = { final: true }
) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const { instance } = loaded;
	const progress: Progress = { asBefore: action === 'start' || action === 'restart' };
	try {
		switch (action) {
			case 'stop':
				return await stop(runtime, instance, progress);
			case 'suspend':
				return await suspend(runtime, instance);
			case 'resume':
				return await resume(runtime, loaded);
			case 'start':
			case 'restart':
				return await bringUp(runtime, loaded, action, progress);
			case 'repair':
				return await repair(runtime, loaded);
		}
	} catch (error) {
		const failure = failureOf(error);
		if (isTransient(error) && !attempt.final) {
			// The customer's page says why their action is taking longer (a suspension or
			// resumption is MinisPod's own, and its app keeps the reason it has).
			if (action !== 'suspend' && action !== 'resume') await markActionRetrying(runtime, instance, action, failure);
			throw error;
		}
		const before = BEFORE[action];
		if (before && progress.asBefore) await markActionNotDone(runtime, instance, action, before, failure);
		else await markActionFailed(runtime, instance, action, failure);
		return { outcome: 'failed' as const, reason: failure.message };
	}
}

/**
 * Whether the app is known to be as it was before the action: nothing the action asked of
 * the cluster took effect. A restart is (its rolling update keeps the old pod serving until
 * a new one is ready) until the cluster took the new stamp, a start until the scale-up was
 * taken; a stop only once its first look found the app running, until the scale-down was
 * taken (an earlier attempt may have scaled it down already).
 */
type Progress = { asBefore: boolean };

/** The status a customer's action left, for one that changed nothing: the app is still there. */
const BEFORE: Partial<Record<Action, { via: InstanceStatus; back: InstanceStatus }>> = {
	stop: { via: 'STOPPING', back: 'RUNNING' },
	restart: { via: 'RESTARTING', back: 'RUNNING' },
	start: { via: 'STARTING', back: 'STOPPED' }
};

/**
 * Zero replicas: the pods go, the data stays. The app goes first, then its companion
 * database (when one runs beside it), so a stopped app holds no database running either
 * and the app never runs without its database.
 */
async function scaleToZero(runtime: Runtime, instance: ServiceInstance, progress?: Progress) {
	const names = namesOf(instance);
	for (const deployment of [names.deployment, names.database.deployment]) {
		const found = await runtime.cluster.getDeployment(names.namespace, deployment);
		if (!found) continue;
		if (progress && deployment === names.deployment) progress.asBefore = (found.spec?.replicas ?? 1) > 0;
		await runtime.cluster.scaleDeployment(names.namespace, deployment, 0);
		if (progress) progress.asBefore = false;
	}
}

/**
 * Brings a stopped app back up: the companion database first, when the template has one (the
 * rollout job scales the app up once the database is ready: rollout-check.ts), else the app.
 */
async function scaleUp(runtime: Runtime, loaded: LoadedInstance, instance: ServiceInstance, progress?: Progress) {
	const names = namesOf(instance);
	// A database the template gained after the app was set up is not there until a repair or upgrade.
	const database =
		loaded.service.companionDatabase && (await runtime.cluster.getDeployment(names.namespace, names.database.deployment));
	await runtime.cluster.scaleDeployment(names.namespace, database ? names.database.deployment : names.deployment, 1);
	if (progress) progress.asBefore = false;
}

async function stop(runtime: Runtime, instance: ServiceInstance, progress: Progress) {
	if (instance.status !== 'STOPPING') return { outcome: 'skipped' as const };
	await scaleToZero(runtime, instance, progress);
	await updateInstance(
		runtime.db,
		instance.id,
		{ status: 'STOPPED', statusReason: null, podName: null, lastStopped: new Date() },
		['STOPPING']
	);
	return { outcome: 'stop' as const };
}

/** What the app's page says while it is suspended: the administrator's reason when there is one. */
export const suspendedReason = (note: string | null) =>
	note ? instanceReason('suspended_by_staff', { note }) : instanceReason('suspended_on_hold', {});

/** Scales the app to zero while its subscription is suspended, holding the subscription's row. */
async function suspend(runtime: Runtime, instance: ServiceInstance) {
	const result = await runtime.db.transaction(async (tx) => {
		const [subscription] = await tx
			.select({ status: subscriptions.status, note: subscriptions.suspensionNote })
			.from(subscriptions)
			.where(eq(subscriptions.id, instance.subscriptionId))
			.for('share');
		const [current] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, instance.id)).for('update');
		if (subscription?.status !== 'SUSPENDED' || !current || !LIVE_STATUSES.includes(current.status)) {
			return { outcome: 'skipped' as const };
		}
		if (current.status === 'SUSPENDED') return { outcome: 'suspend' as const };
		await scaleToZero(runtime, current);
		await updateInstance(
			tx,
			instance.id,
			{ status: 'SUSPENDED', ...statusReason(suspendedReason(subscription.note)), podName: null, lastStopped: new Date() },
			LIVE_STATUSES
		);
		return { outcome: 'suspend' as const };
	});
	// A suspended app serves none of its custom domains (their rules and certificates go).
	if (result.outcome === 'suspend') await pauseDomains(runtime, instance.id);
	return result;
}

/** Brings a suspended app back once its subscription is active again. */
async function resume(runtime: Runtime, loaded: LoadedInstance) {
	const { instance } = loaded;
	const started = await runtime.db.transaction(async (tx) => {
		const [subscription] = await tx
			.select({ status: subscriptions.status })
			.from(subscriptions)
			.where(eq(subscriptions.id, instance.subscriptionId))
			.for('share');
		const [current] = await tx.select().from(serviceInstances).where(eq(serviceInstances.id, instance.id)).for('update');
		if (subscription?.status !== 'ACTIVE' || current?.status !== 'SUSPENDED') return false;
		await scaleUp(runtime, loaded, current);
		await updateInstance(tx, instance.id, { status: 'STARTING', statusReason: null }, ['SUSPENDED']);
		return true;
	});
	if (!started) return { outcome: 'skipped' as const };
	await resumeDomains(runtime, instance.id);
	await watchRollout(runtime, { instanceId: instance.id, operation: 'resume' });
	return { outcome: 'resuming' as const };
}

async function bringUp(runtime: Runtime, loaded: LoadedInstance, action: 'start' | 'restart', progress: Progress) {
	const { instance } = loaded;
	if (instance.status !== (action === 'restart' ? 'RESTARTING' : 'STARTING')) return { outcome: 'skipped' as const };
	const names = namesOf(instance);
	if (action === 'restart') {
		// The owner may have replaced a generated secret: a container reads its environment from
		// a Secret only when it starts (https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables),
		// so the Secret is brought up to date before the pods are rolled.
		const manifests = await manifestsFor(runtime, loaded, loaded.plan);
		for (const object of manifests.objects.filter((candidate) => candidate.kind === 'Secret')) {
			await runtime.cluster.apply<KubeManifest>(object);
		}
		await runtime.cluster.restartDeployment(names.namespace, names.deployment);
		progress.asBefore = false;
	} else await scaleUp(runtime, loaded, instance, progress);
	await watchRollout(runtime, { instanceId: instance.id, operation: action });
	return { outcome: action === 'restart' ? ('restarting' as const) : ('starting' as const) };
}

/** Re-applies every object of the app (they went missing from the cluster), then waits for it. */
async function repair(runtime: Runtime, loaded: LoadedInstance) {
	const { instance } = loaded;
	if (instance.status !== 'STARTING') return { outcome: 'skipped' as const };
	const manifests = await manifestsFor(runtime, loaded, loaded.plan);
	if ((await prepareNamespace(runtime, instance, manifests.names.namespace)) !== 'ready') {
		throw new Error('The namespace of the app is being deleted; try the repair again in a minute');
	}
	if (!(await applyAppObjects(runtime, instance.id, manifests, { onlyWhile: 'STARTING' })))
		return { outcome: 'skipped' as const };
	await watchRollout(runtime, { instanceId: instance.id, operation: 'repair' });
	return { outcome: 'repairing' as const };
}

/** The app is up again after a start, resume, restart or repair. */
export async function markActionDone(runtime: Runtime, instance: ServiceInstance, pods: string[]) {
	return updateInstance(
		runtime.db,
		instance.id,
		{
			status: 'RUNNING',
			statusReason: null,
			podName: pods[0] ?? null,
			healthStatus: 'healthy',
			lastHealthCheck: new Date(),
			lastStarted: new Date()
		},
		['STARTING', 'RESTARTING']
	);
}

/** The cluster did not take the action this time; the queue runs the job again (the status stays). */
async function markActionRetrying(runtime: Runtime, instance: ServiceInstance, action: Action, failure: Failure) {
	await updateInstance(
		runtime.db,
		instance.id,
		statusReason(instanceReason('action_retrying', { action, cause: failure.text })),
		[instance.status]
	);
}

/**
 * A customer's stop, start or restart that failed for good without changing anything: the
 * app goes back to the status it had (still running, or still stopped), with the reason, and
 * its owner is told the action failed. Its pods were never touched, so ERROR would say the
 * app broke when only the control plane could not act.
 */
async function markActionNotDone(
	runtime: Runtime,
	instance: ServiceInstance,
	action: Action,
	before: { via: InstanceStatus; back: InstanceStatus },
	failure: Failure
) {
	const text = instanceReason('action_not_done', { action, cause: failure.text });
	await runtime.db.transaction(async (tx) => {
		const back = await updateInstance(tx, instance.id, { status: before.back, ...statusReason(text) }, [before.via]);
		if (!back) return;
		await notify(tx, {
			userId: instance.userId,
			type: 'INSTANCE_ACTION_FAILED',
			text: {
				key: 'instance_action_failed',
				params: {
					name: instance.name,
					action,
					reason: asInstanceReason(text, renderInstanceReason(text, 'en') ?? failure.message)
				}
			},
			link: `/instances/${instance.id}`
		});
	});
}

export async function markActionFailed(runtime: Runtime, instance: ServiceInstance, action: FailedAction, failure: Failure) {
	const reason = failure.message;
	await runtime.db.transaction(async (tx) => {
		const failed = await updateInstance(
			tx,
			instance.id,
			{ status: 'ERROR', ...statusReason(instanceReason('action_failed', { action, cause: failure.text })) },
			LIVE_STATUSES
		);
		if (!failed) return;
		await notify(tx, {
			userId: instance.userId,
			type: 'INSTANCE_ACTION_FAILED',
			text: {
				key: 'instance_action_failed',
				params: { name: instance.name, action, reason: asInstanceReason(failure.text, reason) }
			},
			link: `/instances/${instance.id}`
		});
	});
}
