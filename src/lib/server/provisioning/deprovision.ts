// Removing an app from the cluster for good.
import type { Runtime } from '../runtime';
import { updateInstance } from '../instances/state';
import { loadInstance } from './job-data';
import { removeInstanceObjects } from './objects';

/** Removes an instance from the cluster for good: TERMINATED. Safe to repeat. */
export async function deprovisionInstance(runtime: Runtime, instanceId: string) {
	const loaded = await loadInstance(runtime.db, instanceId);
	if (!loaded) return { outcome: 'missing' as const };
	if (loaded.instance.status === 'TERMINATED') return { outcome: 'skipped' as const };
	await updateInstance(runtime.db, instanceId, { status: 'TERMINATING' });
	await removeInstanceObjects(runtime, loaded.instance);
	await updateInstance(runtime.db, instanceId, {
		status: 'TERMINATED',
		statusReason: null,
		podName: null,
		publicUrl: null,
		healthStatus: null,
		lastStopped: new Date()
	});
	return { outcome: 'terminated' as const };
}
