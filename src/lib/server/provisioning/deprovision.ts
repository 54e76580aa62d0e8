// Removing an app from the cluster for good. Termination is done when the cluster says the
// objects are gone, not when their deletion was asked for: the job deletes (again, which
// is harmless), looks, and comes back shortly while something is still going. When the app
// was the last in its namespace, the namespace goes too, and the app is TERMINATED once
// the namespace is gone (or holds a new app again).
import { eq } from 'drizzle-orm';
import { customDomains } from '../db/schema';
import type { Runtime } from '../runtime';
import { enqueue } from '../queue';
import { updateInstance } from '../instances/state';
import { loadInstance } from './job-data';
import { syncNamespace } from './namespace';
import { domainSecretNames } from './domains';
import { LOOK_AGAIN_MS, deleteAppObjects, namesOf } from './objects';
import { backupBeforeTermination } from './backups';

/** Removes an instance from the cluster for good: TERMINATED once it is gone. Safe to repeat. */
export async function deprovisionInstance(runtime: Runtime, instanceId: string, since = new Date().toISOString()) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	const { instance } = loaded;
	if (instance.status === 'TERMINATED') return { outcome: 'skipped' as const };
	if (instance.status !== 'TERMINATING') await updateInstance(runtime.db, instanceId, { status: 'TERMINATING' });
	// Its volumes are snapshotted first (kept 7 days past the namespace objects), then deleted.
	if ((await backupBeforeTermination(runtime, instance)) === 'wait') return lookAgain(runtime, instanceId, since);
	const names = namesOf(instance);
	const domainSecrets = await domainSecretNames(runtime.db, instance);
	if (!(await deleteAppObjects(runtime, names, domainSecrets))) return lookAgain(runtime, instanceId, since);
	// Its objects are gone: the namespace is sized for the apps that remain, or goes. The app
	// is marked TERMINATED under the namespace lock, so the next app's resize leaves it out.
	// ('terminating' with apps left: a new app waits for it to go and come back; this one is done.)
	const namespace = await syncNamespace(runtime, {
		userId: instance.userId,
		namespace: names.namespace,
		excluding: instanceId,
		then: async (tx, sync) => {
			if (sync === 'removing') return;
			// Its domains are off the cluster with it; their names are free to claim again.
			await tx.delete(customDomains).where(eq(customDomains.instanceId, instanceId));
			await updateInstance(tx, instanceId, {
				status: 'TERMINATED',
				statusReason: null,
				podName: null,
				publicUrl: null,
				healthStatus: null,
				lastStopped: new Date()
			});
		}
	});
	if (namespace === 'removing') return lookAgain(runtime, instanceId, since);
	return { outcome: 'terminated' as const };
}

/** Looks again in a second; after the provisioning timeout (something is stuck), every half minute. */
async function lookAgain(runtime: Runtime, instanceId: string, since: string) {
	const stuck = Date.now() - new Date(since).getTime() > runtime.config.kube.provisionTimeoutSeconds * 1000;
	if (stuck) runtime.log.warn({ instanceId, since }, 'an app is taking long to go from the cluster; still waiting');
	await enqueue(
		runtime.boss,
		'deprovision-instance',
		{ instanceId, since },
		{ startAfter: new Date(Date.now() + (stuck ? 30_000 : LOOK_AGAIN_MS)) }
	);
	return { outcome: 'waiting' as const };
}
