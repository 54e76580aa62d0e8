// A customer with an app already RUNNING, for tests that start from one (backups, restore).
import { planOf } from './fixtures';
import { newCustomer, type TestRuntime } from './runtime';
import { waitForInstance } from './waits';

/** A customer with a running app on the Pro plan (daily backups in the seed). */
export async function runningProApp(runtime: TestRuntime, slug = 'vaultwarden') {
	const { user, api } = await newCustomer(runtime, 3_000_000);
	const plan = await planOf(runtime.db, slug, 'PRO');
	const { instanceId } = await api.subscriptions.subscribe({ planId: plan.id });
	const instance = await waitForInstance(runtime, instanceId, (changed) => changed.status === 'RUNNING', 'RUNNING');
	return { user, api, instance, plan };
}
