// Stopping, starting, restarting, suspending and resuming an app, waiting until the
// cluster is there; a failure puts the app in ERROR with the reason and tells its owner.
import { instanceStatusEnum, type ServiceInstance } from '../db/schema';
import { instanceNames } from '../kube/names';
import { notify } from '../notifications/service';
import type { Runtime } from '../runtime';
import { updateInstance } from '../instances/state';
import type { JobPayloads } from '../queue';
import { isTransient, reasonOf, type Attempt } from './attempts';
import { loadInstance } from './job-data';
import { rolloutLimits } from './objects';

type Action = JobPayloads['instance-action']['action'];

/** Every status but the end of an instance's life. */
const LIVE_STATUSES = instanceStatusEnum.enumValues.filter((status) => status !== 'TERMINATING' && status !== 'TERMINATED');

/** Scales or restarts an app and waits for the cluster to get there. */
export async function runInstanceAction(
	runtime: Runtime,
	instanceId: string,
	action: Action,
	attempt: Attempt = { final: true }
) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const { instance } = loaded;
	try {
		switch (action) {
			case 'stop':
			case 'suspend':
				return await scaleDown(runtime, instance, action);
			case 'start':
			case 'resume':
			case 'restart':
				return await bringUp(runtime, instance, action);
		}
	} catch (error) {
		if (isTransient(error) && !attempt.final) throw error;
		const reason = reasonOf(error);
		await markActionFailed(runtime, instance, action, reason);
		return { outcome: 'failed' as const, reason };
	}
}

async function scaleDown(runtime: Runtime, instance: ServiceInstance, action: 'stop' | 'suspend') {
	if (action === 'suspend' && ['TERMINATING', 'TERMINATED'].includes(instance.status)) return { outcome: 'skipped' as const };
	const names = instanceNames(instance);
	if (await runtime.cluster.getDeployment(names.namespace, names.deployment)) {
		await runtime.cluster.scaleDeployment(names.namespace, names.deployment, 0);
		await runtime.cluster.waitForRollout(names.namespace, names.deployment, rolloutLimits(runtime));
	}
	await updateInstance(
		runtime.db,
		instance.id,
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

async function bringUp(runtime: Runtime, instance: ServiceInstance, action: 'start' | 'resume' | 'restart') {
	if (action === 'resume' && instance.status !== 'SUSPENDED') return { outcome: 'skipped' as const };
	const names = instanceNames(instance);
	if (action === 'resume')
		await updateInstance(runtime.db, instance.id, { status: 'STARTING', statusReason: null }, ['SUSPENDED']);
	if (action === 'restart') await runtime.cluster.restartDeployment(names.namespace, names.deployment);
	else await runtime.cluster.scaleDeployment(names.namespace, names.deployment, 1);
	const rollout = await runtime.cluster.waitForRollout(names.namespace, names.deployment, rolloutLimits(runtime));
	await updateInstance(
		runtime.db,
		instance.id,
		{ status: 'RUNNING', statusReason: null, podName: rollout.pods[0] ?? null, lastStarted: new Date() },
		[action === 'restart' ? 'RESTARTING' : 'STARTING']
	);
	return { outcome: 'running' as const };
}

async function markActionFailed(runtime: Runtime, instance: ServiceInstance, action: Action, reason: string) {
	await runtime.db.transaction(async (tx) => {
		const failed = await updateInstance(
			tx,
			instance.id,
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
}
