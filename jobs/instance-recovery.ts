import { recoverInterruptedWork } from '$lib/server/provisioning/recovery';
import { defineQueue } from '$lib/server/queue';

/** Every minute: send work again for apps a crash left without a job; align suspensions. */
export const instanceRecovery = defineQueue({
	name: 'instance-recovery',
	options: { retryLimit: 1, expireInSeconds: 120 },
	schedule: { cron: '* * * * *' },
	handle: (runtime) => recoverInterruptedWork(runtime)
});
