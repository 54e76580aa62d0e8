// Waiting for an app's pods without holding a worker: each job takes one look at the
// rollout and either settles the operation that started it (RUNNING, ERROR with the reason,
// an upgrade completed or rolled back) or sends itself again a moment later, with what it
// has learnt about failing pods, until the deadline. Hundreds of apps can come up at once
// on a handful of workers.
import type { InstanceStatus } from '../db/schema';
import type { InstanceNames } from '../kube/names';
import { rolloutTimeout, type RolloutJudgement } from '../kube/rollout';
import { enqueue, type JobPayloads, type RolloutOperation } from '../queue';
import type { Runtime } from '../runtime';
import { recordStep } from '../instances/state';
import { markActionDone, markActionFailed } from './actions';
import { failureOf, isTransient, ownFailure, rolloutWait, type Failure } from './attempts';
import { instanceReason, renderInstanceReason } from '../instances/reasons';
import { loadInstance, type LoadedInstance } from './job-data';
import { LOOK_AGAIN_MS, namesOf, rolloutLimits } from './objects';
import { failProvisioning, markRunning } from './provision';
import { failUpgrade, finishUpgrade } from './upgrade';

type RolloutJob = JobPayloads['instance-rollout'];

/** The status an instance is in while each operation's rollout is awaited. */
const AWAITED_IN: Record<RolloutOperation, InstanceStatus> = {
	provision: 'PROVISIONING',
	start: 'STARTING',
	resume: 'STARTING',
	repair: 'STARTING',
	restart: 'RESTARTING',
	upgrade: 'UPDATING'
};

/** One look at the rollout; settles the operation or looks again later. */
export async function checkRollout(runtime: Runtime, job: RolloutJob) {
	const loaded = await loadInstance(runtime.db, job.instanceId);
	// Terminated, stopped or suspended meanwhile: whoever did that owns the app now.
	if (!loaded || loaded.instance.status !== AWAITED_IN[job.operation]) return { outcome: 'stale' as const };
	const names = namesOf(loaded.instance);
	const limits = rolloutLimits(runtime);
	const late = Date.now() >= new Date(job.deadline).getTime();
	let look;
	try {
		// The companion database first: the app is ready only once its database is.
		const database = loaded.service.companionDatabase
			? await runtime.cluster.lookAtRollout(names.namespace, names.database.deployment, job.tracking, limits)
			: undefined;
		if (database && database.judgement.outcome !== 'done') look = database;
		else if (loaded.service.companionDatabase && (await startAppAfterDatabase(runtime, job, names))) {
			return lookAgain(runtime, job, job.tracking);
		} else look = await runtime.cluster.lookAtRollout(names.namespace, names.deployment, job.tracking, limits);
	} catch (error) {
		// The cluster did not answer this time: look again, unless time is up.
		if (isTransient(error) && !late) return lookAgain(runtime, job, job.tracking);
		return settle(runtime, loaded, job, { failed: failureOf(error) });
	}
	if (!look) return settle(runtime, loaded, job, { failed: ownFailure(instanceReason('deployment_missing', {})) });
	const { judgement, tracking, pods } = look;
	if (judgement.outcome === 'done') return settle(runtime, loaded, job, { pods: judgement.pods });
	if (judgement.outcome === 'failed') return settle(runtime, loaded, job, { failed: failureOf(judgement.error) });
	await reportProgress(runtime, loaded, job, judgement);
	if (late) {
		return settle(runtime, loaded, job, { failed: failureOf(rolloutTimeout(limits.timeoutMs, tracking, pods, judgement.state)) });
	}
	return lookAgain(runtime, job, tracking);
}

/**
 * A start or resume scales up the companion database alone (provisioning/actions.ts); once it
 * is ready, the app is scaled up here. True when the app was scaled just now (its rollout is
 * looked at on the next pass, when the Deployment's controller has seen the new replicas).
 */
async function startAppAfterDatabase(runtime: Runtime, job: RolloutJob, names: InstanceNames) {
	if (job.operation !== 'start' && job.operation !== 'resume') return false;
	const app = await runtime.cluster.getDeployment(names.namespace, names.deployment);
	if (app?.spec?.replicas !== 0) return false;
	await runtime.cluster.scaleDeployment(names.namespace, names.deployment, 1);
	return true;
}

/**
 * The next look: soon after the first ones (250 ms, then 500 ms), as a pod that starts at
 * once is ready within a moment of the objects being applied; then every LOOK_AGAIN_MS.
 */
export function nextLookAfterMs(looks: number): number {
	return Math.min(LOOK_AGAIN_MS, FIRST_LOOK_AGAIN_MS * 2 ** Math.max(0, looks - 1));
}

const FIRST_LOOK_AGAIN_MS = 250;

async function lookAgain(runtime: Runtime, job: RolloutJob, tracking: RolloutJob['tracking']) {
	const looks = (job.looks ?? 0) + 1;
	await enqueue(
		runtime.boss,
		'instance-rollout',
		{ ...job, tracking, looks },
		{ startAfter: new Date(Date.now() + nextLookAfterMs(looks)) }
	);
	return { outcome: 'waiting' as const };
}

/** A new app's customer watches the rollout step; its message follows what the rollout waits for. */
async function reportProgress(
	runtime: Runtime,
	loaded: LoadedInstance,
	job: RolloutJob,
	judgement: Extract<RolloutJudgement, { outcome: 'waiting' }>
) {
	if (job.operation !== 'provision') return;
	const step = loaded.instance.provisioningSteps.find((entry) => entry.step === 'rollout');
	const text = rolloutWait(judgement.state);
	if (step?.message === renderInstanceReason(text, 'en')) return;
	await recordStep(runtime.db, loaded.instance.id, 'rollout', 'running', text);
}

/** The end of the rollout, in the terms of the operation that started it. */
async function settle(
	runtime: Runtime,
	loaded: LoadedInstance,
	job: RolloutJob,
	result: { pods: string[] } | { failed: Failure }
) {
	const { instance } = loaded;
	if ('failed' in result) {
		const failure = result.failed;
		if (job.operation === 'provision') await failProvisioning(runtime, loaded, failure);
		else if (job.operation === 'upgrade')
			await failUpgrade(runtime, loaded, { ...job.upgrade!, instanceId: instance.id }, failure);
		else await markActionFailed(runtime, instance, job.operation, failure);
		return { outcome: 'failed' as const, reason: failure.message };
	}
	if (job.operation === 'provision') await markRunning(runtime, loaded, result.pods);
	else if (job.operation === 'upgrade')
		await finishUpgrade(runtime, loaded, { ...job.upgrade!, instanceId: instance.id }, result.pods);
	else await markActionDone(runtime, instance, result.pods);
	return { outcome: 'ready' as const };
}
